import { INTEGER, VARCHAR } from '@duckdb/node-api';
import { sqlFile } from '../warehouse/sql-files.js';
import type { WarehouseSession } from '../warehouse/warehouse.js';
import type { StagedFeed } from './feed.js';
import type { FeedKind } from './ingest.types.js';
import { ingestSql, render } from './sql/ingest-sql.js';

/** A refresh file as separate statements (DuckDB prepares one statement at a time). */
const statementsOf = (name: string) =>
  sqlFile(name)
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);

/** Makes temp.derived_touched and adds the schools and years rosters touched. */
const TOUCHED = statementsOf('derived/touched');

/** Adds the schools and years a feed's load touched (its touchedYears table). */
const TOUCHED_BY_FEED = ingestSql('derived/touched-by-feed');
const TOUCHED_YEARS = ingestSql('derived/touched-years');
const TOUCHED_DONE = ingestSql('derived/touched-done');

/** Each derived table's refresh, and the feeds whose rows it is made from. In order: the record reads the summaries. */
const REFRESHES: { statements: string[]; from: FeedKind[] }[] = [
  { statements: statementsOf('derived/attendance-summaries'), from: ['attendance', 'calendar'] },
  { statements: statementsOf('derived/student-year-attendance'), from: ['attendance', 'calendar', 'oneroster'] },
  { statements: statementsOf('derived/grade-on-facts'), from: ['assessments', 'guidance', 'oneroster'] },
];

/** The values a refresh statement may bind: the batch, and the first and last school year it touched. */
interface RefreshValues {
  batch: string;
  first_year?: number;
  last_year?: number;
}

/** Runs a statement with the values it names bound ($batch, $first_year, $last_year). */
async function run(session: WarehouseSession, statement: string, values: RefreshValues): Promise<void> {
  const named = Object.entries(values).filter(([name]) => new RegExp(`\\$${name}\\b`).test(statement));
  if (named.length === 0) return session.run(statement);
  const params = Object.fromEntries(named.map(([name, value]) => [name, value ?? null]));
  const types = Object.fromEntries(named.map(([name]) => [name, name === 'batch' ? VARCHAR : INTEGER]));
  await session.run(statement, params, types);
}

/**
 * Keeps what the warehouse derives from the loaded rows in step with a batch, in the batch's own
 * transaction (queries/derived): the attendance summaries, the record of every enrolled student
 * (student_year_attendance), and the grade on assessment and guidance rows — each for what the batch
 * touched, and only when the batch loaded a feed it is made from.
 *
 * The schools and years the batch touched are found once, into temp.derived_touched, and every
 * refresh reads them from there: attendance and calendar years from the staged rows the feeds loaded
 * (`touchedYears`), roster years from the warehouse's enrolments. A refresh then reads the fact rows of
 * those years only, instead of finding the batch's rows again in every statement.
 */
export async function refreshDerivedTables(
  session: WarehouseSession,
  batchId: string,
  loaded: readonly StagedFeed[],
): Promise<void> {
  const kinds = new Set(loaded.map((feed) => feed.input.kind));
  const refreshes = REFRESHES.filter(({ from }) => from.some((kind) => kinds.has(kind)));
  if (refreshes.length === 0) return;
  for (const statement of TOUCHED) await run(session, statement, { batch: batchId });
  for (const feed of loaded) {
    if (!feed.touchedYears) continue;
    const byAttendance = feed.input.kind === 'attendance';
    const byCalendar = feed.input.kind === 'calendar';
    // Staging table names are ours (Staging.newTable); the flags are the only values, and are bound.
    await session.run(render(TOUCHED_BY_FEED, { years: feed.touchedYears }), [byAttendance, byCalendar]);
  }
  // Bound as values, the years filter the fact rows where they are read (a subquery there is planned
  // as a join, and within the load's transaction the planner does not count the rows just written).
  const [years] = await session.all<{ first_year: number | null; last_year: number | null }>(TOUCHED_YEARS);
  const values: RefreshValues = {
    batch: batchId,
    first_year: years.first_year ?? undefined,
    last_year: years.last_year ?? undefined,
  };
  for (const { statements } of refreshes) {
    for (const statement of statements) await run(session, statement, values);
  }
  await session.run(TOUCHED_DONE);
}
