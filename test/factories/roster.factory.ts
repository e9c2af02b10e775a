import { ensurePseudonymKey, readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { SCHOOL_A, SCHOOL_B, type TestApp } from '../support/test-app.js';

/** The two schools most ingest tests seed: an elementary school (A) and a junior high (B). */
export const CENTRAL_SCHOOLS = [
  { code: SCHOOL_A, name: '中央小学校', type: 'elementary' },
  { code: SCHOOL_B, name: '中央中学校', type: 'junior_high' },
];

export interface RosterStudent {
  sourcedId: string;
  schoolCode: string;
  grade: string;
  sex?: 'male' | 'female';
  /** Other-system IDs, as OneRoster userIds carry them: type → id. */
  userIds?: Record<string, string>;
}

/**
 * Writes what a loaded roster leaves in the warehouse (schools, students, identities, enrolments),
 * pseudonymised with the test's key, so that the per-student feeds can be tested on their own.
 */
export async function seedRoster(
  warehouse: Warehouse,
  keyFile: string,
  schools: { code: string; name: string; type: string }[],
  students: RosterStudent[],
  academicYear = 2025,
): Promise<Pseudonymizer> {
  ensurePseudonymKey(keyFile);
  const pseudonymizer = new Pseudonymizer(readPseudonymKey(keyFile));
  await warehouse.transaction(async (session) => {
    for (const school of schools) {
      await session.run(
        `INSERT INTO schools (school_code, name, school_type, prefecture_code) VALUES ($1, $2, $3, $4)`,
        [school.code, school.name, school.type, school.code.slice(2, 4)],
      );
    }
    for (const student of students) {
      const pid = pseudonymizer.pseudonym(student.sourcedId);
      await session.run(`INSERT INTO students (student_pid, sex) VALUES ($1, $2)`, [pid, student.sex ?? 'female']);
      await session.run(
        `INSERT INTO enrolments (student_pid, school_code, academic_year, grade) VALUES ($1, $2, $3, $4)`,
        [pid, student.schoolCode, academicYear, student.grade],
      );
      for (const [type, id] of Object.entries(student.userIds ?? {})) {
        await session.run(`INSERT INTO student_identities (id_type, id_pid, student_pid) VALUES ($1, $2, $3)`, [
          type,
          pseudonymizer.pseudonym(id),
          pid,
        ]);
      }
    }
  });
  return pseudonymizer;
}

/** seedRoster of a test app's warehouse, with its key and the two CENTRAL_SCHOOLS. */
export const seedCentralRoster = (t: TestApp, students: RosterStudent[]) =>
  seedRoster(t.warehouse, t.stores.config.pseudonymKeyFile!, CENTRAL_SCHOOLS, students);
