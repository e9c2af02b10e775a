import type { StageContext } from '../../feed.js';
import { ingestSql, render } from '../../sql/ingest-sql.js';
import { readRules, rulesFor } from '../../staging/rule-engine.js';
import type { RosterPackage } from './manifest.js';
import {
  bareName,
  checkRows,
  markStale,
  markWinners,
  NO_IDS,
  type PackageTable,
  readEntityCsv,
  readPackageTable,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { VOCABULARIES } from './vocabulary.js';

const Q = {
  orgs: ingestSql('oneroster/read/orgs'),
  sessions: ingestSql('oneroster/read/sessions'),
  courses: ingestSql('oneroster/read/courses'),
  parents: ingestSql('oneroster/package/parent-targets'),
};
const RULES = {
  orgs: readRules('oneroster/rules/orgs-rules'),
  sessions: readRules('oneroster/rules/sessions-rules'),
  courses: readRules('oneroster/rules/courses-rules'),
};

/**
 * Orgs, academic sessions and courses: the reference data classes and users point at. Nothing here is
 * personal, so sourcedIds are kept as they are.
 */

/** orgs.csv → staged orgs; a `school` org's key in the warehouse is its MEXT code (identifier). */
export async function stageOrgs(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const { staging } = context;
  const entry = pkg.files.orgs;
  if (!entry) return null;
  const raw = await readEntityCsv(context, entry.file, {
    required: ['sourcedId', 'name', 'type'],
    optional: ['identifier', 'parentSourcedId'],
    ignored: [],
  });
  if (!raw) return null;
  await staging.checkSchoolCodes(raw.table, 'identifier');
  const table: PackageTable = {
    entity: 'orgs',
    file: entry.file,
    mode: entry.mode,
    table: names.package('orgs'),
    rowsRead: raw.rows,
  };
  await readPackageTable(staging, Q.orgs, table, raw.table);
  const t = table.table;
  await checkRows(staging, table, [
    ...rowRules(table),
    ...rulesFor(RULES.orgs, { table: t, self: bareName(t), state: names.state('orgs') }, VOCABULARIES),
    // A parent may come later in the same file, so any row of the file counts.
    ...referenceRules('parentSourcedId', 'parent_id', {
      what: 'org',
      file: 'orgs.csv',
      active: render(Q.parents, { key: 'org_id', table: t, state: names.state('orgs') }),
      rejected: NO_IDS,
    }),
  ]);
  await markStale(staging, table);
  await markWinners(staging, table);
  return table;
}

/** academicSessions.csv → staged sessions, each with the 年度 (April–March) of its start date. */
export async function stageSessions(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const { staging } = context;
  const entry = pkg.files.academicSessions;
  if (!entry) return null;
  const raw = await readEntityCsv(context, entry.file, {
    required: ['sourcedId', 'title', 'type', 'startDate', 'endDate'],
    optional: ['parentSourcedId', 'schoolYear'],
    ignored: [],
  });
  if (!raw) return null;
  const table: PackageTable = {
    entity: 'academicSessions',
    file: entry.file,
    mode: entry.mode,
    table: names.package('academicSessions'),
    rowsRead: raw.rows,
  };
  await readPackageTable(staging, Q.sessions, table, raw.table);
  await checkRows(staging, table, [
    ...rowRules(table),
    ...rulesFor(RULES.sessions, {}, VOCABULARIES),
    ...referenceRules('parentSourcedId', 'parent_id', {
      what: 'academic session',
      file: 'academicSessions.csv',
      active: render(Q.parents, { key: 'session_id', table: table.table, state: names.state('academicSessions') }),
      rejected: NO_IDS,
    }),
  ]);
  await markStale(staging, table);
  await markWinners(staging, table);
  return table;
}

/** courses.csv (optional in practice): classes must name a course that exists here or in earlier rosters. */
export async function stageCourses(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const { staging } = context;
  const entry = pkg.files.courses;
  if (!entry) return null;
  const raw = await readEntityCsv(context, entry.file, {
    required: ['sourcedId', 'title', 'orgSourcedId'],
    optional: ['schoolYearSourcedId'],
    ignored: ['courseCode', 'grades', 'subjects', 'subjectCodes', 'resourceSourcedIds'],
  });
  if (!raw) return null;
  const table: PackageTable = {
    entity: 'courses',
    file: entry.file,
    mode: entry.mode,
    table: names.package('courses'),
    rowsRead: raw.rows,
  };
  await readPackageTable(staging, Q.courses, table, raw.table);
  await checkRows(staging, table, [
    ...rowRules(table),
    ...rulesFor(RULES.courses, {}),
    ...referenceRules('orgSourcedId', 'org_id', { what: 'org', file: 'orgs.csv', ...names.targets('orgs') }),
    ...referenceRules('schoolYearSourcedId', 'school_year_id', {
      what: 'academic session',
      file: 'academicSessions.csv',
      ...names.targets('academicSessions'),
    }),
  ]);
  await markStale(staging, table);
  await markWinners(staging, table);
  return table;
}
