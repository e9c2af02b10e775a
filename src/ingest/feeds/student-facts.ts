import type { DuckDBValue } from '@duckdb/node-api';
import type { StageContext } from '../feed.js';
import type { FeedInput, SourceFile } from '../ingest.types.js';
import { ingestSql, joinSql, quoteIdent, render, type Sql } from '../sql/ingest-sql.js';
import type { CsvShape } from '../staging.js';
import { readRules, rulesFor, type Rule } from '../staging/rule-engine.js';

export interface StudentFactsTable {
  /**
   * Staged rows with: line, rejected, school_code, sid (the student, a small integer; NULL when
   * unresolved), the typed date column as `day`, academic_year, and every CSV column but student_id.
   */
  table: string;
  /**
   * sid → student_pid of the students in `table`, sid being the student's number in the warehouse
   * (student_refs, or a new one of this batch): attendance stores it as it is; the other feeds join the
   * 64-digit pseudonym back for the rows that load.
   */
  students: string;
  /** The school codes in `table` that are present: valid (check digit), known, has_calendar. */
  schools: string;
  /** The staged rows by sid, school_code, academic_year and 63-day span (queries/ingest/student-facts/combos.sql). */
  combos: string;
  rowsRead: number;
  file: SourceFile;
}

const Q = {
  readIds: ingestSql('student-facts/read-ids'),
  resolvedPids: ingestSql('student-facts/resolved-pids'),
  ids: ingestSql('student-facts/ids'),
  facts: ingestSql('student-facts/facts'),
  combos: ingestSql('student-facts/combos'),
  named: ingestSql('student-facts/named-schools'),
  schools: ingestSql('student-facts/schools'),
  loadableRows: ingestSql('student-facts/loadable-rows'),
};
const COMMON_RULES = readRules('student-facts/rules');
const DATE_FORM = readRules('values/date-form');

/** SQL for a staged facts table's rows that load, with the student's pseudonym as `student_pid`. */
export const loadableRows = (facts: Pick<StudentFactsTable, 'table' | 'students'>): Sql =>
  render(Q.loadableRows, { table: facts.table, students: facts.students });

/** The values the per-student rules bind: the uploading school, and whether the input is pre-pseudonymised. */
export const ruleValues = (context: StageContext): Record<string, DuckDBValue> => ({
  scope_school: context.scopeSchool,
  pre_pseudonymized: context.pseudonymizer.prePseudonymized,
});

/**
 * The tables the per-student rules read (see the rules files): the rows, their combinations, the
 * schools named, the students, and the tables a rule's steps make, named by `name` (staging tables for
 * the staged rows, temp tables for a direct load's).
 */
export function ruleParts(
  facts: Pick<StudentFactsTable, 'table' | 'combos' | 'schools' | 'students'>,
  dateColumn: string,
  name: (prefix: string) => string,
): Record<string, string> {
  return {
    rows: facts.table,
    combos: facts.combos,
    schools: facts.schools,
    students: facts.students,
    date: quoteIdent(dateColumn),
    day: 'day',
    not_enrolled: name('not_enrolled'),
    off_days: name('off_days'),
  };
}

/** The rules of a per-student feed: the common ones, the date's form, then the feed's own (its rules file). */
export function studentFactsRules(
  feedRules: ReturnType<typeof readRules>,
  parts: Record<string, string>,
  values: Record<string, DuckDBValue>,
): Rule[] {
  return rulesFor([...COMMON_RULES, ...DATE_FORM, ...feedRules], parts, values);
}

/**
 * The common part of every per-student feed (attendance, assessments, guidance): read the CSV, turn
 * `student_id` (a roster sourcedId or one of its userIds) into the student, and apply the rules every
 * such row must meet with the feed's own (`feedRules`, its rules file). The raw `student_id` is dropped
 * from the typed table.
 *
 * Built for tens of millions of rows: the rows are copied once (read → typed table, joined only to the
 * small map raw ID → sid), and the checks against the roster, the schools and the calendars are made
 * on the few distinct (student, school, year, span) and (school, day) combinations; a rule that cannot
 * fire (its guard finds nothing) is not run over the rows.
 */
export async function stageStudentFacts(
  context: StageContext,
  input: FeedInput,
  shape: CsvShape & { dateColumn: string; lowercase?: string[] },
  feedRules: ReturnType<typeof readRules> = [],
): Promise<StudentFactsTable | null> {
  const { staging } = context;
  const file = input.files[0];
  const raw = await staging.readCsvRows(file, shape, undefined, { asRead: true });
  if (!raw) return null;
  context.progress(file.name, raw.rows);
  const otherColumns = raw.columns.filter((c) => c !== 'student_id');
  const clean = await staging.cleanColumns(raw.table, otherColumns, new Set(shape.lowercase ?? []));
  // Each distinct student ID as read, trimmed, pseudonymised and resolved to the student, who is
  // numbered by a small integer (the staged rows carry 4 bytes instead of a 64-digit pseudonym): the
  // student's number in the warehouse (student_refs), or a new one, kept for this batch.
  const readIds = staging.newTable('read_ids');
  await staging.run(Q.readIds, { read_ids: readIds, raw: raw.table });
  await staging.pseudonymize(readIds, 'id');
  const students = staging.newTable('students');
  await staging.numberStudents(students, { sql: render(Q.resolvedPids, { read_ids: readIds }) });
  const ids = staging.newTable('student_ids');
  await staging.run(Q.ids, { ids, read_ids: readIds, students });
  const table = staging.newTable('facts');
  const others = joinSql(
    otherColumns.map((c) => clean.get(c)!),
    ', ',
  );
  await staging.run(Q.facts, {
    table,
    raw: raw.table,
    ids,
    others: { sql: others },
    date: quoteIdent(shape.dateColumn),
  });
  for (const done of [raw.table, ids, readIds]) await staging.dropTable(done);
  await staging.shiftLines(table, raw.refusedLines);

  const combos = staging.newTable('combos');
  await staging.run(Q.combos, { combos, rows: table });
  const named = staging.newTable('school_codes');
  await staging.run(Q.named, { named, combos });
  await staging.checkSchoolCodes(named, 'school_code');
  await staging.dropTable(named);
  const schools = staging.newTable('schools');
  await staging.run(Q.schools, { schools, combos });
  const facts = { table, students, schools, combos, rowsRead: raw.rows, file };
  const values = ruleValues(context);
  const parts = ruleParts(facts, shape.dateColumn, (prefix) => staging.newTable(prefix));
  await staging.validate(table, file.name, studentFactsRules(feedRules, parts, values), values);
  return facts;
}

export async function countLoadable(
  session: import('../../warehouse/warehouse.js').WarehouseSession,
  staging: {
    loadableCount(session: import('../../warehouse/warehouse.js').WarehouseSession, table: string): Promise<number>;
  },
  table: string,
): Promise<number> {
  return staging.loadableCount(session, table);
}
