import type { FeedInput, SourceFile, StageContext } from '../ingest.types.js';
import type { CsvShape, Rule } from '../staging.js';

/** 年度: the Japanese school year of a date (April to March), as SQL. */
export const academicYearOf = (date: string) => `(year(${date}) - CASE WHEN month(${date}) < 4 THEN 1 ELSE 0 END)`;

export interface StudentFactsTable {
  /** Staged rows with: line, rejected, school_code, student_pid (NULL when unresolved), the typed date column as `day`, academic_year, and every CSV column. */
  table: string;
  rowsRead: number;
  file: SourceFile;
}

/**
 * Rules for a `school_code` column (the staged table also has `school_code_valid` from the school-code
 * check): present, a valid MEXT code, a known school, and for a school user its own school.
 */
export function schoolCodeRules(context: StageContext, knownColumn?: string): Rule[] {
  const rules: Rule[] = [
    { severity: 'error', column: 'school_code', rule: 'school_code is required', when: 'school_code IS NULL' },
    { severity: 'error', column: 'school_code', rule: 'not a valid MEXT school code (13 characters, check digit)', when: 'school_code IS NOT NULL AND NOT school_code_valid' },
    {
      severity: 'error',
      column: 'school_code',
      rule: 'school is not in the warehouse or in this batch’s rosters',
      when: knownColumn ? `school_code_valid AND NOT ${knownColumn}` : `school_code_valid AND school_code NOT IN ${context.staging.knownSchools()}`,
    },
  ];
  if (context.scopeSchool) {
    rules.push({ severity: 'error', column: 'school_code', rule: 'a school may upload rows of its own school only', when: `school_code <> '${context.scopeSchool.replace(/'/g, "''")}'` });
  }
  return rules;
}

/**
 * The common part of every per-student feed (attendance, assessments, guidance): read the CSV, turn
 * `student_id` (a roster sourcedId or one of its userIds) into the student's pseudonym, and apply the
 * rules every such row must meet. The raw `student_id` is dropped from the typed table.
 */
export async function stageStudentFacts(
  context: StageContext,
  input: FeedInput,
  shape: CsvShape & { dateColumn: string; lowercase?: string[] },
): Promise<StudentFactsTable | null> {
  const { staging } = context;
  const file = input.files[0];
  const raw = await staging.readCsv(file, shape);
  if (!raw) return null;
  context.progress(file.name, raw.rows);
  await staging.pseudonymize(raw.table, 'student_id', file.name);
  await staging.checkSchoolCodes(raw.table, 'school_code');
  const table = staging.newTable('facts');
  const lower = new Set(shape.lowercase ?? []);
  const others = raw.columns.filter((c) => c !== 'student_id').map((c) => (lower.has(c) ? `lower(r."${c}") AS "${c}"` : `r."${c}"`));
  // One pass: pseudonym, typed date, and the lookups the rules need (school known, enrolled that year,
  // a school day of that school). Raw IDs resolve through one small map (raw → student), built first.
  const students = staging.newTable('students');
  await staging.session.run(
    `CREATE TABLE ${students} AS SELECT m.raw, res.student_pid FROM ${staging.t('pid_map')} m JOIN ${staging.t('resolver')} res ON res.pid = m.pid`,
  );
  await staging.session.run(
    `CREATE TABLE ${table} AS
     WITH r AS (SELECT *, TRY_CAST("${shape.dateColumn}" AS DATE) AS typed_day FROM ${raw.table}),
     calendars AS (SELECT DISTINCT school_code FROM ${staging.knownSchoolDays()})
     SELECT r.line, r.rejected, ${others.join(', ')},
            r.student_id IS NULL AS student_id_missing,
            st.student_pid,
            r.typed_day AS day,
            ${academicYearOf('r.typed_day')} AS academic_year,
            sc.valid AS school_code_valid,
            ks.school_code IS NOT NULL AS school_known,
            en.student_pid IS NOT NULL AS enrolled,
            cal.school_code IS NOT NULL AS has_calendar,
            sd.school_code IS NOT NULL AS school_day
     FROM r
     LEFT JOIN ${students} st ON st.raw = r.student_id
     LEFT JOIN ${staging.t('school_code_check')} sc ON sc.code = r.school_code
     LEFT JOIN ${staging.knownSchools()} ks ON ks.school_code = r.school_code
     LEFT JOIN (SELECT DISTINCT * FROM ${staging.knownEnrolments()}) en
       ON en.student_pid = st.student_pid AND en.school_code = r.school_code AND en.academic_year = ${academicYearOf('r.typed_day')}
     LEFT JOIN calendars cal ON cal.school_code = r.school_code
     LEFT JOIN ${staging.knownSchoolDays()} sd ON sd.school_code = r.school_code AND sd.day = r.typed_day`,
  );
  await staging.session.run(`DROP TABLE ${students}`);
  await staging.session.run(`DROP TABLE ${raw.table}`);
  const rules: Rule[] = [
    ...schoolCodeRules(context, 'school_known'),
    { severity: 'error', column: 'student_id', rule: 'student_id is required', when: 'student_id_missing', value: 'NULL' },
    { severity: 'error', column: 'student_id', rule: 'student_id matches no roster student (sourcedId or userIds)', when: 'NOT student_id_missing AND student_pid IS NULL', value: 'withheld' },
    { severity: 'error', column: shape.dateColumn, rule: `${shape.dateColumn} is required`, when: `"${shape.dateColumn}" IS NULL` },
    { severity: 'error', column: shape.dateColumn, rule: 'not a date (YYYY-MM-DD)', when: `"${shape.dateColumn}" IS NOT NULL AND day IS NULL` },
    { severity: 'error', column: shape.dateColumn, rule: 'date is in the future', when: 'day > current_date' },
    {
      severity: 'error',
      column: 'student_id',
      rule: 'student is not enrolled at this school in that school year (roster)',
      value: 'withheld',
      when: 'student_pid IS NOT NULL AND day IS NOT NULL AND school_code_valid AND NOT enrolled',
    },
  ];
  await staging.validate(table, file.name, rules);
  return { table, rowsRead: raw.rows, file };
}

export async function countLoadable(session: import('../../warehouse/warehouse.js').WarehouseSession, table: string): Promise<number> {
  const [{ n }] = await session.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE NOT rejected`);
  return Number(n);
}
