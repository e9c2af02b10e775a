import type { StageContext } from '../../feed.js';
import type { RosterTables } from './roster-tables.js';

/**
 * What a package covers, and what its bulk files therefore replace.
 *
 * A bulk file replaces the rows of its entity for the schools AND school years the package covers,
 * never more: a FY2025 bulk leaves FY2024 classes and enrollments alone, and a bulk from one school's
 * system leaves the other schools alone. The package's years are those of its classes (a class's 年度
 * is its earliest term's); a package without classes covers the years of its schoolYear sessions (or,
 * lacking those, of all its sessions). Listing old sessions does not widen the scope, since SIS exports
 * often carry every session ever. Orgs, sessions, courses and demographics are never removed by a bulk
 * file: they are reference data that other years still point at; a delta `tobedeleted` removes them.
 */

const EMPTY_IDS = 'SELECT NULL::VARCHAR AS id WHERE false';

/** scope_years and scope_schools: the years and schools (codes) the package covers. */
export async function computeScope(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const { classes, academicSessions, orgs, users, roles, enrollments } = names.tables;
  const sessions = names.effective('academicSessions');
  const classYears = classes
    ? `SELECT DISTINCT academic_year FROM (
         SELECT c.line, min(s.academic_year) AS academic_year
         FROM (SELECT line, unnest(term_ids) AS term_id FROM ${classes.table} WHERE NOT rejected AND NOT deleting) c
         JOIN ${sessions} s ON s.session_id = c.term_id AND s.status = 'active' AND s.academic_year IS NOT NULL
         GROUP BY c.line)`
    : 'SELECT NULL::INTEGER AS academic_year WHERE false';
  const sessionYears = academicSessions
    ? `SELECT DISTINCT academic_year, type = 'schoolYear' AS school_year FROM ${academicSessions.table} WHERE NOT rejected AND NOT deleting AND academic_year IS NOT NULL`
    : 'SELECT NULL::INTEGER AS academic_year, false AS school_year WHERE false';
  await staging.session.run(
    `CREATE TABLE ${names.work('scope_years')} AS
     WITH class_years AS (${classYears}), session_years AS (${sessionYears})
     SELECT academic_year FROM class_years
     UNION SELECT academic_year FROM session_years WHERE school_year AND NOT EXISTS (SELECT 1 FROM class_years)
     UNION SELECT academic_year FROM session_years
       WHERE NOT EXISTS (SELECT 1 FROM class_years) AND NOT EXISTS (SELECT 1 FROM session_years WHERE school_year)`,
  );
  const orgRefs = [
    orgs ? `SELECT org_id AS id FROM ${orgs.table} WHERE NOT rejected AND NOT deleting` : EMPTY_IDS,
    classes ? `SELECT org_id FROM ${classes.table} WHERE NOT rejected` : EMPTY_IDS,
    users ? `SELECT unnest(org_ids) FROM ${users.table} WHERE NOT rejected` : EMPTY_IDS,
    roles ? `SELECT org_id FROM ${roles.table} WHERE NOT rejected` : EMPTY_IDS,
    enrollments ? `SELECT org_id FROM ${enrollments.table} WHERE NOT rejected` : EMPTY_IDS,
  ];
  await staging.session.run(
    `CREATE TABLE ${names.work('scope_schools')} AS
     SELECT DISTINCT o.school_code FROM (${orgRefs.join(' UNION ALL ')}) r
     JOIN ${names.effective('orgs')} o ON o.org_id = r.id AND o.status = 'active' AND o.school_code IS NOT NULL`,
  );
}

/** SQL: true when a (school_code, academic_year) pair lies in the package's scope. */
export function inScope(names: RosterTables, school: string, year: string): string {
  return `(${school} IN (SELECT school_code FROM ${names.work('scope_schools')}) AND ${year} IN (SELECT academic_year FROM ${names.work('scope_years')}))`;
}

/** Classes of the state in the scope of a bulk classes.csv and not listed in it. */
export async function removeClasses(context: StageContext, names: RosterTables): Promise<void> {
  const classes = names.tables.classes;
  const bulk = classes?.mode === 'bulk';
  await context.staging.session.run(
    `CREATE TABLE ${names.removed('classes')} AS
     SELECT class_id FROM ${names.work('place_old')} p
     WHERE ${bulk ? `${inScope(names, 'p.school_code', 'p.academic_year')} AND class_id NOT IN (SELECT class_id FROM ${classes.table} WHERE class_id IS NOT NULL)` : 'false'}`,
  );
}

/**
 * Users of the state a bulk users.csv covers (a school of the package, the package's school year) and
 * does not list. Students who left stay in the mirror with their last year: their history is kept.
 */
export async function removeUsers(context: StageContext, names: RosterTables): Promise<void> {
  const users = names.tables.users;
  const bulk = users?.mode === 'bulk';
  const schoolOrgs = `(SELECT org_id FROM ${names.state('orgs')} WHERE school_code IN (SELECT school_code FROM ${names.work('scope_schools')}))`;
  await context.staging.session.run(
    `CREATE TABLE ${names.removed('users')} AS
     SELECT user_pid FROM ${names.state('users')} s
     WHERE ${
       bulk
         ? `s.status = 'active' AND s.academic_year IN (SELECT academic_year FROM ${names.work('scope_years')})
            AND s.user_pid NOT IN (SELECT user_pid FROM ${users.table} WHERE user_pid IS NOT NULL)
            AND (s.org_id IN ${schoolOrgs}
                 OR s.user_pid IN (SELECT user_pid FROM ${names.state('roles')} WHERE status = 'active' AND org_id IN ${schoolOrgs}))`
         : 'false'
     }`,
  );
}

/**
 * Roles replaced or removed: those of removed users; for 1.1 (roles come from users.csv) every role of
 * a user whose row is applied; for a bulk roles.csv every role of a user it lists, when not listed.
 */
export async function removeRoles(context: StageContext, names: RosterTables, fromUsersCsv: boolean): Promise<void> {
  const roles = names.tables.roles;
  const users = names.tables.users;
  const replacedUsers = fromUsersCsv
    ? users
      ? `SELECT user_pid FROM ${users.table} WHERE wins`
      : EMPTY_IDS
    : roles?.mode === 'bulk'
      ? `SELECT user_pid FROM ${roles.table} WHERE NOT rejected AND user_pid IS NOT NULL`
      : EMPTY_IDS;
  await context.staging.session.run(
    `CREATE TABLE ${names.removed('roles')} AS
     SELECT role_pid FROM ${names.state('roles')} s
     WHERE (s.user_pid IN (SELECT user_pid FROM ${names.removed('users')}) OR s.user_pid IN (${replacedUsers}))
       ${roles ? `AND s.role_pid NOT IN (SELECT role_pid FROM ${roles.table} WHERE role_pid IS NOT NULL)` : ''}`,
  );
}

/** Enrollments of removed classes and users, and for a bulk enrollments.csv those of its scope it does not list. */
export async function removeEnrollments(context: StageContext, names: RosterTables): Promise<void> {
  const enrollments = names.tables.enrollments;
  const bulkScope =
    enrollments?.mode === 'bulk'
      ? `OR s.class_id IN (SELECT class_id FROM ${names.work('place_old')} p WHERE ${inScope(names, 'p.school_code', 'p.academic_year')})`
      : '';
  await context.staging.session.run(
    `CREATE TABLE ${names.removed('enrollments')} AS
     SELECT enrollment_pid FROM ${names.state('enrollments')} s
     WHERE s.status = 'active'
       AND (s.class_id IN (SELECT class_id FROM ${names.removed('classes')}) OR s.user_pid IN (SELECT user_pid FROM ${names.removed('users')}) ${bulkScope})
       ${enrollments ? `AND s.enrollment_pid NOT IN (SELECT enrollment_pid FROM ${enrollments.table} WHERE enrollment_pid IS NOT NULL)` : ''}`,
  );
}
