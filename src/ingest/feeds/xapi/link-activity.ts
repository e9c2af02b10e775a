import type { WarehouseSession } from '../../../warehouse/warehouse.js';
import type { Staging } from '../../staging.js';
import { schoolOfYearSql } from './type-statements.js';

export interface ActivityLinks {
  /** Stored statements that had no student and now have one. */
  linkedStatements: number;
  /** Stored statements of a known student that had no school and now have one (a roster added that year's enrolment). */
  schoolsSet: number;
}

/**
 * Links learning activity stored while no roster named its actor: run by the OneRoster feed's load,
 * inside the batch's transaction, after it has written the roster. The staging resolver must have
 * been rebuilt after the batch's rosters were staged (`staging.buildResolver()`), so that it holds
 * their students and identities.
 */
export async function linkUnlinkedActivity(session: WarehouseSession, staging: Staging): Promise<ActivityLinks> {
  const [linked] = await session.all<{ Count: bigint }>(
    `UPDATE main.learning_activity AS la SET student_pid = r.student_pid
     FROM ${staging.t('resolver')} r
     WHERE la.student_pid IS NULL AND la.actor_pid = r.pid`,
  );
  const [schools] = await session.all<{ Count: bigint }>(
    `UPDATE main.learning_activity AS la SET school_code = e.school_code
     FROM ${schoolOfYearSql()} e
     WHERE la.school_code IS NULL AND la.student_pid = e.student_pid AND la.academic_year = e.academic_year`,
  );
  return { linkedStatements: Number(linked?.Count ?? 0), schoolsSet: Number(schools?.Count ?? 0) };
}
