import type { StageContext } from '../../feed.js';
import type { RosterPackage } from './manifest.js';
import {
  bareName,
  buildEffective,
  commonColumns,
  markStale,
  markWinners,
  type PackageTable,
  readEntityCsv,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { removeRoles, removeUsers } from './scope.js';
import { validateStudents, validateUsers } from './users.js';
import { KEPT_ROLES, ROLE_TYPES, sqlList, USER_ROLES } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

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
  const pidMap = staging.t('pid_map');
  const table: PackageTable = {
    entity: 'roles',
    file: entry.file,
    mode: entry.mode,
    table: names.package('roles'),
    rowsRead: raw.rows,
  };
  await staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT ${commonColumns(entry.mode)}, k.pid AS role_pid, u.pid AS user_pid, r.role, r."roleType", r."orgSourcedId",
            r."roleType" AS role_type, r."orgSourcedId" AS org_id, r."userSourcedId" IS NULL AS user_missing
     FROM ${raw.table} r LEFT JOIN ${pidMap} k ON k.raw = r."sourcedId" LEFT JOIN ${pidMap} u ON u.raw = r."userSourcedId"`,
  );
  await staging.session.run(`DROP TABLE ${raw.table}`);
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
  const kept = `role IN (${sqlList(KEPT_ROLES)})`;
  await context.staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT DISTINCT ON (role_pid) * FROM (
       SELECT line, rejected, stale, deleting OR ${kept} AS keep, wins AND (deleting OR ${kept}) AS wins, status, "dateLastModified", dlm, deleting,
              sha256('role:' || user_pid || ':' || org_one) AS role_pid, user_pid, CASE WHEN i = 1 THEN 'primary' ELSE 'secondary' END AS role_type,
              role, org_one AS org_id
       FROM (SELECT *, unnest(org_ids) AS org_one, generate_subscripts(org_ids, 1) AS i FROM ${users.table} WHERE user_pid IS NOT NULL))
     ORDER BY role_pid, line`,
  );
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
    const students = v11
      ? `role = 'student'`
      : `user_pid IN (SELECT user_pid FROM ${names.state('roles')} WHERE status = 'active' AND role = 'student'
                        ${roles ? `AND role_pid NOT IN (SELECT role_pid FROM ${roles.table} WHERE role_pid IS NOT NULL)` : ''}
                      ${roles ? `UNION SELECT user_pid FROM ${roles.table} WHERE NOT rejected AND NOT deleting AND role = 'student'` : ''})`;
    await staging.session.run(`UPDATE ${users.table} SET is_student = coalesce(${students}, false)`);
    await validateStudents(context, names, users);
    await assignUserYears(context, names, users);
  }
  if (roles) await validateRoleUsers(context, names, roles);
  await removeUsers(context, names);
  if (users && v11) {
    await staging.session.run(`UPDATE ${users.table} SET keep = deleting OR role IN (${sqlList(KEPT_ROLES)})`);
    await markWinners(staging, users);
    roles = await rolesFromUsers(context, names, users);
    names.tables.roles = roles;
  }
  await removeRoles(context, names, v11);
  await buildEffective(staging, 'roles', roles, names.removed('roles'), names.effective('roles'));
  if (users && !v11) {
    await staging.validate(users.table, users.file.name, [
      {
        severity: 'warning',
        column: 'sourcedId',
        ...say('oneroster.no_role'),
        value: 'withheld',
        when: `NOT deleting AND user_pid NOT IN (SELECT user_pid FROM ${names.effective('roles')} WHERE status = 'active')
               ${roles ? `AND user_pid NOT IN (SELECT user_pid FROM ${roles.table} WHERE user_pid IS NOT NULL)` : ''}`,
      },
    ]);
    await staging.session.run(
      `UPDATE ${users.table} SET keep = deleting OR user_pid IN (SELECT user_pid FROM ${names.effective('roles')} WHERE status = 'active')`,
    );
    await markWinners(staging, users);
  }
  await buildEffective(staging, 'users', users, names.removed('users'), names.effective('users'));
}

async function validateRoles(context: StageContext, names: RosterTables, table: PackageTable): Promise<void> {
  const content = 'NOT deleting';
  await context.staging.validate(table.table, table.file.name, [
    ...rowRules(table),
    {
      severity: 'error',
      column: 'role',
      ...say('oneroster.one_of', { column: 'role', values: USER_ROLES }),
      when: `${content} AND coalesce(role NOT IN (${sqlList(USER_ROLES)}), true)`,
    },
    {
      severity: 'error',
      column: 'roleType',
      ...say('oneroster.either', { column: 'roleType', values: ROLE_TYPES }),
      when: `${content} AND coalesce(role_type NOT IN (${sqlList(ROLE_TYPES)}), true)`,
    },
    {
      severity: 'error',
      column: 'orgSourcedId',
      ...say('oneroster.required', { column: 'orgSourcedId' }),
      when: `${content} AND org_id IS NULL`,
    },
    ...referenceRules(
      'orgSourcedId',
      'org_id',
      { what: 'org', file: 'orgs.csv', ...names.targets('orgs') },
      { when: content },
    ),
  ]);
  await context.staging.session.run(`UPDATE ${table.table} SET keep = deleting OR role IN (${sqlList(KEPT_ROLES)})`);
}

/** A kept role must name a user of users.csv or earlier rosters (roles of parents are dropped unchecked). */
async function validateRoleUsers(context: StageContext, names: RosterTables, table: PackageTable): Promise<void> {
  const { staging } = context;
  const users = names.tables.users;
  const content = `NOT deleting AND role IN (${sqlList(KEPT_ROLES)})`;
  await staging.validate(table.table, table.file.name, [
    {
      severity: 'error',
      column: 'userSourcedId',
      ...say('oneroster.required', { column: 'userSourcedId' }),
      when: `${content} AND user_missing`,
      value: 'NULL',
    },
    ...referenceRules(
      'userSourcedId',
      'user_pid',
      {
        what: 'user',
        file: 'users.csv',
        active: `(SELECT user_pid FROM ${names.state('users')} WHERE status = 'active' ${users ? `UNION SELECT user_pid FROM ${users.table} WHERE NOT rejected AND user_pid IS NOT NULL` : ''})`,
        rejected: users
          ? `(SELECT user_pid FROM ${users.table} WHERE rejected AND user_pid IS NOT NULL)`
          : '(SELECT NULL::VARCHAR WHERE false)',
      },
      { when: content, value: 'withheld' },
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
  await context.staging.session.run(
    `UPDATE ${users.table} SET academic_year = coalesce(
       (SELECT max(academic_year) FROM ${names.work('scope_years')}),
       (SELECT s.academic_year FROM ${names.state('users')} s WHERE s.user_pid = ${bareName(users.table)}.user_pid),
       (SELECT max(academic_year) FROM ${names.work('place_new')}))`,
  );
}
