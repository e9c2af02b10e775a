/**
 * A cohort result's table as CSV (UTF-8 with BOM, for Excel) or Arrow IPC stream. Only tables that
 * went through disclosure control reach here; a redacted cell is an empty CSV field / an Arrow null.
 */
import {
  Bool,
  Float64,
  Int32,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { StreamableFile } from '@nestjs/common';
import { csvFile, type CsvValue } from '../common/csv.js';
import { invalidField } from '../common/common.errors.js';
import type { CohortResult, ResultTable } from './cohort-result.js';

export type CohortFormat = 'json' | 'csv' | 'arrow';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** The format an Accept header (or a CLI flag) asks for; JSON unless CSV or Arrow is named. */
export function formatFromAccept(accept: string | undefined): CohortFormat {
  const value = (accept ?? '').toLowerCase();
  if (value.includes(ARROW_STREAM)) return 'arrow';
  if (value.includes('text/csv')) return 'csv';
  return 'json';
}

export function pickTable(result: CohortResult, name?: string): ResultTable {
  const chosen = name ?? result.primaryTable;
  const table = result.tables[chosen];
  if (!table) {
    throw invalidField(
      'table',
      `must be one of ${Object.keys(result.tables).join(', ')}`,
      `table ${chosen} is not in this result (tables: ${Object.keys(result.tables).join(', ')})`,
    );
  }
  return table;
}

/** A redacted cell (null) is an empty field; text that a spreadsheet would run as a formula is neutralised. */
export function toCsv(table: ResultTable): Buffer {
  const rows = [table.columns, ...table.rows.map((row) => table.columns.map((c) => row[c] as CsvValue))];
  return Buffer.from(csvFile(rows), 'utf8');
}

function arrowType(values: unknown[]): DataType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return new Bool();
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    return present.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31) ? new Int32() : new Float64();
  }
  return new Utf8();
}

export function toArrow(table: ResultTable): Buffer {
  const vectors: Record<string, Vector> = {};
  for (const column of table.columns) {
    const values = table.rows.map((r) => r[column] ?? null);
    const type = arrowType(values);
    vectors[column] = vectorFromArray(
      type instanceof Utf8 ? values.map((v) => (v === null ? null : String(v))) : values,
      type,
    );
  }
  return Buffer.from(tableToIPC(new Table(vectors), 'stream'));
}

/** Writes a result in the asked format: JSON (the whole result), or one table as CSV or Arrow. */
export function sendResult(
  result: CohortResult,
  query: { table?: string; format?: CohortFormat },
  accept: string | undefined,
  response: { setHeader(name: string, value: string): unknown },
): CohortResult | StreamableFile {
  const format = query.format ?? formatFromAccept(accept);
  if (format === 'json') return result;
  const table = pickTable(result, query.table);
  const name = `cohort-${result.definitionHash.slice(0, 12)}-${query.table ?? result.primaryTable}`;
  response.setHeader('X-Shirube-Definition-Hash', result.definitionHash);
  response.setHeader('X-Shirube-Cells-Redacted', String(result.disclosure.cellsRedacted));
  if (format === 'csv') {
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    return new StreamableFile(toCsv(table));
  }
  response.setHeader('Content-Type', ARROW_STREAM);
  response.setHeader('Content-Disposition', `attachment; filename="${name}.arrows"`);
  return new StreamableFile(toArrow(table));
}
