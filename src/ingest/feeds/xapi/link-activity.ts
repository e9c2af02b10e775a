import type { WarehouseSession } from '../../../warehouse/warehouse.js';
import type { Staging } from '../../staging.js';
import { ingestSql } from '../../sql/ingest-sql.js';

const Q = { linkStudents: ingestSql('xapi/link-students'), linkSchools: ingestSql('xapi/link-schools') };

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
export async function linkUnlinkedActivity(session: WarehouseSession, _staging: Staging): Promise<ActivityLinks> {
  const [linked] = await session.all<{ Count: bigint }>(Q.linkStudents);
  const [schools] = await session.all<{ Count: bigint }>(Q.linkSchools);
  return { linkedStatements: Number(linked?.Count ?? 0), schoolsSet: Number(schools?.Count ?? 0) };
}
