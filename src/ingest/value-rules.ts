import { quoteIdent, ingestSql } from './sql/ingest-sql.js';
import { readRules, rulesFor, type Rule } from './staging/rule-engine.js';
import type { StagingArea } from './staging/staging-area.js';

/**
 * Rules for values no vocabulary closes: free text (names, subjects, IDs a school makes up), in
 * queries/ingest/values/text.sql. (Dates in another form than YYYY-MM-DD: values/date-form.sql.)
 */

const TEXT = readRules('values/text');
const NORMALISE = ingestSql('values/normalise-text');

/** Free text: too long is an error, a control character a warning (normaliseText then replaces it). */
export function textRules(columns: readonly string[]): Rule[] {
  return columns.flatMap((column) => rulesFor(TEXT, { text: quoteIdent(column) }));
}

/** After validation: each run of control characters in these columns becomes one space (textRules warned of it). */
export async function normaliseText(staging: StagingArea, table: string, columns: readonly string[]): Promise<void> {
  for (const column of columns) await staging.run(NORMALISE, { table, text: quoteIdent(column) });
}
