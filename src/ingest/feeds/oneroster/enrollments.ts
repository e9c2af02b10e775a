import type { StageContext } from '../../feed.js';
import type { RosterPackage } from './manifest.js';
import {
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
import { removeEnrollments } from './scope.js';
import { booleanSql, ENROLLMENT_ROLES, KEPT_ENROLLMENT_ROLES, SEXES, sqlList } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

/** enrollments.csv: who is in which class. The sourcedId is pseudonymised too (vendors often build it from the user's ID). */
export async function readEnrollments(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const { staging } = context;
  const entry = pkg.files.enrollments;
  if (!entry) return null;
  const raw = await readEntityCsv(context, entry.file, {
    required: ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
    optional: ['primary'],
    ignored: ['beginDate', 'endDate'],
  });
  if (!raw) return null;
  await staging.pseudonymize(raw.table, 'sourcedId', entry.file.name);
  await staging.pseudonymize(raw.table, 'userSourcedId', entry.file.name);
  const pidMap = staging.t('pid_map');
  const table: PackageTable = {
    entity: 'enrollments',
    file: entry.file,
    mode: entry.mode,
    table: names.package('enrollments'),
    rowsRead: raw.rows,
  };
  await staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT ${commonColumns(entry.mode)}, k.pid AS enrollment_pid, u.pid AS user_pid, r."classSourcedId", r."schoolSourcedId", r.role, r."primary",
            r."classSourcedId" AS class_id, r."schoolSourcedId" AS org_id, ${booleanSql('r."primary"')} AS is_primary, r."userSourcedId" IS NULL AS user_missing
     FROM ${raw.table} r LEFT JOIN ${pidMap} k ON k.raw = r."sourcedId" LEFT JOIN ${pidMap} u ON u.raw = r."userSourcedId"`,
  );
  await staging.session.run(`DROP TABLE ${raw.table}`);
  return table;
}

/** SQL subquery: users of the package or the roster a row may name (parents too: their rows are dropped, not errors). */
function userTargets(names: RosterTables): { active: string; rejected: string } {
  const users = names.tables.users;
  return {
    active: `(SELECT user_pid FROM ${names.effective('users')} WHERE status = 'active' ${users ? `UNION SELECT user_pid FROM ${users.table} WHERE NOT rejected AND NOT deleting AND user_pid IS NOT NULL` : ''})`,
    rejected: users
      ? `(SELECT user_pid FROM ${users.table} WHERE rejected AND user_pid IS NOT NULL)`
      : '(SELECT NULL::VARCHAR WHERE false)',
  };
}

/** SQL subquery: the students of the roster after this package. */
export function effectiveStudents(names: RosterTables): string {
  return `(SELECT u.user_pid FROM ${names.effective('users')} u WHERE u.status = 'active'
           AND u.user_pid IN (SELECT user_pid FROM ${names.effective('roles')} WHERE status = 'active' AND role = 'student'))`;
}

export async function stageEnrollments(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const table = names.tables.enrollments;
  if (table) {
    const content = 'NOT deleting';
    await staging.validate(table.table, table.file.name, [
      ...rowRules(table),
      {
        severity: 'error',
        column: 'role',
        ...say('oneroster.one_of', { column: 'role', values: ENROLLMENT_ROLES }),
        when: `${content} AND coalesce(role NOT IN (${sqlList(ENROLLMENT_ROLES)}), true)`,
      },
      {
        severity: 'error',
        column: 'primary',
        ...say('oneroster.boolean', { column: 'primary' }),
        when: `${content} AND "primary" IS NOT NULL AND is_primary IS NULL`,
      },
      {
        severity: 'error',
        column: 'classSourcedId',
        ...say('oneroster.required', { column: 'classSourcedId' }),
        when: `${content} AND class_id IS NULL`,
      },
      ...referenceRules(
        'classSourcedId',
        'class_id',
        { what: 'class', file: 'classes.csv', ...names.targets('classes') },
        { when: content },
      ),
      {
        severity: 'error',
        column: 'schoolSourcedId',
        ...say('oneroster.required', { column: 'schoolSourcedId' }),
        when: `${content} AND org_id IS NULL`,
      },
      ...referenceRules(
        'schoolSourcedId',
        'org_id',
        { what: 'org', file: 'orgs.csv', ...names.targets('orgs') },
        { when: content },
      ),
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
        { what: 'user', file: 'users.csv', ...userTargets(names) },
        { when: content, value: 'withheld' },
      ),
    ]);
    // Enrollments of parents (1.1 allows them) and of users not kept are dropped.
    await staging.session.run(
      `UPDATE ${table.table} SET keep = deleting OR (role IN (${sqlList(KEPT_ENROLLMENT_ROLES)})
         AND user_pid IN (SELECT user_pid FROM ${names.effective('users')} WHERE status = 'active'))`,
    );
    await markStale(staging, table);
    await markWinners(staging, table);
  }
  await removeEnrollments(context, names);
  await buildEffective(staging, 'enrollments', table, names.removed('enrollments'), names.effective('enrollments'));
}

/**
 * demographics.csv: sex, and the birth date cut to year and month at once (the full date never leaves
 * this function's first statement). Kept for students only.
 */
export async function readDemographics(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const { staging } = context;
  const entry = pkg.files.demographics;
  if (!entry) return null;
  const raw = await readEntityCsv(context, entry.file, {
    required: ['sourcedId'],
    optional: ['birthDate', 'sex'],
    ignored: [
      'americanIndianOrAlaskaNative',
      'asian',
      'blackOrAfricanAmerican',
      'nativeHawaiianOrOtherPacificIslander',
      'white',
      'demographicRaceTwoOrMoreRaces',
      'hispanicOrLatinoEthnicity',
      'countryOfBirthCode',
      'stateOfBirthAbbreviation',
      'cityOfBirth',
      'publicSchoolResidenceStatus',
    ],
  });
  if (!raw) return null;
  await staging.pseudonymize(raw.table, 'sourcedId', entry.file.name);
  // `shirube pseudonymize` has already cut the date to YYYY-MM: accept that shape from pre-pseudonymised packages.
  const shapes = context.pseudonymizer.prePseudonymized ? `'\\d{4}-\\d{2}(-\\d{2})?'` : `'\\d{4}-\\d{2}-\\d{2}'`;
  const table: PackageTable = {
    entity: 'demographics',
    file: entry.file,
    mode: entry.mode,
    table: names.package('demographics'),
    rowsRead: raw.rows,
  };
  await staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT ${commonColumns(entry.mode)}, m.pid AS user_pid, r.sex,
            CASE WHEN regexp_full_match(r."birthDate", ${shapes}) AND TRY_CAST(rpad(r."birthDate", 10, '-01') AS DATE) IS NOT NULL THEN left(r."birthDate", 7) END AS birth_year_month,
            r."birthDate" IS NOT NULL AS birth_date_given
     FROM ${raw.table} r LEFT JOIN ${staging.t('pid_map')} m ON m.raw = r."sourcedId"`,
  );
  await staging.session.run(`DROP TABLE ${raw.table}`);
  return table;
}

export async function stageDemographics(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const table = names.tables.demographics;
  if (table) {
    const content = 'NOT deleting';
    const users = userTargets(names);
    await staging.validate(table.table, table.file.name, [
      ...rowRules(table),
      {
        severity: 'error',
        column: 'birthDate',
        ...say('oneroster.date', { column: 'birthDate' }),
        value: 'withheld',
        when: `${content} AND birth_date_given AND birth_year_month IS NULL`,
      },
      {
        severity: 'error',
        column: 'sex',
        ...say('oneroster.sex', { values: SEXES }),
        when: `${content} AND sex IS NOT NULL AND sex NOT IN (${sqlList(SEXES)})`,
      },
      ...referenceRules(
        'sourcedId',
        'user_pid',
        { what: 'user', file: 'users.csv', ...users },
        { when: content, value: 'withheld' },
      ),
    ]);
    await staging.session.run(`UPDATE ${table.table} SET keep = deleting OR user_pid IN ${effectiveStudents(names)}`);
    await markStale(staging, table);
    await markWinners(staging, table);
  }
  await buildEffective(staging, 'demographics', table, null, names.effective('demographics'));
}
