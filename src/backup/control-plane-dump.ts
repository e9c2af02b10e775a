/**
 * The control plane as a logical dump that PGlite and PostgreSQL both read and write (PGlite has no
 * pg_dump, and no install is guaranteed one): one JSON-lines file per table, each line a row as
 * PostgreSQL's own row_to_json wrote it, in foreign-key order; the sequences' positions; the applied
 * migrations. Rows go back through json_populate_recordset, so no value passes through a JavaScript
 * number or Date on the way (a bigint, a timestamp's microseconds stay as they were).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { QueryRunner } from 'typeorm';

export const MIGRATIONS_TABLE = 'control_plane_migrations';

export interface DumpedTable {
  table: string;
  /** File name inside the backup's control-plane folder. */
  file: string;
  rows: number;
  sha256: string;
}

export interface DumpedSequence {
  sequence: string;
  /** bigint as text */
  lastValue: string;
  isCalled: boolean;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The control plane's tables (but the migrations' own), parents before the tables that refer to them. */
export async function tablesInDependencyOrder(runner: QueryRunner): Promise<string[]> {
  const tables = (
    (await runner.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.relname`,
      [MIGRATIONS_TABLE],
    )) as { name: string }[]
  ).map((row) => row.name);
  const references = (await runner.query(
    `SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k
     JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = k.connamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema() AND k.conrelid <> k.confrelid`,
  )) as { child: string; parent: string }[];
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find(
      (table) =>
        !placed.has(table) &&
        references.every((ref) => ref.child !== table || placed.has(ref.parent) || !tables.includes(ref.parent)),
    );
    if (!next) throw new Error('the control plane has a cycle of foreign keys; cannot order its tables');
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
}

/** The migrations the control plane has applied, in the order they were applied. */
export async function appliedMigrations(runner: QueryRunner): Promise<string[]> {
  const rows = (await runner.query(`SELECT name FROM ${ident(MIGRATIONS_TABLE)} ORDER BY id`)) as { name: string }[];
  return rows.map((row) => row.name);
}

async function primaryKeyColumns(runner: QueryRunner, table: string): Promise<string[]> {
  const rows = (await runner.query(
    `SELECT a.attname AS name FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [ident(table)],
  )) as { name: string }[];
  return rows.map((row) => row.name);
}

/** The sequences of the control plane's serial columns (audit_events.id) and where each stands. */
export async function sequencePositions(runner: QueryRunner): Promise<DumpedSequence[]> {
  const sequences = (await runner.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'S' AND n.nspname = current_schema() ORDER BY c.relname`,
  )) as { name: string }[];
  const positions: DumpedSequence[] = [];
  for (const { name } of sequences) {
    if (name.startsWith(`${MIGRATIONS_TABLE}_`)) continue;
    const [row] = (await runner.query(
      `SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${ident(name)}`,
    )) as { lastValue: string; isCalled: boolean }[];
    positions.push({ sequence: name, ...row });
  }
  return positions;
}

/**
 * Writes every table to `<dir>/<NN>-<table>.jsonl`, in primary-key order, through a cursor (a long audit
 * log is never held whole in memory). Run it inside one REPEATABLE READ transaction: every table is then
 * read as of the same moment.
 */
export async function dumpTables(runner: QueryRunner, dir: string): Promise<DumpedTable[]> {
  const dumped: DumpedTable[] = [];
  const tables = await tablesInDependencyOrder(runner);
  for (const [index, table] of tables.entries()) {
    const file = `${String(index + 1).padStart(2, '0')}-${table}.jsonl`;
    const keys = await primaryKeyColumns(runner, table);
    const order = keys.length > 0 ? keys.map((key) => `t.${ident(key)}`).join(', ') : 't::text';
    const out = createWriteStream(join(dir, file), { mode: 0o600 });
    const hash = createHash('sha256');
    let rows = 0;
    await runner.query(
      `DECLARE shirube_dump NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS line FROM ${ident(table)} t ORDER BY ${order}`,
    );
    try {
      for (;;) {
        const chunk = (await runner.query('FETCH 2000 FROM shirube_dump')) as { line: string }[];
        if (chunk.length === 0) break;
        const text = chunk.map((row) => `${row.line}\n`).join('');
        hash.update(text);
        rows += chunk.length;
        if (!out.write(text)) await once(out, 'drain');
      }
    } finally {
      await runner.query('CLOSE shirube_dump');
      out.end();
      await once(out, 'close');
    }
    dumped.push({ table, file, rows, sha256: hash.digest('hex') });
  }
  return dumped;
}

/** Every table of the control plane (but the migrations') that holds a row. */
export async function nonEmptyTables(runner: QueryRunner): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tablesInDependencyOrder(runner)) {
    const rows = (await runner.query(`SELECT 1 FROM ${ident(table)} LIMIT 1`)) as unknown[];
    if (rows.length > 0) found.push(table);
  }
  return found;
}

/**
 * Inserts one dumped table's rows, a thousand at a time, checking the file against its recorded digest
 * first. Insert only: the audit log's trigger refuses UPDATE, DELETE and TRUNCATE, never INSERT.
 */
export async function restoreTable(runner: QueryRunner, dir: string, dumped: DumpedTable): Promise<number> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(join(dir, dumped.file))) hash.update(chunk as Buffer);
  if (hash.digest('hex') !== dumped.sha256)
    throw new Error(`${dumped.file} does not match the digest in the manifest: the backup is damaged`);
  let rows = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await runner.query(
      `INSERT INTO ${ident(dumped.table)} SELECT * FROM json_populate_recordset(NULL::${ident(dumped.table)}, $1::json)`,
      [`[${batch.join(',')}]`],
    );
    rows += batch.length;
    batch = [];
  };
  const lines = createInterface({ input: createReadStream(join(dir, dumped.file)), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    batch.push(line);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  if (rows !== dumped.rows) throw new Error(`${dumped.file}: ${rows} rows read, the manifest says ${dumped.rows}`);
  return rows;
}

/** Puts each sequence back where it stood, so that no id is ever given out twice. */
export async function restoreSequences(runner: QueryRunner, sequences: DumpedSequence[]): Promise<void> {
  for (const { sequence, lastValue, isCalled } of sequences)
    await runner.query('SELECT setval($1::regclass, $2::bigint, $3)', [ident(sequence), lastValue, isCalled]);
}
