import { isValidSchoolCode } from '../../schools/school-code.js';
import type { WarehouseSession } from '../../warehouse/warehouse.js';
import { ingestSql, ingestStatements, quoteIdent, render, type Part } from '../sql/ingest-sql.js';
import { boundParams, type StagingArea } from './staging-area.js';

const Q = {
  numberStudents: ingestStatements('numbering/number-students'),
  numberSchools: ingestSql('numbering/number-schools'),
  writeNewRefs: ingestStatements('numbering/write-new-refs'),
  batchRef: ingestSql('numbering/batch-ref'),
  uncheckedSchoolCodes: ingestSql('numbering/unchecked-school-codes'),
};

/**
 * Makes `table` (sid, student_pid) of the students `pids` (a table or subquery with a student_pid
 * column, each once): sid is the student's number in the warehouse (student_refs) or in this batch, or
 * the next free one, kept in new_student_refs for the rest of the batch.
 */
export async function numberStudents(area: StagingArea, table: string, pids: Part): Promise<void> {
  for (const statement of Q.numberStudents) await area.run(statement, { table, pids });
}

/** Numbers every school known to the warehouse or this batch that has no number yet (school_refs). */
export async function numberSchools(area: StagingArea): Promise<void> {
  await area.run(Q.numberSchools);
}

/**
 * At load, before the daily rows that use them: the student and school numbers this batch gave that
 * the warehouse does not hold yet, and the batch's own number (batch_refs), which is returned.
 */
export async function writeNewRefs(session: WarehouseSession, batchId: string): Promise<number> {
  for (const statement of Q.writeNewRefs) {
    const { params } = boundParams(statement, { batch: batchId });
    await session.run(statement, params);
  }
  const [{ batch_ref }] = await session.all<{ batch_ref: number }>(render(Q.batchRef, {}), [batchId]);
  return batch_ref;
}

/** Checks each distinct school code of a column once (MEXT check digit, in Node) into school_code_check. */
export async function checkSchoolCodes(area: StagingArea, table: string, column: string): Promise<void> {
  const codes = await area.all<{ code: string }>(Q.uncheckedSchoolCodes, { table, column: quoteIdent(column) });
  if (codes.length === 0) return;
  const appender = await area.appender(area.t('school_code_check'));
  for (const { code } of codes) {
    appender.appendVarchar(code);
    appender.appendBoolean(isValidSchoolCode(code));
    appender.endRow();
  }
  appender.closeSync();
}
