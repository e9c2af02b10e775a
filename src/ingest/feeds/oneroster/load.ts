import type { WarehouseSession } from '../../../warehouse/warehouse.js';
import { ENTITIES, MIRROR } from './package-table.js';
import type { RosterTables } from './roster-tables.js';

/**
 * Writes one staged package into the warehouse, inside the batch's transaction: first the mirror (each
 * entity's winning rows replace theirs; a bulk file's removed keys go), then the derived rows computed
 * while staging. Reads staging, writes `main` only.
 */
export async function loadPackage(session: WarehouseSession, names: RosterTables, batchId: string): Promise<number> {
  let applied = 0;
  for (const entity of ENTITIES) {
    const table = names.tables[entity];
    const { table: mirror, key, columns } = MIRROR[entity];
    await session.run(
      `DELETE FROM main.${mirror} WHERE ${key} IN (SELECT ${key} FROM ${names.removed(entity)})
       ${table ? `OR ${key} IN (SELECT ${key} FROM ${table.table} WHERE wins)` : ''}`,
    );
    if (!table) continue;
    await session.run(
      `INSERT INTO main.${mirror} (${key}, ${columns.join(', ')}, status, date_last_modified, batch_id)
       SELECT ${key}, ${columns.join(', ')}, CASE WHEN deleting THEN 'tobedeleted' ELSE 'active' END, dlm, $1 FROM ${table.table} WHERE wins`,
      [batchId],
    );
    // 1.1 roles are made from users rows: those rows are counted once, as users.
    if (table.rowsRead > 0) {
      const [{ n }] = await session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table.table} WHERE wins`);
      applied += Number(n);
    }
  }
  await loadDerived(session, names, batchId);
  return applied;
}

async function loadDerived(session: WarehouseSession, names: RosterTables, batchId: string): Promise<void> {
  const w = (n: string) => names.work(n);
  const run = (sql: string) => session.run(sql, [batchId]);
  await run(
    `INSERT OR REPLACE INTO main.schools (school_code, name, school_type, prefecture_code, municipality, org_id, batch_id)
     SELECT school_code, name, school_type, prefecture_code, municipality, org_id, $1 FROM ${w('d_schools')}`,
  );
  // A year's dates come from its schoolYear session; a year only classes imply is added once and left alone.
  await session.run(
    `INSERT OR REPLACE INTO main.academic_years (academic_year, title, start_date, end_date)
     SELECT academic_year, title, start_date, end_date FROM ${w('d_years')} d
     WHERE d.from_session OR NOT EXISTS (SELECT 1 FROM main.academic_years a WHERE a.academic_year = d.academic_year)`,
  );
  await run(
    `INSERT OR REPLACE INTO main.students (student_pid, sex, birth_year_month, batch_id) SELECT student_pid, sex, birth_year_month, $1 FROM ${w('d_students')}`,
  );
  // Only what changed: a yearly bulk repeats most students' IDs, and index deletes are not free.
  await session.run(
    `DELETE FROM main.student_identities s WHERE s.student_pid IN (SELECT student_pid FROM ${w('d_identity_students')})
       AND NOT EXISTS (SELECT 1 FROM ${w('d_identities')} d WHERE d.id_type = s.id_type AND d.id_pid = s.id_pid AND d.student_pid = s.student_pid)`,
  );
  await run(
    `INSERT INTO main.student_identities (id_type, id_pid, student_pid, batch_id)
     SELECT id_type, id_pid, student_pid, $1 FROM ${w('d_identities')} d
     WHERE NOT EXISTS (SELECT 1 FROM main.student_identities s WHERE s.id_type = d.id_type AND s.id_pid = d.id_pid)`,
  );
  await run(
    `INSERT OR REPLACE INTO main.homerooms (homeroom_id, school_code, academic_year, title, grades, special_needs, batch_id)
     SELECT homeroom_id, school_code, academic_year, title, grades, special_needs, $1 FROM ${w('d_homerooms')}`,
  );
  await session.run(
    `DELETE FROM main.homerooms h USING ${w('affected')} a
     WHERE h.school_code = a.school_code AND h.academic_year = a.academic_year
       AND NOT EXISTS (SELECT 1 FROM ${w('d_homerooms')} d WHERE d.homeroom_id = h.homeroom_id AND d.academic_year = h.academic_year)`,
  );
  await run(
    `INSERT OR REPLACE INTO main.enrolments (student_pid, school_code, academic_year, grade, homeroom_id, special_needs, batch_id)
     SELECT d.student_pid, d.school_code, d.academic_year, CASE WHEN d.past THEN e.grade ELSE d.grade END, d.homeroom_id, d.special_needs, $1
     FROM ${w('d_enrolments')} d
     LEFT JOIN main.enrolments e ON e.student_pid = d.student_pid AND e.school_code = d.school_code AND e.academic_year = d.academic_year`,
  );
  await session.run(
    `DELETE FROM main.enrolments e USING ${w('affected')} a
     WHERE e.school_code = a.school_code AND e.academic_year = a.academic_year
       AND NOT EXISTS (SELECT 1 FROM ${w('d_enrolments')} d WHERE d.student_pid = e.student_pid AND d.school_code = e.school_code AND d.academic_year = e.academic_year)
       AND NOT EXISTS (SELECT 1 FROM ${w('d_history')} h WHERE h.student_pid = e.student_pid AND h.academic_year = e.academic_year)`,
  );
  await run(
    `INSERT OR REPLACE INTO main.staff_counts (school_code, academic_year, role, staff, batch_id)
     SELECT school_code, academic_year, role, staff, $1 FROM ${w('d_staff_counts')}`,
  );
  await session.run(
    `DELETE FROM main.staff_counts c USING ${w('affected')} a
     WHERE c.school_code = a.school_code AND c.academic_year = a.academic_year
       AND NOT EXISTS (SELECT 1 FROM ${w('d_staff_counts')} d WHERE d.school_code = c.school_code AND d.academic_year = c.academic_year AND d.role = c.role)`,
  );
}
