import type { StageContext } from '../../feed.js';
import { effectiveStudents } from './enrollments.js';
import { type Entity, MIRROR } from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { academicYearTitleSql, prefectureSql, schoolTypeSql, sqlList, STAFF_CATEGORY } from './vocabulary.js';

/**
 * The warehouse rows a package changes, computed in staging from the roster after the package (the
 * effective tables), so that later feeds of the batch can already check against them (new_* tables)
 * and the load only copies them.
 *
 * Enrolments, homerooms and staff counts are recomputed for the affected (school, 年度) pairs: the
 * schools and years of everything the package changed, before and after the change. Inside those pairs
 * the result replaces what the warehouse has, except the history of a student who has since moved on
 * to a later year (see `d_history`). Schools, years, students and identities are upserted, never
 * deleted: facts of earlier years still point at them.
 */
export async function deriveWarehouseRows(context: StageContext, names: RosterTables): Promise<void> {
  const run = (sql: string) => context.staging.session.run(sql);
  const eff = (e: Entity) => names.effective(e);
  const w = (n: string) => names.work(n);
  await affectedPairs(context, names);

  // Students and where the roster says they are when no class says it (their primary org, else a student role's school).
  await run(
    `CREATE TABLE ${w('student_users')} AS
     SELECT u.user_pid, u.grades[1] AS grade, u.home_class_id, u.academic_year, coalesce(po.school_code, rs.school_code) AS school_code
     FROM ${eff('users')} u
     LEFT JOIN ${eff('orgs')} po ON po.org_id = u.org_id AND po.status = 'active'
     LEFT JOIN (SELECT r.user_pid, min_by(o.school_code, CASE WHEN r.role_type = 'primary' THEN '0' ELSE '1' END || o.school_code) AS school_code
                FROM ${eff('roles')} r JOIN ${eff('orgs')} o ON o.org_id = r.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
                WHERE r.status = 'active' AND r.role = 'student' GROUP BY r.user_pid) rs ON rs.user_pid = u.user_pid
     WHERE u.user_pid IN ${effectiveStudents(names)}`,
  );
  // An enrolment per (student, school, 年度) from the student's classes, metadata.jp.homeClass, and for a
  // student in no class of their listed year, their school in that year.
  await run(
    `CREATE TABLE ${w('candidates')} AS
     WITH classed AS (
       SELECT e.user_pid, p.school_code, p.academic_year, CASE WHEN p.class_type = 'homeroom' THEN p.class_id END AS homeroom_id, p.special_needs, false AS from_home_class
       FROM ${eff('enrollments')} e JOIN ${w('student_users')} su ON su.user_pid = e.user_pid JOIN ${w('place_new')} p ON p.class_id = e.class_id
       WHERE e.status = 'active' AND e.role = 'student'
       UNION ALL
       SELECT su.user_pid, p.school_code, p.academic_year, p.class_id, p.special_needs, true
       FROM ${w('student_users')} su JOIN ${w('place_new')} p ON p.class_id = su.home_class_id AND p.class_type = 'homeroom')
     SELECT * FROM classed
     UNION ALL
     SELECT su.user_pid, su.school_code, su.academic_year, NULL, false, false FROM ${w('student_users')} su
     WHERE su.school_code IS NOT NULL AND su.academic_year IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM classed c WHERE c.user_pid = su.user_pid AND c.academic_year = su.academic_year)`,
  );
  // The homeroom of an enrolment: the one metadata.jp.homeClass names, else a special-needs class
  // (特別支援学級: a student on two rosters is counted there), else the first by ID. The grade is the
  // user's for the year their row describes; for an earlier year the load keeps the grade already there.
  await run(
    `CREATE TABLE ${w('d_enrolments')} AS
     SELECT c.user_pid AS student_pid, c.school_code, c.academic_year,
            CASE WHEN su.academic_year IS NULL OR c.academic_year = su.academic_year THEN su.grade END AS grade,
            coalesce(c.academic_year < su.academic_year, false) AS past,
            min_by(c.homeroom_id, c.pref) FILTER (WHERE c.homeroom_id IS NOT NULL) AS homeroom_id,
            coalesce(min_by(c.special_needs, c.pref) FILTER (WHERE c.homeroom_id IS NOT NULL), false) AS special_needs
     FROM (SELECT *, CASE WHEN from_home_class THEN '0' WHEN special_needs THEN '1' ELSE '2' END || coalesce(homeroom_id, '') AS pref FROM ${w('candidates')}) c
     JOIN ${w('student_users')} su ON su.user_pid = c.user_pid
     JOIN ${w('affected')} a ON a.school_code = c.school_code AND a.academic_year = c.academic_year
     GROUP BY c.user_pid, c.school_code, c.academic_year, su.academic_year, su.grade`,
  );
  // History: an enrolment in an earlier year than the one a student's roster row now describes is
  // never removed by a later package (a student who moved up or left keeps last year's enrolment).
  await run(
    `CREATE TABLE ${w('d_history')} AS
     SELECT DISTINCT u.user_pid AS student_pid, y.academic_year
     FROM (SELECT user_pid, academic_year FROM ${eff('users')} UNION ALL SELECT user_pid, academic_year FROM ${names.state('users')}) u
     JOIN ${w('affected_years')} y ON u.academic_year > y.academic_year`,
  );
  await run(
    `CREATE TABLE ${w('d_homerooms')} AS
     SELECT p.class_id AS homeroom_id, p.school_code, p.academic_year, p.title, coalesce(p.grades, []::VARCHAR[]) AS grades, p.special_needs,
            p.disability_type
     FROM ${w('place_new')} p JOIN ${w('affected')} a ON a.school_code = p.school_code AND a.academic_year = p.academic_year
     WHERE p.class_type = 'homeroom'`,
  );
  await deriveStaffCounts(context, names);
  await deriveReferenceRows(context, names);
}

/** affected_years, affected_schools and their product `affected`: what the package touches, before and after. */
async function affectedPairs(context: StageContext, names: RosterTables): Promise<void> {
  const run = (sql: string) => context.staging.session.run(sql);
  const w = (n: string) => names.work(n);
  const changed = (entity: Entity) => {
    const { key } = MIRROR[entity];
    const table = names.tables[entity];
    return `(SELECT ${key} FROM ${names.removed(entity)} ${table ? `UNION SELECT ${key} FROM ${table.table} WHERE wins` : ''})`;
  };
  // The classes whose placement may have changed: changed classes, the classes of changed enrollments
  // (before and after), and the classes of changed sessions.
  await run(
    `CREATE TABLE ${w('changed_classes')} AS
     SELECT class_id FROM ${changed('classes')}
     UNION SELECT class_id FROM ${names.state('enrollments')} WHERE enrollment_pid IN ${changed('enrollments')}
     UNION SELECT class_id FROM ${names.effective('enrollments')} WHERE enrollment_pid IN ${changed('enrollments')}
     UNION SELECT class_id FROM (SELECT class_id, unnest(term_ids) AS term_id FROM ${names.effective('classes')}) WHERE term_id IN ${changed('academicSessions')}`,
  );
  // The users whose enrolments or staff counts may have changed: changed users, and the users of
  // changed roles (a changed enrollment is covered by its class; demographics change students only).
  await run(
    `CREATE TABLE ${w('changed_users')} AS
     SELECT user_pid FROM ${changed('users')}
     UNION SELECT user_pid FROM ${names.state('roles')} WHERE role_pid IN ${changed('roles')}
     UNION SELECT user_pid FROM ${names.effective('roles')} WHERE role_pid IN ${changed('roles')}`,
  );
  const places = `(SELECT * FROM ${w('place_old')} UNION ALL SELECT * FROM ${w('place_new')})`;
  const userYears = `(SELECT user_pid, academic_year, org_id FROM ${names.state('users')} UNION ALL SELECT user_pid, academic_year, org_id FROM ${names.effective('users')})`;
  // A changed user touches the year their row now describes, not the one before: moving up to a new
  // year leaves last year's enrolment and staff count as they were.
  await run(
    `CREATE TABLE ${w('affected_years')} AS
     SELECT academic_year FROM ${w('scope_years')}
     UNION SELECT academic_year FROM ${places} WHERE class_id IN (SELECT class_id FROM ${w('changed_classes')})
     UNION SELECT academic_year FROM ${names.effective('users')} WHERE user_pid IN (SELECT user_pid FROM ${w('changed_users')}) AND academic_year IS NOT NULL`,
  );
  const orgs = `(SELECT org_id, school_code FROM ${names.state('orgs')} UNION SELECT org_id, school_code FROM ${names.effective('orgs')})`;
  const enrollments = `(SELECT user_pid, class_id FROM ${names.state('enrollments')} UNION SELECT user_pid, class_id FROM ${names.effective('enrollments')})`;
  const roles = `(SELECT user_pid, org_id FROM ${names.state('roles')} UNION SELECT user_pid, org_id FROM ${names.effective('roles')})`;
  await run(
    `CREATE TABLE ${w('affected_schools')} AS
     SELECT school_code FROM ${w('scope_schools')}
     UNION SELECT school_code FROM ${places} WHERE class_id IN (SELECT class_id FROM ${w('changed_classes')})
     UNION SELECT school_code FROM ${orgs} WHERE org_id IN ${changed('orgs')} AND school_code IS NOT NULL
     UNION SELECT o.school_code FROM ${userYears} u JOIN ${orgs} o ON o.org_id = u.org_id
       WHERE u.user_pid IN (SELECT user_pid FROM ${w('changed_users')}) AND o.school_code IS NOT NULL
     UNION SELECT o.school_code FROM ${roles} r JOIN ${orgs} o ON o.org_id = r.org_id
       WHERE r.user_pid IN (SELECT user_pid FROM ${w('changed_users')}) AND o.school_code IS NOT NULL
     UNION SELECT p.school_code FROM ${enrollments} e JOIN ${places} p ON p.class_id = e.class_id
       WHERE e.user_pid IN (SELECT user_pid FROM ${w('changed_users')})`,
  );
  await run(
    `CREATE TABLE ${w('affected')} AS SELECT s.school_code, y.academic_year FROM ${w('affected_schools')} s, ${w('affected_years')} y`,
  );
}

/** 教職員数: distinct staff per school, year and role, a staff member being at a school in a year by a class there or by their row's year. */
async function deriveStaffCounts(context: StageContext, names: RosterTables): Promise<void> {
  const eff = (e: Entity) => names.effective(e);
  const w = (n: string) => names.work(n);
  const category = `CASE r.role ${Object.entries(STAFF_CATEGORY)
    .map(([role, c]) => `WHEN '${role}' THEN '${c}'`)
    .join(' ')} END`;
  await context.staging.session.run(
    `CREATE TABLE ${w('d_staff_counts')} AS
     WITH staff AS (
       SELECT r.user_pid, o.school_code, ${category} AS role, u.academic_year
       FROM ${eff('roles')} r
       JOIN ${eff('users')} u ON u.user_pid = r.user_pid AND u.status = 'active'
       JOIN ${eff('orgs')} o ON o.org_id = r.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
       WHERE r.status = 'active' AND r.role IN (${sqlList(Object.keys(STAFF_CATEGORY))})),
     presence AS (
       SELECT s.user_pid, s.school_code, s.role, p.academic_year FROM staff s
       JOIN ${eff('enrollments')} e ON e.user_pid = s.user_pid AND e.status = 'active'
       JOIN ${w('place_new')} p ON p.class_id = e.class_id AND p.school_code = s.school_code
       UNION SELECT user_pid, school_code, role, academic_year FROM staff WHERE academic_year IS NOT NULL)
     SELECT p.school_code, p.academic_year, p.role, CAST(count(DISTINCT p.user_pid) AS INTEGER) AS staff
     FROM presence p JOIN ${w('affected')} a ON a.school_code = p.school_code AND a.academic_year = p.academic_year
     GROUP BY ALL`,
  );
}

/** Schools, 年度, students and their identities: the rows that differ from the warehouse (or are new). */
async function deriveReferenceRows(context: StageContext, names: RosterTables): Promise<void> {
  const run = (sql: string) => context.staging.session.run(sql);
  const eff = (e: Entity) => names.effective(e);
  const w = (n: string) => names.work(n);
  await run(
    `CREATE TABLE ${w('d_schools')} AS
     SELECT d.* FROM (
       SELECT o.school_code, o.name, ${schoolTypeSql('o.school_code')} AS school_type, ${prefectureSql('o.school_code')} AS prefecture_code,
              CASE WHEN p.type = 'district' THEN p.name END AS municipality, o.org_id
       FROM ${eff('orgs')} o LEFT JOIN ${eff('orgs')} p ON p.org_id = o.parent_id AND p.status = 'active'
       WHERE o.status = 'active' AND o.type = 'school' AND o.school_code IS NOT NULL) d
     LEFT JOIN main.schools s ON s.school_code = d.school_code
     WHERE s.school_code IS NULL OR s.name IS DISTINCT FROM d.name OR s.school_type IS DISTINCT FROM d.school_type
        OR s.prefecture_code IS DISTINCT FROM d.prefecture_code OR s.municipality IS DISTINCT FROM d.municipality OR s.org_id IS DISTINCT FROM d.org_id`,
  );
  const sessions = names.tables.academicSessions;
  await run(
    `CREATE TABLE ${w('d_years')} AS
     WITH sy AS (SELECT academic_year, min(start_date) AS start_date, max(end_date) AS end_date FROM ${eff('academicSessions')}
                 WHERE status = 'active' AND type = 'schoolYear' AND academic_year IS NOT NULL GROUP BY academic_year),
     years AS (SELECT academic_year FROM ${w('d_enrolments')} UNION SELECT academic_year FROM ${w('d_homerooms')}
               ${sessions ? `UNION SELECT academic_year FROM ${sessions.table} WHERE wins AND NOT deleting AND type = 'schoolYear' AND academic_year IS NOT NULL` : ''})
     SELECT y.academic_year, ${academicYearTitleSql('y.academic_year')} AS title,
            coalesce(sy.start_date, make_date(y.academic_year, 4, 1)) AS start_date, coalesce(sy.end_date, make_date(y.academic_year + 1, 3, 31)) AS end_date,
            sy.academic_year IS NOT NULL AS from_session
     FROM years y LEFT JOIN sy ON sy.academic_year = y.academic_year`,
  );
  await run(
    `CREATE TABLE ${w('d_students')} AS
     SELECT su.user_pid AS student_pid, dm.sex, dm.birth_year_month
     FROM ${w('student_users')} su
     LEFT JOIN ${eff('demographics')} dm ON dm.user_pid = su.user_pid AND dm.status = 'active'
     LEFT JOIN main.students s ON s.student_pid = su.user_pid
     WHERE s.student_pid IS NULL OR s.sex IS DISTINCT FROM dm.sex OR s.birth_year_month IS DISTINCT FROM dm.birth_year_month`,
  );
  // Identities are replaced for the students whose users row this package applies; an ID two students
  // would share (already reported) links neither.
  const users = names.tables.users;
  const applied = users
    ? `(SELECT user_pid FROM ${users.table} WHERE wins AND NOT deleting AND user_pid IN ${effectiveStudents(names)})`
    : '(SELECT NULL::VARCHAR AS user_pid WHERE false)';
  await run(`CREATE TABLE ${w('d_identity_students')} AS SELECT user_pid AS student_pid FROM ${applied}`);
  await run(
    `CREATE TABLE ${w('d_identities')} AS
     SELECT * FROM (
       SELECT DISTINCT id_type, id_pid, user_pid AS student_pid FROM ${users ? w('identities') : '(SELECT NULL::VARCHAR AS id_type, NULL::VARCHAR AS id_pid, NULL::VARCHAR AS user_pid WHERE false)'}
       WHERE user_pid IN ${applied}
       UNION SELECT 'mbox', id_pid, user_pid FROM ${users ? w('mbox_ids') : '(SELECT NULL::VARCHAR AS id_pid, NULL::VARCHAR AS user_pid WHERE false)'}
       WHERE user_pid IN ${applied})
     QUALIFY count(*) OVER (PARTITION BY id_type, id_pid) = 1`,
  );
}

/** What this package adds, for the feeds staged after it in the same batch (attendance checks enrolments ...). */
export async function publishToBatch(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const w = (n: string) => names.work(n);
  await staging.session.run(
    `INSERT OR IGNORE INTO ${staging.t('new_schools')} SELECT DISTINCT school_code FROM ${names.effective('orgs')} WHERE status = 'active' AND school_code IS NOT NULL`,
  );
  await staging.session.run(
    `INSERT OR IGNORE INTO ${staging.t('new_students')} SELECT student_pid FROM ${w('d_students')}`,
  );
  await staging.session.run(
    `INSERT INTO ${staging.t('new_identities')} SELECT id_pid, student_pid FROM ${w('d_identities')}`,
  );
  await staging.session.run(
    `INSERT INTO ${staging.t('new_enrolments')} SELECT student_pid, school_code, academic_year FROM ${w('d_enrolments')}`,
  );
}
