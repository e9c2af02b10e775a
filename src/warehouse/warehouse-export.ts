import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { STORAGE_ONLY } from './storage-tables.js';
import type { Warehouse } from './warehouse.js';

export interface ExportedTable {
  table: string;
  rows: number;
  partitioned: boolean;
  path: string;
}

/**
 * The warehouse as Parquet, so other engines can read it: tables (and views) with an academic year and a
 * school are written as hive partitions (`academic_year=2025/school_code=B1.../*.parquet`), the rest as
 * one file. It holds pseudonymised data only, as the warehouse does.
 */
export async function exportWarehouse(warehouse: Warehouse, outDir: string): Promise<ExportedTable[]> {
  mkdirSync(outDir, { recursive: true });
  const columns = await warehouse.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name <> 'warehouse_migrations' ORDER BY table_name, ordinal_position`,
  );
  const tables = [...new Set(columns.map((c) => c.table_name))].filter((table) => !STORAGE_ONLY.includes(table));
  const exported: ExportedTable[] = [];
  for (const table of tables) {
    const has = (name: string) => columns.some((c) => c.table_name === table && c.column_name === name);
    const partitioned = has('academic_year') && has('school_code');
    const [{ n }] = await warehouse.all<{ n: bigint }>(`SELECT count(*) AS n FROM "${table}"`);
    const path = partitioned ? join(outDir, table) : join(outDir, `${table}.parquet`);
    const target = path.replace(/'/g, "''");
    await warehouse.read((session) =>
      session.run(
        partitioned
          ? `COPY "${table}" TO '${target}' (FORMAT parquet, PARTITION_BY (academic_year, school_code), OVERWRITE_OR_IGNORE true)`
          : `COPY "${table}" TO '${target}' (FORMAT parquet)`,
      ),
    );
    exported.push({ table, rows: Number(n), partitioned, path });
  }
  return exported;
}
