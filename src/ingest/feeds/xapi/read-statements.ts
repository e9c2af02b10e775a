import { closeSync, openSync, readSync } from 'node:fs';
import type { SourceFile } from '../../ingest.types.js';
import type { Staging } from '../../staging.js';
import { say, type Said } from '../../problems/problem-catalogue.js';
import { ingestSql, render } from '../../sql/ingest-sql.js';
import { boundParams } from '../../staging/staging-area.js';

const Q = {
  lines: ingestSql('xapi/read-lines'),
  document: ingestSql('xapi/read-document'),
  read: ingestSql('xapi/read'),
};

/**
 * How a file holds its statements, and so what a problem's `row` means (said in every problem of the
 * file: src/ingest/problems/xapi-problems.ts).
 */
export type StatementLayout = 'lines' | 'document';

/**
 * The parts of a statement the warehouse keeps, with the staging column each lands in, in the order
 * queries/ingest/xapi/read.sql reads them (a test holds the two together). Each column
 * holds the value as text (a JSON string unquoted, a number or boolean as written) and
 * `<column>_type` its JSON type (VARCHAR, UBIGINT, BIGINT, DOUBLE, BOOLEAN, OBJECT, ARRAY, NULL),
 * so that rules can tell `"0.5"` from `0.5`. Names, descriptions, context and extensions are never read.
 */
export const STATEMENT_FIELDS = [
  ['statement_id', '$.id'],
  ['account_name', '$.actor.account.name'],
  ['mbox', '$.actor.mbox'],
  ['verb_id', '$.verb.id'],
  ['object_type', '$.object.objectType'],
  ['activity_id', '$.object.id'],
  ['activity_type', '$.object.definition.type'],
  ['ts', '$.timestamp'],
  ['duration', '$.result.duration'],
  ['score_scaled', '$.result.score.scaled'],
  ['score_raw', '$.result.score.raw'],
  ['success', '$.result.success'],
  ['completion', '$.result.completion'],
  ['result', '$.result'],
] as const;

export type StatementField = (typeof STATEMENT_FIELDS)[number][0];

/**
 * The biggest statement accepted (DuckDB's default is 16 MB; real statements are a few KB). The CSV
 * reader's buffer is given as this too: by default it is 16 times the longest line, 1 GiB here, which
 * alone broke a memory limit of 1 GB (the buffer must hold one line; bigger buffers read no faster).
 */
const MAX_STATEMENT_BYTES = 64 * 1024 * 1024;

export interface RawStatements {
  table: string;
  rows: number;
  layout: StatementLayout;
}

export const layoutOf = (file: SourceFile): StatementLayout =>
  /\.(ndjson|jsonl)$/i.test(file.name) ? 'lines' : 'document';

/**
 * Where a DuckDB read error points, without its text: the message can quote the offending line,
 * which may hold a raw person ID.
 */
export function readErrorRule(message: string, layout: StatementLayout): { row: number | null; said: Said } {
  const csvLine = /CSV Error on Line: (\d+)/.exec(message);
  const json = /at byte (\d+) in (?:line|record\/value) (\d+)/.exec(message);
  const what = /not utf-8|invalid UTF-8/i.test(message) ? 'utf8' : 'json';
  if (csvLine) return { row: Number(csvLine[1]), said: say('xapi.unreadable_line', { what, layout }) };
  if (json) return { row: Number(json[2]), said: say('xapi.unreadable_at_byte', { what, byte: json[1], layout }) };
  return { row: null, said: say('xapi.unreadable', { what }) };
}

/**
 * Whether a `.json` file is an array (its first character other than a space or a BOM is `[`). DuckDB's
 * JSON reader told `format = 'array'` streams the elements; left to detect it, it held 700 MB for an
 * array of 362 MB, and failed under a memory limit of 400 MB on one of 81 MB.
 */
export function isJsonArray(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let position = 0; ; position += chunk.length) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) return false;
      // \s takes the BOM (U+FEFF) too.
      const first = /\S/.exec(chunk.toString('utf8', 0, read));
      if (first) return first[0] === '[';
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the statements of one file into a staging table: `line`, `rejected`, `json_ok` (the text
 * parses), `is_object`, each STATEMENT_FIELDS column with its `_type`, `actor` (account.name,
 * else mbox: the raw ID, pseudonymised next and never copied further) with `actor_source`, and
 * `content_key` (SHA-256 of the statement) when it has no id (see derivedStatementId). NDJSON is
 * read as lines, so that a malformed line is one rejected row and `line` is the true line number;
 * blank lines are skipped.
 * A `.json` file is an array of statements, a single statement, or statements one after another.
 * Returns null when the file as a whole cannot be read (the problem is recorded).
 */
export async function readStatements(staging: Staging, file: SourceFile, table: string): Promise<RawStatements | null> {
  const layout = layoutOf(file);
  const values = {
    path: file.path,
    max_bytes: BigInt(MAX_STATEMENT_BYTES),
    format: layout === 'document' && isJsonArray(file.path) ? 'array' : 'auto',
  };
  const sql = render(Q.read, { table, source: { sql: layout === 'lines' ? Q.lines : Q.document } });
  try {
    const { params, types } = boundParams(sql, values);
    await staging.session.run(sql, params, types);
  } catch (error) {
    // Not `instanceof Error`: DuckDB's errors may come from another realm (as under Jest).
    const said = (error as { message?: unknown } | null)?.message;
    const message = typeof said === 'string' ? said : '';
    if (!message.startsWith('Invalid Input Error')) throw error;
    const read = readErrorRule(message, layout);
    await staging.problem({
      severity: 'error',
      file: file.name,
      row: read.row,
      column: null,
      value: null,
      ...read.said,
    });
    return null;
  }
  return { table, rows: await staging.rowCount(table), layout };
}
