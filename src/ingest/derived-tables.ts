import { VARCHAR } from '@duckdb/node-api';
import { sqlFile } from '../warehouse/sql-files.js';
import type { WarehouseSession } from '../warehouse/warehouse.js';
import type { FeedKind, StagedFeed } from './ingest.types.js';

/** A refresh file as separate statements (DuckDB prepares one statement at a time). */
const statementsOf = (name: string) =>
  sqlFile(name)
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);

/** Makes temp.derived_touched and adds the schools and years rosters touched. */
const TOUCHED = statementsOf('derived/touched');

/** Each derived table's refresh, and the feeds whose rows it is made from. In order: the record reads the summaries. */
const REFRESHES: { statements: string[]; from: FeedKind[] }[] = [
  { statements: statementsOf('derived/attendance-summaries'), from: ['attendance', 'calendar'] },
  { statements: statementsOf('derived/student-year-attendance'), from: ['attendance', 'calendar', 'oneroster'] },
  { statements: statementsOf('derived/grade-on-facts'), from: ['assessments', 'guidance', 'oneroster'] },
];

async function run(session: WarehouseSession, statement: string, batchId: string): Promise<void> {
  if (statement.includes('$batch')) await session.run(statement, { batch: batchId }, { batch: VARCHAR });
  else await session.run(statement);
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
export async function refreshDerivedTables(session: WarehouseSession, batchId: string, loaded: readonly StagedFeed[]): Promise<void> {
  const kinds = new Set(loaded.map((feed) => feed.input.kind));
  const refreshes = REFRESHES.filter(({ from }) => from.some((kind) => kinds.has(kind)));
  if (refreshes.length === 0) return;
  for (const statement of TOUCHED) await run(session, statement, batchId);
  for (const feed of loaded) {
    if (!feed.touchedYears) continue;
    const byAttendance = feed.input.kind === 'attendance';
    const byCalendar = feed.input.kind === 'calendar';
    // Staging table names are ours (Staging.newTable); the flags are the only values, and are bound.
    await session.run(
      `INSERT INTO temp.derived_touched
       SELECT DISTINCT school_code, academic_year, $1::BOOLEAN, $2::BOOLEAN FROM ${feed.touchedYears}
       WHERE school_code IS NOT NULL AND academic_year IS NOT NULL
       ON CONFLICT DO UPDATE SET by_attendance = by_attendance OR excluded.by_attendance, by_calendar = by_calendar OR excluded.by_calendar`,
      [byAttendance, byCalendar],
    );
  }
  for (const { statements } of refreshes) {
    for (const statement of statements) await run(session, statement, batchId);
  }
  await session.run('DROP TABLE temp.derived_touched');
}
