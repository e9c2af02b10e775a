import { nothingStaged } from './nothing-staged.js';
import type { WarehouseSession } from '../../warehouse/warehouse.js';
import type { FeedInput, SourceFile } from '../ingest.types.js';
import type { Feed, StageContext, StagedFeed } from '../feed.js';
import type { Staging } from '../staging.js';
import { ingestSql, type Sql } from '../sql/ingest-sql.js';
import { readRules, rulesFor } from '../staging/rule-engine.js';
import { readStatements, type StatementLayout } from './xapi/read-statements.js';
import { say } from '../problems/problem-catalogue.js';
import { typeStatements } from './xapi/type-statements.js';

export { linkUnlinkedActivity, type ActivityLinks } from './xapi/link-activity.js';

/** What the batch report says about an xAPI file, beyond rows read, loaded and rejected. */
export interface XapiNotes extends Record<string, unknown> {
  statements: number;
  /** Later copies of a statement id within the file: dropped. */
  duplicatesInFile: number;
  /** Statements whose id an earlier xAPI file of the same batch already had: dropped. */
  duplicatesInBatch: number;
  /** Statements the warehouse already holds (LRS exports overlap): skipped. */
  alreadyInWarehouse: number;
  /** Loaded without a student: their actor links to no roster student yet. */
  unlinkedStatements: number;
  unlinkedActors: number;
}

const Q = {
  derivedIds: ingestSql('xapi/derived-ids'),
  alreadyStored: ingestSql('xapi/already-stored'),
  notes: ingestSql('xapi/notes'),
  load: ingestSql('xapi/load'),
};
const RULES = {
  statements: readRules('xapi/statement-rules'),
  repeats: readRules('xapi/repeat-rules'),
  unlinked: readRules('xapi/unlinked-rules'),
  schoolless: readRules('xapi/schoolless-rules'),
};

/**
 * Learning records (学習記録) from learning apps: xAPI statements exported from an LRS, as a JSON
 * array (or one statement) or NDJSON. Each statement's actor is pseudonymised and linked through the
 * roster crosswalk (a student's sourcedId or userIds); an actor no roster names yet still loads,
 * unlinked, and is linked when a roster names it (linkUnlinkedActivity). A statement id seen before,
 * in the file, the batch or the warehouse, is dropped with a warning: LRS exports overlap. Its SQL and
 * rules are in queries/ingest/xapi; every problem says what a row number means in the file (its layout).
 */
export const xapiFeed: Feed = {
  kind: 'xapi',
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const file = input.files[0];
    await staging.script('xapi/tables');
    const raw = await readStatements(staging, file, staging.newTable('xapi_raw'));
    if (!raw) return nothingStaged(input);
    context.progress(file.name, raw.rows);
    const table = staging.newTable('xapi');
    await typeStatements(context, raw, file.name, table);
    const layout = { layout: raw.layout };
    await staging.validate(table, file.name, rulesFor(RULES.statements, {}, layout));
    await warnDerivedIds(staging, table, file, raw.layout);
    await dropSeenStatements(staging, table, file, raw.layout);
    await warnUnlinked(staging, table, file, raw.layout);
    return {
      input,
      rowsRead: raw.rows,
      rowsRejected: () => staging.rejectedCount(table),
      notes: () => xapiNotes(staging, table, raw.rows),
      load: (session) => loadActivity(staging, session, table, context.batchId),
    };
  },
};

/** How many statements a count of queries/ingest/xapi finds in `table`, and the first one's row. */
async function count(staging: Staging, sql: Sql, table: string): Promise<{ n: number; first: number | null }> {
  const [row] = await staging.all<{ n: bigint; first: bigint | null }>(sql, { table });
  return { n: Number(row.n), first: row.first === null ? null : Number(row.first) };
}

/** One warning for the file, not one per statement: some apps export no ids at all. */
async function warnDerivedIds(
  staging: Staging,
  table: string,
  file: SourceFile,
  layout: StatementLayout,
): Promise<void> {
  const derived = await count(staging, Q.derivedIds, table);
  if (derived.n === 0) return;
  await staging.problem({
    severity: 'warning',
    file: file.name,
    row: derived.first,
    column: 'id',
    value: `${derived.n} statement(s), the first at this row`,
    ...say('xapi.derived_ids', { layout }),
  });
}

/**
 * Marks (`skip`) the statements not to write (xapi/mark-seen.sql): a later copy of an id within the file,
 * an id an earlier xAPI file of this batch had, an id already in the warehouse; warns about each.
 */
async function dropSeenStatements(
  staging: Staging,
  table: string,
  file: SourceFile,
  layout: StatementLayout,
): Promise<void> {
  await staging.script('xapi/mark-seen', { table }, { file: file.name });
  await staging.validate(table, file.name, rulesFor(RULES.repeats, {}, { layout }));
  const stored = await count(staging, Q.alreadyStored, table);
  if (stored.n > 0) {
    await staging.problem({
      severity: 'warning',
      file: file.name,
      row: stored.first,
      column: 'id',
      value: `${stored.n} statement(s), the first at this row`,
      ...say('xapi.already_stored', { layout }),
    });
  }
}

/**
 * One warning per unlinked actor and per student without a school that year, at the row of its
 * first statement: never the ID, only how many statements are concerned.
 */
async function warnUnlinked(staging: Staging, table: string, file: SourceFile, layout: StatementLayout): Promise<void> {
  const actors = staging.newTable('xapi_unlinked');
  const schoolless = staging.newTable('xapi_schoolless');
  await staging.script('xapi/unlinked', { table, actors, schoolless });
  await staging.validate(actors, file.name, rulesFor(RULES.unlinked, {}, { layout }));
  await staging.validate(schoolless, file.name, rulesFor(RULES.schoolless, {}, { layout }));
  await staging.dropTable(actors);
  await staging.dropTable(schoolless);
}

async function xapiNotes(staging: Staging, table: string, statements: number): Promise<XapiNotes> {
  const [row] = await staging.all<Record<string, bigint>>(Q.notes, { table });
  return {
    statements,
    duplicatesInFile: Number(row.in_file),
    duplicatesInBatch: Number(row.in_batch),
    alreadyInWarehouse: Number(row.in_warehouse),
    unlinkedStatements: Number(row.unlinked_statements),
    unlinkedActors: Number(row.unlinked_actors),
  };
}

async function loadActivity(
  staging: Staging,
  session: WarehouseSession,
  table: string,
  batchId: string,
): Promise<number> {
  const [inserted] = await staging.allOn<{ Count: bigint }>(session, Q.load, { table }, { batch_id: batchId });
  return Number(inserted.Count);
}
