import type { FeedInput, Problem } from './ingest.types.js';
import { say } from './problems/problem-catalogue.js';

/** DuckDB's errors that come of what a file holds (its header, a line), not of the machine or the code. */
const INPUT_ERROR = /^(Invalid Input|Binder|Parser|Conversion|Out of Range) Error/;

/**
 * The problem to report when DuckDB refused a file in a way no rule foresaw, or null when the error is
 * not the input's (it is thrown on). The message is never passed on: it can quote the line, and so a
 * person's ID; only its kind and the line it names are.
 */
export function unreadableInput(input: FeedInput, error: unknown): Problem | null {
  // Not `instanceof Error`: DuckDB's errors may come from another realm (as under Jest).
  const raw = (error as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw : '';
  const kind = INPUT_ERROR.exec(message);
  if (!kind) return null;
  // The CSV reader's line; not the "LINE n" of a binder or parser error, which points into the SQL.
  const line = /CSV Error on Line: (\d+)/.exec(message);
  return {
    severity: 'error',
    file: input.files.length === 1 ? input.files[0].name : input.name,
    row: line ? Number(line[1]) : null,
    column: null,
    value: null,
    ...say('input.unreadable', { kind: kind[1].toLowerCase() }),
  };
}
