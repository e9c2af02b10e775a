import { closeSync, openSync, readSync } from 'node:fs';
import type { SourceFile } from '../../ingest.types.js';
import type { Staging } from '../../staging.js';
import { say, type Said } from '../../problems/problem-catalogue.js';

/**
 * How a file holds its statements, and so what a problem's `row` means (said in every problem of the
 * file: src/ingest/problems/xapi-problems.ts).
 */
export type StatementLayout = 'lines' | 'document';

/**
 * The parts of a statement the warehouse keeps, with the staging column each lands in. Each column
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
] as const;

export type StatementField = (typeof STATEMENT_FIELDS)[number][0];

/**
 * The biggest statement accepted (DuckDB's default is 16 MB; real statements are a few KB). The CSV
 * reader's buffer is given as this too: by default it is 16 times the longest line, 1 GiB here, which
 * alone broke a memory limit of 1 GB (the buffer must hold one line; bigger buffers read no faster).
 */
const MAX_STATEMENT_BYTES = 64 * 1024 * 1024;

/** Blank lines hold no statement; a statement is an object. Regexes, not trim(): trim() reads the whole (long) text. */
const BLANK = String.raw`\s*`;
const OBJECT_START = String.raw`^\s*\{`;

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
  if (csvLine) return { row: Number(csvLine[1]), said: say('xapi.unreadable_line', { what, rows: layout }) };
  if (json)
    return { row: Number(json[2]), said: say('xapi.unreadable_at_byte', { what, byte: json[1], rows: layout }) };
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
  const source =
    layout === 'lines'
      ? // One VARCHAR per line: \x01 cannot occur unescaped in JSON, so no line is ever split.
        `SELECT j, line FROM read_csv($1, columns = {'j': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '',
                                     auto_detect = false, max_line_size = ${MAX_STATEMENT_BYTES},
                                     buffer_size = ${MAX_STATEMENT_BYTES}) WITH ORDINALITY AS s(j, line)
         WHERE j IS NOT NULL AND NOT regexp_full_match(j, '${BLANK}')`
      : `SELECT CAST(j AS VARCHAR) AS j, line FROM read_json_objects($1, format = '${isJsonArray(file.path) ? 'array' : 'auto'}', maximum_object_size = ${MAX_STATEMENT_BYTES})
         WITH ORDINALITY AS s(j, line)`;
  const paths = `[${STATEMENT_FIELDS.map(([, path]) => `'${path}'`).join(', ')}]`;
  const fields = STATEMENT_FIELDS.flatMap(([column], i) => [
    `v[${i + 1}] ->> '$' AS ${column}`,
    `json_type(v[${i + 1}]) AS ${column}_type`,
  ]);
  const isText = (column: StatementField) => `(${column}_type = 'VARCHAR' AND trim(${column}) <> '')`;
  try {
    await staging.session.run(
      `CREATE TABLE ${table} AS
       SELECT *,
              CASE WHEN ${isText('account_name')} THEN account_name WHEN ${isText('mbox')} THEN mbox END AS actor,
              CASE WHEN ${isText('account_name')} THEN 'account' WHEN ${isText('mbox')} THEN 'mbox' END AS actor_source
       FROM (
         SELECT line, false AS rejected, v IS NOT NULL AS json_ok, v IS NOT NULL AND regexp_matches(j, '${OBJECT_START}') AS is_object,
                ${fields.join(',\n                ')},
                -- Same text (whitespace aside), same key: a re-sent statement without an id is still recognised.
                CASE WHEN v IS NOT NULL AND regexp_matches(j, '${OBJECT_START}') AND (v[1] IS NULL OR json_type(v[1]) = 'NULL') THEN sha256(CAST(json(j) AS VARCHAR)) END AS content_key
         FROM (SELECT line, j, try(json_extract(j, ${paths})) AS v FROM (${source}))
       )`,
      [file.path],
    );
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
  const [{ n }] = await staging.session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
  return { table, rows: Number(n), layout };
}
