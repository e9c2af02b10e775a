import type { StageContext } from '../../feed.js';
import { declaredAbsent, type RosterPackage } from './manifest.js';
import {
  bareName,
  commonColumns,
  listReferenceRules,
  markStale,
  markWinners,
  type PackageTable,
  readEntityCsv,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import {
  booleanSql,
  CLASS_TYPES,
  commaListSql,
  DISABILITY_TYPE_COLUMN,
  DISABILITY_TYPES,
  GRADE_CODES,
  sqlList,
} from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

/** classes.csv → staged classes (read only; validated once orgs, sessions and courses are known). */
export async function readClasses(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
): Promise<PackageTable | null> {
  const entry = pkg.files.classes;
  if (!entry) return null;
  const raw = await readEntityCsv(context, entry.file, {
    required: ['sourcedId', 'title', 'courseSourcedId', 'classType', 'schoolSourcedId', 'termSourcedIds'],
    optional: ['grades', 'metadata.jp.specialNeeds', DISABILITY_TYPE_COLUMN],
    ignored: ['classCode', 'location', 'subjects', 'subjectCodes', 'periods', 'resourceSourcedIds'],
  });
  if (!raw) return null;
  const table: PackageTable = {
    entity: 'classes',
    file: entry.file,
    mode: entry.mode,
    table: names.package('classes'),
    rowsRead: raw.rows,
  };
  const specialNeeds = 'r."metadata.jp.specialNeeds"';
  const disabilityType = `r."${DISABILITY_TYPE_COLUMN}"`;
  await context.staging.session.run(
    `CREATE TABLE ${table.table} AS
     SELECT ${commonColumns(entry.mode)}, r."sourcedId" AS class_id, r.title, r.grades AS grades_cell, r."courseSourcedId", r."classType",
            r."schoolSourcedId", r."termSourcedIds", ${specialNeeds}, ${disabilityType},
            r."classType" AS class_type, r."courseSourcedId" AS course_id, r."schoolSourcedId" AS org_id,
            ${commaListSql('r."termSourcedIds"')} AS term_ids, ${commaListSql('r.grades')} AS grades,
            CASE WHEN ${specialNeeds} IS NULL THEN false ELSE ${booleanSql(specialNeeds)} END AS special_needs,
            nullif(trim(${disabilityType}), '') AS disability_type
     FROM ${raw.table} r`,
  );
  await context.staging.session.run(`DROP TABLE ${raw.table}`);
  return table;
}

/**
 * The rules of a class: the spec's vocabulary for classType (case-sensitive: `Scheduled` is an error),
 * a course that exists (courses.csv may be absent only if earlier rosters have the course), a school
 * org, and terms that exist; a type of disability (Shirube's extension column) from its codes, and only
 * on a special-needs class.
 */
export async function validateClasses(
  context: StageContext,
  pkg: RosterPackage,
  names: RosterTables,
  table: PackageTable,
): Promise<void> {
  const { staging } = context;
  const t = table.table;
  const content = 'NOT deleting';
  const terms = names.work('class_terms');
  await staging.session.run(
    `CREATE TABLE ${terms} AS SELECT line, unnest(term_ids) AS id FROM ${t} WHERE NOT deleting`,
  );
  const orgs = names.targets('orgs');
  const coursesAbsent = names.tables.courses === null && declaredAbsent(pkg, 'courses');
  await staging.validate(t, table.file.name, [
    ...rowRules(table),
    {
      severity: 'error',
      column: 'title',
      ...say('oneroster.required', { column: 'title' }),
      when: `${content} AND title IS NULL`,
    },
    {
      severity: 'error',
      column: 'classType',
      ...say('oneroster.class_type', { values: CLASS_TYPES }),
      when: `${content} AND coalesce(class_type NOT IN (${sqlList(CLASS_TYPES)}), true)`,
    },
    {
      severity: 'error',
      column: 'courseSourcedId',
      ...say('oneroster.required', { column: 'courseSourcedId' }),
      when: `${content} AND course_id IS NULL`,
    },
    ...referenceRules(
      'courseSourcedId',
      'course_id',
      {
        what: 'course',
        file: 'courses.csv',
        ...names.targets('courses'),
        unknownSaid: coursesAbsent ? say('oneroster.course_absent') : undefined,
      },
      { when: content },
    ),
    {
      severity: 'error',
      column: 'schoolSourcedId',
      ...say('oneroster.required', { column: 'schoolSourcedId' }),
      when: `${content} AND org_id IS NULL`,
    },
    ...referenceRules('schoolSourcedId', 'org_id', { what: 'org', file: 'orgs.csv', ...orgs }, { when: content }),
    {
      severity: 'error',
      column: 'schoolSourcedId',
      ...say('oneroster.not_a_school'),
      when: `${content} AND org_id IN ${orgs.active} AND org_id NOT IN (SELECT org_id FROM ${names.effective('orgs')} WHERE status = 'active' AND type = 'school')`,
    },
    {
      severity: 'error',
      column: 'termSourcedIds',
      ...say('oneroster.required', { column: 'termSourcedIds' }),
      when: `${content} AND len(term_ids) = 0`,
    },
    ...listReferenceRules('termSourcedIds', terms, bareName(t), {
      what: 'academic session',
      file: 'academicSessions.csv',
      ...names.targets('academicSessions'),
    }),
    {
      severity: 'warning',
      column: 'grades',
      ...say('oneroster.grades_outside', { values: GRADE_CODES }),
      value: 'grades_cell',
      when: `${content} AND len(list_filter(grades, g -> g NOT IN (${sqlList(GRADE_CODES)}))) > 0`,
    },
    {
      severity: 'error',
      column: 'metadata.jp.specialNeeds',
      ...say('oneroster.boolean', { column: 'metadata.jp.specialNeeds' }),
      when: `${content} AND special_needs IS NULL`,
    },
    {
      severity: 'error',
      column: DISABILITY_TYPE_COLUMN,
      ...say('oneroster.disability_type', { column: DISABILITY_TYPE_COLUMN, values: DISABILITY_TYPES }),
      when: `${content} AND disability_type NOT IN (${sqlList(DISABILITY_TYPES)})`,
    },
    {
      severity: 'error',
      column: DISABILITY_TYPE_COLUMN,
      ...say('oneroster.disability_not_special_needs', { column: DISABILITY_TYPE_COLUMN }),
      when: `${content} AND disability_type IN (${sqlList(DISABILITY_TYPES)}) AND special_needs = false`,
    },
  ]);
  await staging.session.run(`DROP TABLE ${terms}`);
  await markStale(staging, table);
  await markWinners(staging, table);
}

/**
 * Where each class of a roster sits: its school's code and its 年度, the school year of its earliest
 * term's start date. `orgs`, `sessions` and `classes` are tables with the mirror's columns.
 */
export async function placeClasses(
  context: StageContext,
  into: string,
  tables: { orgs: string; sessions: string; classes: string },
): Promise<void> {
  await context.staging.session.run(
    `CREATE TABLE ${into} AS
     SELECT c.class_id, c.class_type, c.title, c.grades, coalesce(c.special_needs, false) AS special_needs,
            CASE WHEN c.special_needs THEN c.disability_type END AS disability_type, o.school_code, min(s.academic_year) AS academic_year
     FROM (SELECT *, unnest(term_ids) AS term_id FROM ${tables.classes} WHERE status = 'active') c
     JOIN ${tables.orgs} o ON o.org_id = c.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
     JOIN ${tables.sessions} s ON s.session_id = c.term_id AND s.status = 'active' AND s.academic_year IS NOT NULL
     GROUP BY c.class_id, c.class_type, c.title, c.grades, c.special_needs, c.disability_type, o.school_code`,
  );
}
