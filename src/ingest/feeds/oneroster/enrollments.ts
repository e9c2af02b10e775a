import type { StageContext } from '../../feed.js';
import { ingestSql, render, type Sql } from '../../sql/ingest-sql.js';
import { readRules, rulesFor } from '../../staging/rule-engine.js';
import type { RosterPackage } from './manifest.js';
import {
  buildEffective,
  checkRows,
  markStale,
  markWinners,
  type PackageTable,
  readEntityCsv,
  readPackageTable,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { removeEnrollments } from './scope.js';
import { VOCABULARIES } from './vocabulary.js';

const Q = {
  readEnrollments: ingestSql('oneroster/read/enrollments'),
  readDemographics: ingestSql('oneroster/read/demographics'),
  userTargets: ingestSql('oneroster/enrollments/user-targets'),
  effectiveStudents: ingestSql('oneroster/enrollments/effective-students'),
  keepEnrollments: ingestSql('oneroster/enrollments/keep'),
  keepStudents: ingestSql('oneroster/enrollments/keep-students'),
};
const RULES = {
  enrollments: readRules('oneroster/rules/enrollments-rules'),
  demographics: readRules('oneroster/rules/demographics-rules'),
};

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
  const table: PackageTable = {
    entity: 'enrollments',
    file: entry.file,
    mode: entry.mode,
    table: names.package('enrollments'),
    rowsRead: raw.rows,
  };
  await readPackageTable(staging, Q.readEnrollments, table, raw.table);
  return table;
}

/** SQL subqueries: users of the package or the roster a row may name (parents too: their rows are dropped, not errors). */
function userTargets(names: RosterTables): { active: Sql; rejected: Sql } {
  const users = names.tables.users;
  const targets = names.targets('users');
  if (!users) return targets;
  return { ...targets, active: render(Q.userTargets, { effective: names.effective('users'), users: users.table }) };
}

/** SQL subquery: the students of the roster after this package. */
export const effectiveStudents = (names: RosterTables): Sql =>
  render(Q.effectiveStudents, { users: names.effective('users'), roles: names.effective('roles') });

export async function stageEnrollments(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const table = names.tables.enrollments;
  if (table) {
    await checkRows(staging, table, [
      ...rowRules(table),
      ...rulesFor(RULES.enrollments, {}, VOCABULARIES),
      ...referenceRules('classSourcedId', 'class_id', {
        what: 'class',
        file: 'classes.csv',
        ...names.targets('classes'),
      }),
      ...referenceRules('schoolSourcedId', 'org_id', { what: 'org', file: 'orgs.csv', ...names.targets('orgs') }),
      ...referenceRules(
        'userSourcedId',
        'user_pid',
        { what: 'user', file: 'users.csv', ...userTargets(names) },
        { withheld: true },
      ),
    ]);
    await staging.run(Q.keepEnrollments, { table: table.table, users: names.effective('users') });
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
  const table: PackageTable = {
    entity: 'demographics',
    file: entry.file,
    mode: entry.mode,
    table: names.package('demographics'),
    rowsRead: raw.rows,
  };
  await readPackageTable(staging, Q.readDemographics, table, raw.table, {
    pre: context.pseudonymizer.prePseudonymized,
  });
  return table;
}

export async function stageDemographics(context: StageContext, names: RosterTables): Promise<void> {
  const { staging } = context;
  const table = names.tables.demographics;
  if (table) {
    await checkRows(staging, table, [
      ...rowRules(table),
      ...rulesFor(RULES.demographics, {}, VOCABULARIES),
      ...referenceRules(
        'sourcedId',
        'user_pid',
        { what: 'user', file: 'users.csv', ...userTargets(names) },
        { withheld: true },
      ),
    ]);
    await staging.run(Q.keepStudents, { table: table.table, students: { sql: effectiveStudents(names) } });
    await markStale(staging, table);
    await markWinners(staging, table);
  }
  await buildEffective(staging, 'demographics', table, names.removed('demographics'), names.effective('demographics'));
}
