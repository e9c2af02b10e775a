import type { StageContext } from '../../feed.js';
import { ingestSql, joinSql, render, type Sql } from '../../sql/ingest-sql.js';
import { listedIds, NO_IDS, type PackageTable } from './package-table.js';
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

const Q = {
  years: ingestSql('oneroster/scope/years'),
  classYears: ingestSql('oneroster/scope/class-years'),
  sessionYears: ingestSql('oneroster/scope/session-years'),
  noSessionYears: ingestSql('oneroster/scope/no-session-years'),
  noYears: ingestSql('oneroster/package/no-years'),
  schools: ingestSql('oneroster/scope/schools'),
  orgsOfOrgs: ingestSql('oneroster/scope/orgs-of-orgs'),
  orgsOfRows: ingestSql('oneroster/scope/orgs-of-rows'),
  orgsOfUsers: ingestSql('oneroster/scope/orgs-of-users'),
  noRemoved: ingestSql('oneroster/no-removed'),
  removedClasses: ingestSql('oneroster/scope/removed-classes'),
  removedUsers: ingestSql('oneroster/scope/removed-users'),
  removedRoles: ingestSql('oneroster/scope/removed-roles'),
  appliedUsers: ingestSql('oneroster/scope/applied-users'),
  roleUsers: ingestSql('oneroster/scope/role-users'),
  removedEnrollments: ingestSql('oneroster/scope/removed-enrollments'),
  scopedClasses: ingestSql('oneroster/scope/scoped-classes'),
};

/** A set of IDs (a file's subquery over a package table), or no IDs when the package has no such file. */
const ofTable = (template: Sql, table: PackageTable | null): Sql =>
  table ? render(template, { table: table.table }) : NO_IDS;

/** scope_years and scope_schools: the years and schools (codes) the package covers. */
export async function computeScope(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const { classes, academicSessions, orgs, users, roles, enrollments } = names.tables;
  await staging.run(Q.years, {
    into: names.work('scope_years'),
    class_years: {
      sql: classes
        ? render(Q.classYears, { classes: classes.table, sessions: names.effective('academicSessions') })
        : Q.noYears,
    },
    session_years: {
      sql: academicSessions ? render(Q.sessionYears, { sessions: academicSessions.table }) : Q.noSessionYears,
    },
  });
  const named = [
    ofTable(Q.orgsOfOrgs, orgs),
    ofTable(Q.orgsOfRows, classes),
    ofTable(Q.orgsOfUsers, users),
    ofTable(Q.orgsOfRows, roles),
    ofTable(Q.orgsOfRows, enrollments),
  ];
  await staging.run(Q.schools, {
    into: names.work('scope_schools'),
    named: { sql: joinSql(named, ' UNION ALL ') },
    orgs: names.effective('orgs'),
  });
}

/** The tables that say what the package's scope is, and where the state's classes sit (place_old). */
const scopeParts = (names: RosterTables) => ({
  places: names.work('place_old'),
  scope_schools: names.work('scope_schools'),
  scope_years: names.work('scope_years'),
});

/** Classes of the state in the scope of a bulk classes.csv and not listed in it. */
export async function removeClasses(context: StageContext, names: RosterTables): Promise<void> {
  const classes = names.tables.classes;
  const into = names.removed('classes');
  if (classes?.mode !== 'bulk') return context.staging.run(Q.noRemoved, { table: into, key: 'class_id' });
  await context.staging.run(Q.removedClasses, { into, classes: classes.table, ...scopeParts(names) });
}

/**
 * Users of the state a bulk users.csv covers (a school of the package, the package's school year) and
 * does not list. Students who left stay in the mirror with their last year: their history is kept.
 */
export async function removeUsers(context: StageContext, names: RosterTables): Promise<void> {
  const users = names.tables.users;
  const into = names.removed('users');
  if (users?.mode !== 'bulk') return context.staging.run(Q.noRemoved, { table: into, key: 'user_pid' });
  await context.staging.run(Q.removedUsers, {
    into,
    users: users.table,
    state_users: names.state('users'),
    state_orgs: names.state('orgs'),
    state_roles: names.state('roles'),
    scope_schools: names.work('scope_schools'),
    scope_years: names.work('scope_years'),
  });
}

/**
 * Roles replaced or removed: those of removed users; for 1.1 (roles come from users.csv) every role of
 * a user whose row is applied; for a bulk roles.csv every role of a user it lists, when not listed.
 */
export async function removeRoles(context: StageContext, names: RosterTables, fromUsersCsv: boolean): Promise<void> {
  const { roles, users } = names.tables;
  const replaced = fromUsersCsv
    ? ofTable(Q.appliedUsers, users)
    : ofTable(Q.roleUsers, roles?.mode === 'bulk' ? roles : null);
  await context.staging.run(Q.removedRoles, {
    into: names.removed('roles'),
    state_roles: names.state('roles'),
    removed_users: names.removed('users'),
    replaced_users: { sql: replaced },
    listed: { sql: listedIds(roles, 'role_pid') },
  });
}

/** Enrollments of removed classes and users, and for a bulk enrollments.csv those of its scope it does not list. */
export async function removeEnrollments(context: StageContext, names: RosterTables): Promise<void> {
  const enrollments = names.tables.enrollments;
  const scoped = enrollments?.mode === 'bulk' ? render(Q.scopedClasses, scopeParts(names)) : NO_IDS;
  await context.staging.run(Q.removedEnrollments, {
    into: names.removed('enrollments'),
    state_enrollments: names.state('enrollments'),
    removed_classes: names.removed('classes'),
    removed_users: names.removed('users'),
    scoped_classes: { sql: scoped },
    listed: { sql: listedIds(enrollments, 'enrollment_pid') },
  });
}
