import { nothingStaged } from './nothing-staged.js';
import type { WarehouseSession } from '../../warehouse/warehouse.js';
import type { FeedInput, SourceFile } from '../ingest.types.js';
import type { Feed, StageContext, StagedFeed } from '../feed.js';
import { WITHHELD, type Staging } from '../staging.js';
import { readStatements, type StatementLayout } from './xapi/read-statements.js';
import { say } from '../problems/problem-catalogue.js';
import { statementRules } from './xapi/statement-rules.js';
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

/** A statement that will be written: valid, and neither a duplicate nor already stored. */
const LOADABLE = 'NOT rejected AND skip IS NULL';
const LEARNING_ACTIVITY_COLUMNS =
  'statement_id, actor_pid, student_pid, school_code, academic_year, verb_id, activity_id, activity_type, ts, duration_s, score_scaled, score_raw, success, completion';

/**
 * Learning records (学習記録) from learning apps: xAPI statements exported from an LRS, as a JSON
 * array (or one statement) or NDJSON. Each statement's actor is pseudonymised and linked through the
 * roster crosswalk (a student's sourcedId or userIds); an actor no roster names yet still loads,
 * unlinked, and is linked when a roster names it (linkUnlinkedActivity). A statement id seen before,
 * in the file, the batch or the warehouse, is dropped with a warning: LRS exports overlap.
 */
export const xapiFeed: Feed = {
  kind: 'xapi',
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const file = input.files[0];
    const raw = await readStatements(staging, file, staging.newTable('xapi_raw'));
    if (!raw) return nothingStaged(input);
    context.progress(file.name, raw.rows);
    const table = staging.newTable('xapi');
    await typeStatements(context, raw, file.name, table);
    await staging.validate(table, file.name, statementRules(raw.layout));
    await warnDerivedIds(staging, table, file, raw.layout);
    await dropSeenStatements(staging, table, file, raw.layout);
    await warnUnlinked(staging, table, file, raw.layout);
    return {
      input,
      rowsRead: raw.rows,
      rowsRejected: () => staging.rejectedCount(table),
      notes: () => xapiNotes(staging, table, raw.rows),
      load: (session) => loadActivity(session, table, context.batchId),
    };
  },
};

async function count(staging: Staging, sql: string): Promise<{ n: number; first: number | null }> {
  const [row] = await staging.session.all<{ n: bigint; first: bigint | null }>(sql);
  return { n: Number(row.n), first: row.first === null ? null : Number(row.first) };
}

/** One warning for the file, not one per statement: some apps export no ids at all. */
async function warnDerivedIds(
  staging: Staging,
  table: string,
  file: SourceFile,
  layout: StatementLayout,
): Promise<void> {
  const derived = await count(
    staging,
    `SELECT count(*) AS n, min(line) AS first FROM ${table} WHERE statement_id_derived AND NOT rejected`,
  );
  if (derived.n === 0) return;
  await staging.problem({
    severity: 'warning',
    file: file.name,
    row: derived.first,
    column: 'id',
    value: `${derived.n} statement(s), the first at this row`,
    ...say('xapi.derived_ids', { rows: layout }),
  });
}

/**
 * Marks (`skip`) the statements not to write: a later copy of an id within the file, an id an earlier
 * xAPI file of this batch had, an id already in the warehouse. Only valid statements count: with
 * --accept-partial a valid copy loads even when an earlier copy was rejected.
 */
async function dropSeenStatements(
  staging: Staging,
  table: string,
  file: SourceFile,
  layout: StatementLayout,
): Promise<void> {
  const seen = staging.t('xapi_seen');
  await staging.session.run(`CREATE TABLE IF NOT EXISTS ${seen} (statement_id VARCHAR, file VARCHAR, line BIGINT)`);
  await staging.session.run(
    `UPDATE ${table} SET skip = 'file', dup_of = f.first_line
     FROM (SELECT line, min(line) OVER (PARTITION BY statement_id) AS first_line FROM ${table} WHERE NOT rejected) f
     WHERE ${table}.line = f.line AND f.line <> f.first_line`,
  );
  await staging.session.run(
    `UPDATE ${table} SET skip = 'batch', dup_of = s.line, dup_file = s.file FROM ${seen} s
     WHERE ${table}.statement_id = s.statement_id AND NOT ${table}.rejected AND ${table}.skip IS NULL`,
  );
  await staging.session.run(
    `UPDATE ${table} SET skip = 'warehouse' FROM main.learning_activity la
     WHERE la.statement_id = ${table}.statement_id AND NOT ${table}.rejected AND ${table}.skip IS NULL`,
  );
  await staging.session.run(`INSERT INTO ${seen} SELECT statement_id, $1, line FROM ${table} WHERE ${LOADABLE}`, [
    file.name,
  ]);
  await staging.validate(table, file.name, [
    {
      severity: 'warning',
      column: 'id',
      ...say('xapi.repeat_in_file', { rows: layout }),
      value: `'same id as row ' || dup_of`,
      when: `skip = 'file'`,
    },
    {
      severity: 'warning',
      column: 'id',
      ...say('xapi.repeat_in_batch', { rows: layout }),
      value: `'same id as ' || dup_file || ' row ' || dup_of`,
      when: `skip = 'batch'`,
    },
  ]);
  const stored = await count(
    staging,
    `SELECT count(*) AS n, min(line) AS first FROM ${table} WHERE skip = 'warehouse'`,
  );
  if (stored.n > 0) {
    await staging.problem({
      severity: 'warning',
      file: file.name,
      row: stored.first,
      column: 'id',
      value: `${stored.n} statement(s), the first at this row`,
      ...say('xapi.already_stored', { rows: layout }),
    });
  }
}

/**
 * One warning per unlinked actor and per student without a school that year, at the row of its
 * first statement: never the ID, only how many statements are concerned.
 */
async function warnUnlinked(staging: Staging, table: string, file: SourceFile, layout: StatementLayout): Promise<void> {
  const actors = staging.newTable('xapi_unlinked');
  await staging.session.run(
    `CREATE TABLE ${actors} AS SELECT min(line) AS line, false AS rejected, count(*) AS statements
     FROM ${table} WHERE ${LOADABLE} AND student_pid IS NULL GROUP BY actor_pid`,
  );
  const schoolless = staging.newTable('xapi_schoolless');
  await staging.session.run(
    `CREATE TABLE ${schoolless} AS SELECT min(line) AS line, false AS rejected, count(*) AS statements, academic_year
     FROM ${table} WHERE ${LOADABLE} AND student_pid IS NOT NULL AND school_code IS NULL GROUP BY student_pid, academic_year`,
  );
  await staging.validate(actors, file.name, [
    {
      severity: 'warning',
      column: 'actor',
      ...say('xapi.actor_unlinked', { rows: layout }),
      value: `'${WITHHELD}: ' || statements || ' statement(s)'`,
      when: 'true',
    },
  ]);
  await staging.validate(schoolless, file.name, [
    {
      severity: 'warning',
      column: 'timestamp',
      ...say('xapi.no_enrolment', { rows: layout }),
      value: `'${WITHHELD}: ' || statements || ' statement(s) in ' || academic_year || '年度'`,
      when: 'true',
    },
  ]);
  await staging.session.run(`DROP TABLE ${actors}`);
  await staging.session.run(`DROP TABLE ${schoolless}`);
}

async function xapiNotes(staging: Staging, table: string, statements: number): Promise<XapiNotes> {
  const [row] = await staging.session.all<Record<string, bigint>>(
    `SELECT count(*) FILTER (WHERE skip = 'file') AS in_file,
            count(*) FILTER (WHERE skip = 'batch') AS in_batch,
            count(*) FILTER (WHERE skip = 'warehouse') AS in_warehouse,
            count(*) FILTER (WHERE ${LOADABLE} AND student_pid IS NULL) AS unlinked_statements,
            count(DISTINCT actor_pid) FILTER (WHERE ${LOADABLE} AND student_pid IS NULL) AS unlinked_actors
     FROM ${table}`,
  );
  return {
    statements,
    duplicatesInFile: Number(row.in_file),
    duplicatesInBatch: Number(row.in_batch),
    alreadyInWarehouse: Number(row.in_warehouse),
    unlinkedStatements: Number(row.unlinked_statements),
    unlinkedActors: Number(row.unlinked_actors),
  };
}

async function loadActivity(session: WarehouseSession, table: string, batchId: string): Promise<number> {
  const [inserted] = await session.all<{ Count: bigint }>(
    `INSERT INTO main.learning_activity (${LEARNING_ACTIVITY_COLUMNS}, batch_id)
     SELECT ${LEARNING_ACTIVITY_COLUMNS}, $1 FROM ${table} WHERE ${LOADABLE}`,
    [batchId],
  );
  return Number(inserted.Count);
}
