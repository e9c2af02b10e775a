import { BLOB, blobValue } from '@duckdb/node-api';
import { appendComputedInNode } from '../computed-in-node.js';
import type { Pseudonymizer } from '../pseudonymizer.js';
import { ingestSql, quoteIdent, render, type Sql } from '../sql/ingest-sql.js';
import { applyRules, readRules, rulesFor } from './rule-engine.js';
import type { StagingArea } from './staging-area.js';

const Q = {
  unmapped: ingestSql('pseudonyms/unmapped'),
  hmacInSql: ingestSql('pseudonyms/hmac-in-sql'),
  buildResolver: ingestSql('staging/build-resolver'),
};
const RULES = readRules('pseudonyms/rules');

/**
 * Makes sure every distinct raw ID in `column` of `table` (a staging table, or SQL of a subquery) has
 * its pseudonym in pid_map: the HMAC computed by DuckDB for plain IDs, in Node for the others. With
 * pre-pseudonymised input, an ID that is not a pseudonym is an error (when `fileName` is given).
 */
export async function pseudonymize(
  area: StagingArea,
  pseudonymizer: Pseudonymizer,
  table: string | { sql: Sql },
  column: string,
  fileName?: string,
): Promise<void> {
  const id = quoteIdent(column);
  if (pseudonymizer.prePseudonymized && fileName && typeof table === 'string')
    await applyRules(area, table, fileName, rulesFor(RULES, { id }));
  const unmapped = render(Q.unmapped, { id, table });
  const pads = pseudonymizer.hmacPads();
  if (pads) {
    await area.run(
      Q.hmacInSql,
      { unmapped: { sql: unmapped } },
      { inner: blobValue(pads.inner), outer: blobValue(pads.outer) },
      { inner: BLOB, outer: BLOB },
    );
  }
  await appendComputedInNode<{ raw: string }>(area, unmapped, area.t('pid_map'), (appender, { raw }) => {
    appender.appendVarchar(raw);
    appender.appendVarchar(pseudonymizer.pseudonym(raw));
    appender.endRow();
  });
}

/**
 * Person ID (any of a student's IDs, pseudonymised) → the student's pseudonym, from the warehouse and
 * from this batch's rosters. Rebuilt after the rosters are staged.
 */
export async function buildResolver(area: StagingArea): Promise<void> {
  await area.run(Q.buildResolver);
}
