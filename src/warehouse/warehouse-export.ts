import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqlFile } from './sql-files.js';
import { STORAGE_ONLY } from './storage-tables.js';
import type { Warehouse } from './warehouse.js';

const SQL = {
  columns: sqlFile('warehouse/export-columns'),
  count: sqlFile('warehouse/export-count'),
  partitioned: sqlFile('warehouse/export-partitioned'),
  file: sqlFile('warehouse/export-file'),
};

/** A statement naming a table (a name from information_schema, double-quoted); the path is bound. */
const naming = (sql: string, table: string) => sql.replace('{{table}}', `"${table.replace(/"/g, '""')}"`);

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
  const columns = await warehouse.all<{ table_name: string; column_name: string }>(SQL.columns);
  const tables = [...new Set(columns.map((c) => c.table_name))].filter((table) => !STORAGE_ONLY.includes(table));
  const exported: ExportedTable[] = [];
  for (const table of tables) {
    const has = (name: string) => columns.some((c) => c.table_name === table && c.column_name === name);
    const partitioned = has('academic_year') && has('school_code');
    const [{ n }] = await warehouse.all<{ n: bigint }>(naming(SQL.count, table));
    const path = partitioned ? join(outDir, table) : join(outDir, `${table}.parquet`);
    await warehouse.read((session) => session.run(naming(partitioned ? SQL.partitioned : SQL.file, table), [path]));
    exported.push({ table, rows: Number(n), partitioned, path });
  }
  return exported;
}
