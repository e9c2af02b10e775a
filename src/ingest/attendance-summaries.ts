import { VARCHAR } from '@duckdb/node-api';
import { sqlFile } from '../warehouse/sql-files.js';
import type { WarehouseSession } from '../warehouse/warehouse.js';

/** The refresh as separate statements (DuckDB prepares one statement at a time). */
const STATEMENTS = sqlFile('derived/attendance-summaries')
  .split(/;\s*\n/)
  .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
  .filter(Boolean);

/**
 * Keeps the per-student, per-year attendance record in step with the daily rows: for every school and
 * year this batch loaded attendance or calendar rows for, recomputed in the batch's transaction.
 */
export async function refreshAttendanceSummaries(session: WarehouseSession, batchId: string): Promise<void> {
  for (const statement of STATEMENTS) await session.run(statement, { batch: batchId }, { batch: VARCHAR });
}
