import type { StageContext } from '../../feed.js';
import { ingestSql, render } from '../../sql/ingest-sql.js';
import { readRules, rulesFor } from '../../staging/rule-engine.js';
import type { RosterPackage } from './manifest.js';
import {
  bareName,
  buildEffective,
  checkRows,
  listedIds,
  markStale,
  markWinners,
  type PackageTable,
  readEntityCsv,
  readPackageTable,
  referenceRules,
  rowRules,
  targetSets,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { removeRoles, removeUsers } from './scope.js';
import { validateStudents, validateUsers } from './users.js';
import { VOCABULARIES } from './vocabulary.js';

const Q = {
  read: ingestSql('oneroster/read/roles'),
  rolesFromUsers: ingestSql('oneroster/people/roles-from-users'),
  studentsV11: ingestSql('oneroster/people/students-v1p1'),
  students: ingestSql('oneroster/people/students'),
  studentsNoRoles: ingestSql('oneroster/people/students-no-roles'),
  keepKeptRoles: ingestSql('oneroster/people/keep-kept-roles'),
  keepWithRole: ingestSql('oneroster/people/keep-with-role'),
  keptRole: ingestSql('oneroster/people/kept-role'),
  roleUserTargets: ingestSql('oneroster/people/role-user-targets'),
  userYears: ingestSql('oneroster/people/user-years'),
};
const RULES = {
  roles: readRules('oneroster/rules/roles-rules'),
  roleUsers: readRules('oneroster/rules/role-users-rules'),
  noRole: readRules('oneroster/rules/no-role-rules'),
};

/** roles.csv (1.2): who is a student or staff member where. */
export async function readRoles(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const { staging } = context;
  const entry = pkg.files.roles;
  if (!entry || pkg.version === '1.1') return null;
  const raw = await readEntityCsv(context, entry.file, {
    required: ['sourcedId', 'userSourcedId', 'roleType', 'role', 'orgSourcedId'],
    optional: [],
    ignored: ['beginDate', 'endDate', 'userProfileSourcedId'],
  });
  if (!raw) return null;
  await staging.pseudonymize(raw.table, 'sourcedId', entry.file.name);
  await staging.pseudonymize(raw.table, 'userSourcedId', entry.file.name);
  const table: PackageTable = {
    entity: 'roles',
    file: entry.file,
    mode: entry.mode,
    table: names.package('roles'),
    rowsRead: raw.rows,
  };
  await readPackageTable(staging, Q.read, table, raw.table);
  return table;
}

/**
 * 1.1 has no roles.csv: each users row gives a role at each of its orgSourcedIds (the first is the
 * primary one). They become role rows keyed by a hash of the user's pseudonym and the org, so both
 * versions are derived alike.
 */
async function rolesFromUsers(context: StageContext, names: RosterTables, users: PackageTable): Promise<PackageTable> {
  const table: PackageTable = {
    entity: 'roles',
    file: users.file,
    mode: users.mode,
    table: names.package('roles'),
    rowsRead: 0,
  };
  await context.staging.run(Q.rolesFromUsers, { into: table.table, users: users.table });
  return table;
}

/**
 * Users and their roles, in the order their rules need: a user's own rules; the roles' own rules;
 * who is a student; the rules of students; then the roles' users (now that rejected users are known),
 * what a bulk file removes, and the effective users and roles. Parents, guardians and relatives are
 * never kept: their rows are read, checked and dropped.
 */
export async function stagePeople(context: StageContext, pkg: RosterPackage, names: RosterTables): Promise<void> {
  const { staging } = context;
  const { users } = names.tables;
  let roles = names.tables.roles;
  const v11 = pkg.version === '1.1';
  if (users) await validateUsers(context, pkg, names, users);
  if (roles) await validateRoles(context, names, roles);
  if (users) {
    const parts = { users: users.table, state_roles: names.state('roles') };
    if (v11) await staging.run(Q.studentsV11, parts);
    else await staging.run(roles ? Q.students : Q.studentsNoRoles, roles ? { ...parts, roles: roles.table } : parts);
    await validateStudents(context, names, users);
    await assignUserYears(context, names, users);
  }
  if (roles) await validateRoleUsers(context, names, roles);
  await removeUsers(context, names);
  if (users && v11) {
    await staging.run(Q.keepKeptRoles, { table: users.table });
    await markWinners(staging, users);
    roles = await rolesFromUsers(context, names, users);
    names.tables.roles = roles;
  }
  await removeRoles(context, names, v11);
  await buildEffective(staging, 'roles', roles, names.removed('roles'), names.effective('roles'));
  if (users && !v11) {
    const parts = { roles: names.effective('roles'), listed: { sql: listedIds(roles, 'user_pid') } };
    await checkRows(staging, users, rulesFor(RULES.noRole, parts));
    await staging.run(Q.keepWithRole, { users: users.table, roles: names.effective('roles') });
    await markWinners(staging, users);
  }
  await buildEffective(staging, 'users', users, names.removed('users'), names.effective('users'));
}

async function validateRoles(context: StageContext, names: RosterTables, table: PackageTable): Promise<void> {
  await checkRows(context.staging, table, [
    ...rowRules(table),
    ...rulesFor(RULES.roles, {}, VOCABULARIES),
    ...referenceRules('orgSourcedId', 'org_id', { what: 'org', file: 'orgs.csv', ...names.targets('orgs') }),
  ]);
  await context.staging.run(Q.keepKeptRoles, { table: table.table });
}

/** A kept role must name a user of users.csv or earlier rosters (roles of parents are dropped unchecked). */
async function validateRoleUsers(context: StageContext, names: RosterTables, table: PackageTable): Promise<void> {
  const { staging } = context;
  const users = names.tables.users;
  const targets = targetSets(names.state('users'), 'user_pid', users);
  const active = users
    ? render(Q.roleUserTargets, { state: names.state('users'), users: users.table })
    : targets.active;
  await checkRows(staging, table, [
    ...rulesFor(RULES.roleUsers, { content: { sql: Q.keptRole } }),
    ...referenceRules(
      'userSourcedId',
      'user_pid',
      { what: 'user', file: 'users.csv', ...targets, active },
      { content: Q.keptRole, withheld: true },
    ),
  ]);
  await markStale(staging, table);
  await markWinners(staging, table);
}

/**
 * The school year a users row describes: the package's latest year; for a package without classes or
 * sessions (a delta of users only), the year the roster already had for the user, else the latest
 * year any class of the roster is in.
 */
async function assignUserYears(context: StageContext, names: RosterTables, users: PackageTable): Promise<void> {
  await context.staging.run(Q.userYears, {
    users: users.table,
    self: bareName(users.table),
    scope_years: names.work('scope_years'),
    state_users: names.state('users'),
    places: names.work('place_new'),
  });
}
