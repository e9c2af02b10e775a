import type { StageContext } from '../../feed.js';
import { ingestSql } from '../../sql/ingest-sql.js';
import { readRules, rulesFor } from '../../staging/rule-engine.js';
import { declaredAbsent, type RosterPackage } from './manifest.js';
import {
  bareName,
  checkRows,
  listReferenceRules,
  listRefs,
  markStale,
  markWinners,
  type PackageTable,
  readEntityCsv,
  readPackageTable,
  referenceRules,
  rowRules,
} from './package-table.js';
import type { RosterTables } from './roster-tables.js';
import { DISABILITY_TYPE_COLUMN, VOCABULARIES } from './vocabulary.js';
import { say } from '../../problems/problem-catalogue.js';

const Q = {
  read: ingestSql('oneroster/read/classes'),
  place: ingestSql('oneroster/classes/place'),
};
const RULES = readRules('oneroster/rules/classes-rules');

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
  await readPackageTable(context.staging, Q.read, table, raw.table);
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
  const terms = names.work('class_terms');
  await listRefs(staging, table, 'term_ids', terms);
  const coursesAbsent = names.tables.courses === null && declaredAbsent(pkg, 'courses');
  await checkRows(staging, table, [
    ...rowRules(table),
    ...rulesFor(RULES, { orgs: names.effective('orgs') }, VOCABULARIES),
    ...referenceRules('courseSourcedId', 'course_id', {
      what: 'course',
      file: 'courses.csv',
      ...names.targets('courses'),
      unknownSaid: coursesAbsent ? say('oneroster.course_absent') : undefined,
    }),
    ...referenceRules('schoolSourcedId', 'org_id', { what: 'org', file: 'orgs.csv', ...names.targets('orgs') }),
    ...listReferenceRules('termSourcedIds', terms, bareName(t), {
      what: 'academic session',
      file: 'academicSessions.csv',
      ...names.targets('academicSessions'),
    }),
  ]);
  await staging.dropTable(terms);
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
  await context.staging.run(Q.place, { into, ...tables });
}
