/**
 * The warehouse in a backup: a copy of the whole DuckDB database (tables, views, enum types,
 * constraints, the applied migrations) in a new DuckDB file, made with DuckDB's own COPY FROM DATABASE
 * on the writer connection, so that no write runs while it copies.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { WarehouseSession } from '../warehouse/warehouse.js';

export interface WarehouseTableCount {
  table: string;
  rows: number;
}

export interface WarehouseFacts {
  /** Applied warehouse migrations, as `NNN-name`. */
  migrations: string[];
  tables: WarehouseTableCount[];
  /** The ingest batches the warehouse holds. */
  batches: string[];
  /**
   * true: the warehouse records every batch it committed (table loaded_batches); false: only the batches
   * some row still names are known (a batch all of whose rows a later one replaced is not).
   */
  batchesExact: boolean;
  /** Fingerprint of the pseudonym key the warehouse was loaded with, where it records one (table pseudonym_key). */
  pseudonymKeyFingerprint: string | null;
}

type Reader = Pick<WarehouseSession, 'all'>;

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function baseTables(session: Reader): Promise<string[]> {
  const rows = await session.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** What a backup's manifest says of the warehouse; read by the same session that copies it. */
export async function warehouseFacts(session: Reader): Promise<WarehouseFacts> {
  const tables = await baseTables(session);
  const counts: WarehouseTableCount[] = [];
  for (const table of tables) {
    const [{ n }] = await session.all<{ n: bigint }>(`SELECT count(*) AS n FROM "${table}"`);
    counts.push({ table, rows: Number(n) });
  }
  const migrations = tables.includes('warehouse_migrations')
    ? (
        await session.all<{ label: string }>(
          `SELECT lpad(CAST(id AS VARCHAR), 3, '0') || '-' || name AS label FROM warehouse_migrations ORDER BY id`,
        )
      ).map((row) => row.label)
    : [];
  const batchesExact = tables.includes('loaded_batches');
  const batches = batchesExact
    ? await session.all<{ id: string }>('SELECT CAST(batch_id AS VARCHAR) AS id FROM loaded_batches ORDER BY 1')
    : await batchesNamedByRows(session, tables);
  // Warehouse migration 009 (the ingest's work in progress) records the key's fingerprint; before it, none.
  const pseudonymKeyFingerprint = tables.includes('pseudonym_key')
    ? ((
        await session.all<{ fingerprint: string }>('SELECT fingerprint FROM pseudonym_key ORDER BY recorded_at LIMIT 1')
      )[0]?.fingerprint ?? null)
    : null;
  return { migrations, tables: counts, batches: batches.map((row) => row.id), batchesExact, pseudonymKeyFingerprint };
}

/** Before the warehouse recorded its batches: the ones some stored row names (batch_refs for daily attendance). */
async function batchesNamedByRows(session: Reader, tables: string[]): Promise<{ id: string }[]> {
  const withBatchId = (
    await session.all<{ table_name: string }>(
      `SELECT DISTINCT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema
         AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.column_name = 'batch_id' AND c.table_schema = 'main' AND c.table_catalog = current_database()`,
    )
  ).map((row) => row.table_name);
  const sources = withBatchId.map((table) => `SELECT CAST(batch_id AS VARCHAR) AS id FROM "${table}"`);
  if (tables.includes('batch_refs')) sources.push('SELECT CAST(batch_id AS VARCHAR) AS id FROM batch_refs');
  if (sources.length === 0) return [];
  return session.all<{ id: string }>(
    `SELECT DISTINCT id FROM (${sources.join(' UNION ALL ')}) WHERE id IS NOT NULL ORDER BY id`,
  );
}

/**
 * Copies the database of `session` into a new DuckDB file at `target`. Call it on the writer connection
 * (Warehouse.exclusive): no batch can then be half-written into the copy.
 */
export async function copyWarehouse(session: WarehouseSession, target: string): Promise<void> {
  const [{ name }] = await session.all<{ name: string }>('SELECT current_database() AS name');
  await session.run(`ATTACH ${quoted(target)} AS shirube_backup_copy`);
  try {
    await session.run(`COPY FROM DATABASE "${name.replace(/"/g, '""')}" TO shirube_backup_copy`);
  } finally {
    await session.run('DETACH shirube_backup_copy');
  }
}

/** Reads the facts of a warehouse file no process holds (a backup's copy), read-only. */
export async function warehouseFileFacts(path: string): Promise<WarehouseFacts> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return await warehouseFacts({
      all: async <T>(sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[],
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
