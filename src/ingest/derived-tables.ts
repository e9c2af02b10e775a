import { VARCHAR } from '@duckdb/node-api';
import { sqlFile } from '../warehouse/sql-files.js';
import type { WarehouseSession } from '../warehouse/warehouse.js';
import type { FeedKind } from './ingest.types.js';

/** A refresh file as separate statements (DuckDB prepares one statement at a time). */
const statementsOf = (name: string) =>
  sqlFile(name)
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);

/** Each derived table's refresh, and the feeds whose rows it is made from. In order: the record reads the summaries. */
const REFRESHES: { statements: string[]; from: FeedKind[] }[] = [
  { statements: statementsOf('derived/attendance-summaries'), from: ['attendance', 'calendar'] },
  { statements: statementsOf('derived/student-year-attendance'), from: ['attendance', 'calendar', 'oneroster'] },
  { statements: statementsOf('derived/grade-on-facts'), from: ['assessments', 'guidance', 'oneroster'] },
];

/**
 * Keeps what the warehouse derives from the loaded rows in step with a batch, in the batch's own
 * transaction (queries/derived): the attendance summaries, the record of every enrolled student
 * (student_year_attendance), and the grade on assessment and guidance rows — each for what the batch
 * touched, and only when the batch loaded a feed it is made from.
 */
export async function refreshDerivedTables(session: WarehouseSession, batchId: string, loaded: ReadonlySet<FeedKind>): Promise<void> {
  for (const { statements, from } of REFRESHES) {
    if (!from.some((kind) => loaded.has(kind))) continue;
    for (const statement of statements) {
      if (statement.includes('$batch')) await session.run(statement, { batch: batchId }, { batch: VARCHAR });
      else await session.run(statement);
    }
  }
}
