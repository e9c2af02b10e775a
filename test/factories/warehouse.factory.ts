import type { Warehouse } from '../../src/warehouse/warehouse.js';

export interface SchoolFixture {
  schoolCode: string;
  name: string;
  schoolType: 'elementary' | 'junior_high';
}

/** Writes schools and a few pseudonymous enrolments straight into the warehouse, as an ingest would. */
export async function seedSchools(warehouse: Warehouse, schools: SchoolFixture[], academicYear = 2025): Promise<void> {
  await warehouse.transaction(async (session) => {
    for (const school of schools) {
      await session.run(
        'INSERT INTO schools (school_code, name, school_type, prefecture_code, municipality) VALUES ($1, $2, $3, $4, $5)',
        [school.schoolCode, school.name, school.schoolType, school.schoolCode.slice(2, 4), 'テスト市'],
      );
      for (let i = 0; i < 3; i++) {
        await session.run(
          'INSERT INTO enrolments (student_pid, school_code, academic_year, grade, special_needs) VALUES ($1, $2, $3, $4, $5)',
          [
            `pid-${school.schoolCode}-${i}`,
            school.schoolCode,
            academicYear,
            school.schoolType === 'elementary' ? 'P1' : 'J1',
            i === 2,
          ],
        );
      }
    }
  });
}
