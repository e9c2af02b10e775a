import type { StageContext } from '../../feed.js';
import type { RosterPackage } from './manifest.js';
import {
  bareName,
  commonColumns,
  markStale,
  markWinners,
  type PackageTable,
  readEntityCsv,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { dateSql, ORG_TYPES, SESSION_TYPES, sqlList, syntheticSchoolCodeSql } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

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
  await staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT ${commonColumns(entry.mode)}, r."sourcedId" AS org_id, r.name, r.type, r.identifier, r."parentSourcedId", r."parentSourcedId" AS parent_id,
            CASE WHEN r.type = 'school' THEN coalesce(r.identifier, ${syntheticSchoolCodeSql('r."sourcedId"')}) END AS school_code,
            coalesce(sc.valid, false) AS identifier_valid
     FROM ${raw.table} r LEFT JOIN ${staging.t('school_code_check')} sc ON sc.code = r.identifier`,
  );
  await staging.session.run(`DROP TABLE ${raw.table}`);
  const t = table.table;
  const self = bareName(t);
  const content = 'NOT deleting';
  const stateOrgs = `(SELECT org_id FROM ${names.state('orgs')} WHERE status = 'active')`;
  await staging.validate(t, entry.file.name, [
    ...rowRules(table),
    {
      severity: 'error',
      column: 'name',
      ...say('oneroster.required', { column: 'name' }),
      when: `${content} AND name IS NULL`,
    },
    {
      severity: 'error',
      column: 'type',
      ...say('oneroster.one_of', { column: 'type', values: ORG_TYPES }),
      when: `${content} AND coalesce(type NOT IN (${sqlList(ORG_TYPES)}), true)`,
    },
    {
      severity: 'error',
      column: 'identifier',
      ...say('oneroster.identifier_invalid'),
      when: `${content} AND type = 'school' AND identifier IS NOT NULL AND NOT identifier_valid`,
    },
    {
      severity: 'warning',
      column: 'identifier',
      ...say('oneroster.identifier_missing'),
      value: 'school_code',
      when: `${content} AND type = 'school' AND identifier IS NULL`,
    },
    // A parent may come later in the same file, so any row of the file counts.
    ...referenceRules(
      'parentSourcedId',
      'parent_id',
      {
        what: 'org',
        file: 'orgs.csv',
        active: `(SELECT org_id FROM ${t} WHERE org_id IS NOT NULL AND NOT deleting UNION SELECT org_id FROM ${stateOrgs})`,
        rejected: '(SELECT NULL::VARCHAR WHERE false)',
      },
      { when: content },
    ),
    {
      severity: 'error',
      column: 'identifier',
      ...say('oneroster.identifier_twice'),
      when: `${content} AND school_code IS NOT NULL AND (
               EXISTS (SELECT 1 FROM ${t} o WHERE o.school_code = ${self}.school_code AND o.org_id <> ${self}.org_id AND NOT o.deleting)
               OR EXISTS (SELECT 1 FROM ${names.state('orgs')} s WHERE s.status = 'active' AND s.school_code = ${self}.school_code AND s.org_id <> ${self}.org_id
                          AND s.org_id NOT IN (SELECT org_id FROM ${t} WHERE org_id IS NOT NULL)))`,
    },
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
  await staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT *, ingest_staging.academic_year_of(start_date) AS academic_year FROM (
       SELECT ${commonColumns(entry.mode)}, r."sourcedId" AS session_id, r.title, r.type, r."startDate", r."endDate", r."parentSourcedId", r."schoolYear",
              ${dateSql('r."startDate"')} AS start_date, ${dateSql('r."endDate"')} AS end_date, r."parentSourcedId" AS parent_id,
              CASE WHEN regexp_full_match(r."schoolYear", '\\d{4}') THEN CAST(r."schoolYear" AS INTEGER) END AS school_year
       FROM ${raw.table} r)`,
  );
  await staging.session.run(`DROP TABLE ${raw.table}`);
  const t = table.table;
  const content = 'NOT deleting';
  await staging.validate(t, entry.file.name, [
    ...rowRules(table),
    {
      severity: 'error',
      column: 'title',
      ...say('oneroster.required', { column: 'title' }),
      when: `${content} AND title IS NULL`,
    },
    {
      severity: 'error',
      column: 'type',
      ...say('oneroster.one_of', { column: 'type', values: SESSION_TYPES }),
      when: `${content} AND coalesce(type NOT IN (${sqlList(SESSION_TYPES)}), true)`,
    },
    {
      severity: 'error',
      column: 'startDate',
      ...say('oneroster.date', { column: 'startDate' }),
      when: `${content} AND start_date IS NULL`,
    },
    {
      severity: 'error',
      column: 'endDate',
      ...say('oneroster.date', { column: 'endDate' }),
      when: `${content} AND end_date IS NULL`,
    },
    {
      severity: 'error',
      column: 'endDate',
      ...say('oneroster.end_before_start'),
      when: `${content} AND end_date < start_date`,
    },
    {
      severity: 'error',
      column: 'schoolYear',
      ...say('oneroster.school_year'),
      when: `${content} AND school_year IS NULL`,
    },
    ...referenceRules(
      'parentSourcedId',
      'parent_id',
      {
        what: 'academic session',
        file: 'academicSessions.csv',
        active: `(SELECT session_id FROM ${t} WHERE session_id IS NOT NULL AND NOT deleting UNION SELECT session_id FROM ${names.state('academicSessions')} WHERE status = 'active')`,
        rejected: '(SELECT NULL::VARCHAR WHERE false)',
      },
      { when: content },
    ),
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
  await staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT ${commonColumns(entry.mode)}, r."sourcedId" AS course_id, r.title, r."orgSourcedId", r."schoolYearSourcedId",
            r."orgSourcedId" AS org_id, r."schoolYearSourcedId" AS school_year_id
     FROM ${raw.table} r`,
  );
  await staging.session.run(`DROP TABLE ${raw.table}`);
  const content = 'NOT deleting';
  await staging.validate(table.table, entry.file.name, [
    ...rowRules(table),
    {
      severity: 'error',
      column: 'title',
      ...say('oneroster.required', { column: 'title' }),
      when: `${content} AND title IS NULL`,
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
    ...referenceRules(
      'schoolYearSourcedId',
      'school_year_id',
      { what: 'academic session', file: 'academicSessions.csv', ...names.targets('academicSessions') },
      { when: content },
    ),
  ]);
  await markStale(staging, table);
  await markWinners(staging, table);
  return table;
}
