import type { FeedInput, SourceFile, StageContext } from '../ingest.types.js';
import { NOT_A_PSEUDONYM, trimmedOrNull, type CsvShape, type Rule } from '../staging.js';
import { dateFormRule } from '../value-rules.js';

/** 年度: the Japanese school year of a date (April to March), as SQL. */
export const academicYearOf = (date: string) => `(year(${date}) - CASE WHEN month(${date}) < 4 THEN 1 ELSE 0 END)`;

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
  /**
   * The staged rows (rejected or not) by sid, school_code and academic_year (each may be NULL): rows,
   * dated_rows (with a date), first_day, last_day, and days (a bitstring of the school year's days, bit
   * 0 = 1 April).
   */
  combos: string;
  rowsRead: number;
  file: SourceFile;
}

/** SQL for a staged facts table's rows that load, with the student's pseudonym as `student_pid`. */
export const loadableRows = (facts: Pick<StudentFactsTable, 'table' | 'students'>) =>
  `(SELECT f.*, s.student_pid FROM ${facts.table} f JOIN ${facts.students} s ON s.sid = f.sid WHERE NOT f.rejected)`;

/**
 * Rules for a `school_code` column (the staged table also has `school_code_valid` from the school-code
 * check): present, a valid MEXT code, a known school, and for a school user its own school.
 */
export function schoolCodeRules(context: StageContext): Rule[] {
  return [
    { severity: 'error', column: 'school_code', rule: 'school_code is required', when: 'school_code IS NULL' },
    {
      severity: 'error',
      column: 'school_code',
      rule: INVALID_SCHOOL_CODE,
      when: 'school_code IS NOT NULL AND NOT school_code_valid',
    },
    {
      severity: 'error',
      column: 'school_code',
      rule: UNKNOWN_SCHOOL,
      when: `school_code_valid AND school_code NOT IN ${context.staging.knownSchools()}`,
    },
    ...scopeRules(context),
  ];
}

const INVALID_SCHOOL_CODE = 'not a valid MEXT school code (13 characters, check digit)';
const UNKNOWN_SCHOOL = 'school is not in the warehouse or in this batch’s rosters';
const scopeRules = (context: StageContext): Rule[] =>
  context.scopeSchool
    ? [
        {
          severity: 'error',
          column: 'school_code',
          rule: 'a school may upload rows of its own school only',
          when: `school_code <> '${context.scopeSchool.replace(/'/g, "''")}'`,
        },
      ]
    : [];

/**
 * The common part of every per-student feed (attendance, assessments, guidance): read the CSV, turn
 * `student_id` (a roster sourcedId or one of its userIds) into the student, and apply the rules every
 * such row must meet. The raw `student_id` is dropped from the typed table.
 *
 * Built for tens of millions of rows: the rows are copied once (read → typed table, joined only to the
 * small map raw ID → sid), and the checks against the roster, the schools and the calendars are made
 * on the few distinct (student, school, year) and (school, day) combinations; a rule that cannot fire
 * (none of them fails) is not run over the rows.
 */
export async function stageStudentFacts(
  context: StageContext,
  input: FeedInput,
  shape: CsvShape & { dateColumn: string; lowercase?: string[] },
  /** The feed's own rules, checked in the same scan of the rows as the common ones. */
  feedRules: (facts: StudentFactsTable) => Promise<Rule[]> | Rule[] = () => [],
): Promise<StudentFactsTable | null> {
  const { staging } = context;
  const run = (sql: string) => staging.session.run(sql);
  const file = input.files[0];
  const raw = await staging.readCsvRows(file, shape, undefined, { asRead: true });
  if (!raw) return null;
  context.progress(file.name, raw.rows);
  const clean = await staging.cleanColumns(
    raw.table,
    raw.columns.filter((c) => c !== 'student_id'),
    new Set(shape.lowercase ?? []),
  );
  // Each distinct student ID as read, trimmed, pseudonymised and resolved to the student, who is
  // numbered by a small integer (the staged rows carry 4 bytes instead of a 64-digit pseudonym): the
  // student's number in the warehouse (student_refs), or a new one, kept for this batch.
  const readIds = staging.newTable('read_ids');
  await run(
    `CREATE TABLE ${readIds} AS
     SELECT raw, ${trimmedOrNull('raw')} AS id FROM (SELECT DISTINCT student_id AS raw FROM ${raw.table} WHERE student_id IS NOT NULL)`,
  );
  await staging.pseudonymize(readIds, 'id');
  const students = staging.newTable('students');
  const ids = staging.newTable('student_ids');
  await staging.numberStudents(
    students,
    `(SELECT DISTINCT res.student_pid FROM ${readIds} r JOIN ${staging.t('pid_map')} m ON m.raw = r.id JOIN ${staging.t('resolver')} res ON res.pid = m.pid)`,
  );
  const prePseudonymized = context.pseudonymizer.prePseudonymized;
  await run(
    `CREATE TABLE ${ids} AS
     SELECT r.raw, r.id IS NULL AS blank, s.sid${prePseudonymized ? ", NOT regexp_full_match(r.id, '[0-9a-f]{64}') AS not_pseudonym" : ''}
     FROM ${readIds} r LEFT JOIN ${staging.t('pid_map')} m ON m.raw = r.id
     LEFT JOIN ${staging.t('resolver')} res ON res.pid = m.pid LEFT JOIN ${students} s ON s.student_pid = res.student_pid`,
  );
  const table = staging.newTable('facts');
  const others = raw.columns.filter((c) => c !== 'student_id').map((c) => `${clean.get(c)} AS "${c}"`);
  await run(
    `CREATE TABLE ${table} AS
     SELECT line, false AS rejected, * EXCLUDE (line), ${academicYearOf('day')} AS academic_year FROM (
       SELECT r.line, r.* EXCLUDE (line, student_id),
              r.student_id IS NULL OR coalesce(m.blank, false) AS student_id_missing,
              ${prePseudonymized ? 'coalesce(m.not_pseudonym, false) AS student_id_not_pseudonym,' : ''}
              m.sid,
              TRY_CAST(r."${shape.dateColumn}" AS DATE) AS day
       FROM (SELECT ${raw.line} AS line, student_id, ${others.join(', ')} FROM ${raw.table}) r
       LEFT JOIN ${ids} m ON m.raw = r.student_id)`,
  );
  await run(`DROP TABLE ${raw.table}`);
  await run(`DROP TABLE ${ids}`);
  await run(`DROP TABLE ${readIds}`);
  await staging.shiftLines(table, raw.refusedLines);

  // The rows by student, school and school year, in one pass: what the checks below and a feed's own
  // checks read instead of the rows (a few hundred thousand combinations for 20 M rows).
  const combos = staging.newTable('combos');
  await run(
    `CREATE TABLE ${combos} AS
     SELECT sid, school_code, academic_year, count(*) AS rows, count(day) AS dated_rows, min(day) AS first_day, max(day) AS last_day,
            bitstring_agg(CAST(day - make_date(academic_year, 4, 1) AS INTEGER), 0, 365) AS days
     FROM ${table} GROUP BY ALL`,
  );
  // The schools named: valid code, known, and whether a calendar lists their days.
  const named = staging.newTable('school_codes');
  await run(`CREATE TABLE ${named} AS SELECT DISTINCT school_code FROM ${combos} WHERE school_code IS NOT NULL`);
  await staging.checkSchoolCodes(named, 'school_code');
  const schools = staging.newTable('schools');
  await run(
    `CREATE TABLE ${schools} AS
     SELECT n.school_code, c.valid, n.school_code IN ${staging.knownSchools()} AS known,
            n.school_code IN (SELECT school_code FROM ${staging.knownSchoolDays()}) AS has_calendar
     FROM ${named} n JOIN ${staging.t('school_code_check')} c ON c.code = n.school_code`,
  );
  await run(`DROP TABLE ${named}`);
  // Enrolment checked on the distinct combinations; the rows are searched only for those that fail.
  const notEnrolled = staging.newTable('not_enrolled');
  await run(
    `CREATE TABLE ${notEnrolled} AS
     SELECT sid, school_code, academic_year FROM ${combos}
     WHERE sid IS NOT NULL AND academic_year IS NOT NULL AND school_code IN (SELECT school_code FROM ${schools} WHERE valid)
     EXCEPT
     SELECT s.sid, e.school_code, e.academic_year FROM ${staging.knownEnrolments()} e JOIN ${students} s ON s.student_pid = e.student_pid`,
  );
  const [found] = await staging.session.all<{ invalid: bigint; unknown: bigint; not_enrolled: bigint }>(
    `SELECT (SELECT count(*) FROM ${schools} WHERE NOT valid) AS invalid,
            (SELECT count(*) FROM ${schools} WHERE valid AND NOT known) AS unknown,
            (SELECT count(*) FROM ${notEnrolled}) AS not_enrolled`,
  );
  const schoolsWhere = (condition: string) => `school_code IN (SELECT school_code FROM ${schools} WHERE ${condition})`;
  const rules: Rule[] = [
    { severity: 'error', column: 'school_code', rule: 'school_code is required', when: 'school_code IS NULL' },
    ...(Number(found.invalid) > 0
      ? [
          {
            severity: 'error',
            column: 'school_code',
            rule: INVALID_SCHOOL_CODE,
            when: schoolsWhere('NOT valid'),
          } satisfies Rule,
        ]
      : []),
    ...(Number(found.unknown) > 0
      ? [
          {
            severity: 'error',
            column: 'school_code',
            rule: UNKNOWN_SCHOOL,
            when: schoolsWhere('valid AND NOT known'),
          } satisfies Rule,
        ]
      : []),
    ...scopeRules(context),
    {
      severity: 'error',
      column: 'student_id',
      rule: 'student_id is required',
      when: 'student_id_missing',
      value: 'NULL',
    },
    ...(prePseudonymized
      ? [
          {
            severity: 'error',
            column: 'student_id',
            rule: NOT_A_PSEUDONYM,
            when: 'student_id_not_pseudonym',
            value: 'withheld',
          } satisfies Rule,
        ]
      : []),
    {
      severity: 'error',
      column: 'student_id',
      rule: 'student_id matches no roster student (sourcedId or userIds)',
      when: 'NOT student_id_missing AND sid IS NULL',
      value: 'withheld',
    },
    {
      severity: 'error',
      column: shape.dateColumn,
      rule: `${shape.dateColumn} is required`,
      when: `"${shape.dateColumn}" IS NULL`,
    },
    {
      severity: 'error',
      column: shape.dateColumn,
      rule: 'not a date (YYYY-MM-DD)',
      when: `"${shape.dateColumn}" IS NOT NULL AND day IS NULL`,
    },
    { severity: 'error', column: shape.dateColumn, rule: 'date is in the future', when: 'day > current_date' },
    dateFormRule(shape.dateColumn, 'day'),
  ];
  if (Number(found.not_enrolled) > 0) {
    rules.push({
      severity: 'error',
      column: 'student_id',
      rule: 'student is not enrolled at this school in that school year (roster)',
      value: 'withheld',
      when: `(sid, school_code, academic_year) IN (SELECT (sid, school_code, academic_year) FROM ${notEnrolled})`,
    });
  }
  const facts = { table, students, schools, combos, rowsRead: raw.rows, file };
  await staging.validate(table, file.name, [...rules, ...(await feedRules(facts))]);
  return facts;
}

/**
 * The rule for rows on a day their school's calendar does not list (a warning), checked on the distinct
 * (school, day) pairs; null when no row breaks it.
 */
export async function offCalendarDayRule(context: StageContext, facts: StudentFactsTable): Promise<Rule | null> {
  const { staging } = context;
  const offDays = staging.newTable('off_days');
  await staging.session.run(
    `CREATE TABLE ${offDays} AS
     SELECT school_code, day FROM (
       SELECT DISTINCT school_code, day FROM ${facts.table}
       WHERE day IS NOT NULL AND school_code IN (SELECT school_code FROM ${facts.schools} WHERE has_calendar))
     EXCEPT
     SELECT school_code, day FROM ${staging.knownSchoolDays()}`,
  );
  const [{ n }] = await staging.session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${offDays}`);
  if (Number(n) === 0) return null;
  return {
    severity: 'warning',
    column: 'date',
    rule: 'not a school day in the school calendar',
    when: `(school_code, day) IN (SELECT (school_code, day) FROM ${offDays})`,
  };
}

export async function countLoadable(
  session: import('../../warehouse/warehouse.js').WarehouseSession,
  table: string,
): Promise<number> {
  const [{ n }] = await session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE NOT rejected`);
  return Number(n);
}
