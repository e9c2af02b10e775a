import { listValue, structValue, STRUCT, VARCHAR, BIGINT, LIST } from '@duckdb/node-api';
import { readCsvHeader } from '../csv-header.js';
import type { SourceFile } from '../ingest.types.js';
import { ingestSql, joinSql, quoteIdent, render, type Sql } from '../sql/ingest-sql.js';
import type { StagingArea } from './staging-area.js';
import { say, type Said } from '../problems/problem-catalogue.js';

export interface CsvShape {
  required: readonly string[];
  optional?: readonly string[];
  /** Columns the format defines but the feed does not need (names, passwords ...): never read, no warning. */
  ignored?: readonly string[];
  /** Columns with this prefix are extensions: kept if named, ignored otherwise, never an error. */
  extensionPrefix?: string;
}

/** A CSV read into staging, rows not yet numbered (readCsvRows). */
export interface RawCsv {
  table: string;
  /** Rows in the file (accepted and refused). */
  rows: number;
  /** The columns the shape knows: those of the header, as read, then the optional ones it lacks (all NULL). */
  columns: string[];
  /** Lines the CSV reader refused (already reported as errors). */
  refusedLines: number[];
}

const Q = {
  read: ingestSql('csv/read'),
  asRead: ingestSql('csv/column-as-read'),
  trimmed: ingestSql('csv/column-trimmed'),
  lowercased: ingestSql('csv/column-lowercased'),
  lowerOnly: ingestSql('csv/column-lower-only'),
  absent: ingestSql('csv/column-absent'),
  rejectedLines: ingestSql('csv/rejected-lines'),
  numbered: ingestSql('csv/numbered'),
  columnNeeds: ingestSql('csv/column-needs'),
  shiftThresholds: ingestSql('csv/shift-thresholds'),
  shiftLines: ingestSql('csv/shift-lines'),
  shiftDone: ingestSql('csv/shift-done'),
};

/** The reader's `columns` option, bound: every column of the header VARCHAR unless `types` names another type. */
export function csvColumns(header: readonly string[], types: Readonly<Record<string, string>> = {}) {
  const entries = header.map((c) => [c, types[c] ?? 'VARCHAR'] as const);
  return {
    value: structValue(Object.fromEntries(entries)),
    type: STRUCT(Object.fromEntries(entries.map(([c]) => [c, VARCHAR]))),
  };
}

/**
 * Reads a CSV into a staging table of VARCHAR columns plus `line` (the line in the file, header = 1)
 * and `rejected`. A missing required column is an error for the whole file (returns null); an
 * unknown column is a warning (ignored); a malformed line is an error naming its line.
 */
export async function readCsv(
  area: StagingArea,
  file: SourceFile,
  shape: CsvShape,
  table = area.newTable('csv'),
): Promise<{ table: string; rows: number; columns: string[] } | null> {
  const read = await readCsvRows(area, file, shape, `${table}_read`);
  if (!read) return null;
  await area.run(Q.numbered, { table, read: read.table });
  await area.dropTable(read.table);
  await shiftLines(area, table, read.refusedLines);
  return { table, rows: read.rows, columns: read.columns };
}

/**
 * Reads a CSV into a staging table of VARCHAR columns without numbering it, for a caller that makes
 * its own table from the rows in one pass: a row's line is `rowid + 2` of the read table, then
 * `shiftLines(thatTable, refusedLines)`. Problems as readCsv. `asRead`: values as the file has them
 * (not trimmed: see cleanColumns), for a caller that reads tens of millions of rows.
 */
export async function readCsvRows(
  area: StagingArea,
  file: SourceFile,
  shape: CsvShape,
  table = area.newTable('csv'),
  options: { asRead?: boolean } = {},
): Promise<RawCsv | null> {
  const header = await readCsvHeader(file.path);
  const known = new Set([...shape.required, ...(shape.optional ?? [])]);
  const ignored = new Set(shape.ignored ?? []);
  let fatal = false;
  const headerProblem = (column: string, severity: 'error' | 'warning', said: Said) =>
    area.problem({ severity, file: file.name, row: 1, column, value: null, ...said });
  for (const column of shape.required) {
    if (!header.includes(column)) {
      fatal = true;
      await headerProblem(column, 'error', say('csv.required_column_missing', { column }));
    }
  }
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) {
      fatal = true;
      await headerProblem(column, 'error', say('csv.column_twice'));
    }
    seen.add(column);
    const isExtension = shape.extensionPrefix !== undefined && column.startsWith(shape.extensionPrefix);
    if (!known.has(column) && !ignored.has(column) && !isExtension)
      await headerProblem(column, 'warning', say('csv.unknown_column'));
  }
  if (fatal) return null;
  const kept = header.filter((column) => known.has(column));
  const absent = (shape.optional ?? []).filter((c) => !header.includes(c));
  const select = joinSql(
    [
      ...kept.map((c) => render(options.asRead ? Q.asRead : Q.trimmed, { column: quoteIdent(c) })),
      ...absent.map((c) => render(Q.absent, { column: quoteIdent(c) })),
    ],
    ', ',
  );
  const rejects = `ingest_rejects_${table.replace(/\W/g, '_')}`;
  const columns = csvColumns(header);
  await area.run(
    Q.read,
    { table, select: { sql: select } },
    { path: file.path, columns: columns.value, rejects_table: rejects, rejects_scan: `${rejects}_scan` },
    { path: VARCHAR, columns: columns.type, rejects_table: VARCHAR, rejects_scan: VARCHAR },
  );
  // Lines the CSV reader refused (wrong number of fields, bad quoting): errors by line; the row numbers
  // of later rows shift past them.
  const refused = await area.all<{ line: bigint; column_name: string | null; error_type: string }>(Q.rejectedLines, {
    rejects: `temp.${rejects}`,
  });
  for (const reject of refused) {
    await area.problem({
      severity: 'error',
      file: file.name,
      row: Number(reject.line),
      column: null,
      value: null,
      ...say('csv.malformed_line', { kind: reject.error_type.toLowerCase() }),
    });
  }
  await area.dropTable(`temp.${rejects}`);
  await area.dropTable(`temp.${rejects}_scan`);
  return {
    table,
    rows: (await area.rowCount(table)) + refused.length,
    columns: [...kept, ...absent],
    refusedLines: refused.map((r) => Number(r.line)),
  };
}

/**
 * For a table read `asRead`: the SQL of each column that gives its values as readCsv would (trimmed,
 * blank → NULL), lowercased where asked. Whether a column needs it is found from its distinct values:
 * trimming allocates a new string for every value (most of the time of a read of 20 M rows), and a
 * column none of whose values has a space at either end is used as it is.
 */
export async function cleanColumns(
  area: StagingArea,
  table: string,
  columns: readonly string[],
  lowercase: ReadonlySet<string>,
): Promise<Map<string, Sql>> {
  const clean = new Map<string, Sql>();
  for (const name of columns) {
    const column = quoteIdent(name);
    const [{ trim, lower }] = await area.all<{ trim: boolean | null; lower: boolean | null }>(Q.columnNeeds, {
      column,
      table,
    });
    const lowered = !!lower && lowercase.has(name);
    const template = trim ? (lowered ? Q.lowercased : Q.trimmed) : lowered ? Q.lowerOnly : Q.asRead;
    clean.set(name, render(template, { column }));
  }
  return clean;
}

/** Moves the line numbers of `table` past the lines the CSV reader refused (the read numbers the accepted rows 2, 3, ...). */
export async function shiftLines(area: StagingArea, table: string, refusedLines: readonly number[]): Promise<void> {
  if (refusedLines.length === 0) return;
  const thresholds = refusedLines.map((line, i) => BigInt(line - 2 - i));
  await area.run(Q.shiftThresholds, {}, { thresholds: listValue(thresholds) }, { thresholds: LIST(BIGINT) });
  await area.run(Q.shiftLines, { table });
  await area.run(Q.shiftDone);
}
