import { appendComputedInNode } from '../../computed-in-node.js';
import type { StageContext } from '../../feed.js';
import { ingestSql, render } from '../../sql/ingest-sql.js';
import type { Staging } from '../../staging.js';
import { parseIsoDuration } from './iso-duration.js';
import { derivedStatementId } from './statement-id.js';
import type { RawStatements } from './read-statements.js';

const Q = {
  newDurations: ingestSql('xapi/new-durations'),
  newContentKeys: ingestSql('xapi/new-content-keys'),
  type: ingestSql('xapi/type'),
};
/** Where the durations and the derived ids land (queries/ingest/xapi/tables.sql). */
const DURATIONS = 'ingest_staging.xapi_durations';
const DERIVED_IDS = 'ingest_staging.xapi_derived_ids';

/** Seconds of every distinct duration text of the table, parsed in Node (one parser, one set of rules). */
async function stageDurations(staging: Staging, raw: string): Promise<void> {
  await appendComputedInNode<{ text: string }>(
    staging,
    render(Q.newDurations, { raw }),
    DURATIONS,
    (appender, { text }) => {
      appender.appendVarchar(text);
      const seconds = parseIsoDuration(text);
      if (seconds === null) appender.appendNull();
      else appender.appendDouble(seconds);
      appender.endRow();
    },
  );
}

/** Ids for the statements that came without one (see derivedStatementId). */
async function stageDerivedIds(context: StageContext, raw: string): Promise<void> {
  await appendComputedInNode<{ content_key: string }>(
    context.staging,
    render(Q.newContentKeys, { raw }),
    DERIVED_IDS,
    (appender, { content_key }) => {
      appender.appendVarchar(content_key);
      appender.appendVarchar(derivedStatementId(context.pseudonymizer.pseudonym(content_key)));
      appender.endRow();
    },
  );
}

/**
 * From the raw statements to typed rows, with no raw ID left (queries/ingest/xapi/type.sql says how): the
 * actor becomes `actor_pid` (its pseudonym) and `student_pid` (through the roster crosswalk, NULL when
 * unlinked), and the school is the student's enrolment that school year. A statement with no id gets one
 * derived from the keyed pseudonym of its content, never from a plain hash (the content holds the actor's
 * ID). The raw table is dropped.
 */
export async function typeStatements(
  context: StageContext,
  raw: RawStatements,
  fileName: string,
  table: string,
): Promise<void> {
  const { staging } = context;
  // With --pre-pseudonymized, an actor ID that is not a pseudonym is an error (and is never stored).
  await staging.pseudonymize(raw.table, 'actor', fileName);
  await stageDerivedIds(context, raw.table);
  await stageDurations(staging, raw.table);
  await staging.run(Q.type, { table, raw: raw.table });
  await staging.dropTable(raw.table);
}
