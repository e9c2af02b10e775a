import type { WarehouseSession } from '../../warehouse/warehouse.js';
import type { Feed, FeedInput, StageContext, StagedFeed } from '../ingest.types.js';
import { stageAttendanceDirectly } from './attendance-direct.js';
import { duplicateRule, type Rule, type Staging } from '../staging.js';
import { countLoadable, offCalendarDayRule, stageStudentFacts, type StudentFactsTable } from './student-facts.js';

export const ATTENDANCE_STATUSES = [
  'present',
  'absent',
  'late',
  'early_leave',
  'suspension',
  'mourning',
  'closure',
  'counted_present',
] as const;
export const ABSENCE_REASONS = ['illness', 'economic', 'non_attendance', 'covid_avoidance', 'other'] as const;
const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Daily attendance (出欠): `school_code,student_id,date,status,reason`. Rows for plain presence are
 * optional. A newer row for the same student and day replaces the older one.
 */
export const attendanceFeed: Feed = {
  kind: 'attendance',
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    // The rows store the school as its number (school_refs): every known school has one before the rows are read.
    await context.staging.numberSchools();
    if (context.directLoad) {
      const direct = await stageAttendanceDirectly(context, input);
      if (direct) return direct;
    }
    const { staging } = context;
    const facts = await stageStudentFacts(
      context,
      input,
      {
        required: ['school_code', 'student_id', 'date', 'status'],
        optional: ['reason'],
        dateColumn: 'date',
        lowercase: ['status', 'reason'],
      },
      async (staged) => {
        const rules: Rule[] = [
          { severity: 'error', column: 'status', rule: 'status is required', when: 'status IS NULL' },
          {
            severity: 'error',
            column: 'status',
            rule: `status must be one of ${ATTENDANCE_STATUSES.join(', ')}`,
            when: `status NOT IN (${sqlList(ATTENDANCE_STATUSES)})`,
          },
          {
            severity: 'error',
            column: 'reason',
            rule: `reason must be one of ${ABSENCE_REASONS.join(', ')} or empty`,
            when: `reason NOT IN (${sqlList(ABSENCE_REASONS)})`,
          },
          {
            severity: 'error',
            column: 'reason',
            rule: 'a reason is given only for an absence',
            when: `reason IS NOT NULL AND status <> 'absent'`,
          },
        ];
        // Finding which rows repeat a student and day needs a hash over every row; count first whether any does.
        if ((await repeatedStudentDays(context, staged)) > 0)
          rules.push(duplicateRule(staged.table, ['sid', 'day'], 'date', 'student and day'));
        const offCalendar = await offCalendarDayRule(context, staged);
        if (offCalendar) rules.push(offCalendar);
        return rules;
      },
    );
    if (!facts) return { input, rowsRead: 0, load: async () => 0, rowsRejected: async () => 0 };
    const { table } = facts;
    // The schools, years and dates the rows cover, in one pass: what the load checks for rows to replace,
    // and what the derived tables refresh.
    const years = `${table}_years`;
    // From the staged combinations when no row was rejected (they then hold the loaded rows only).
    const rejected = await staging.rejectedCount(table);
    await staging.session.run(
      rejected === 0
        ? `CREATE TABLE ${years} AS
           SELECT school_code, academic_year, min(first_day) AS first_day, max(last_day) AS last_day FROM ${facts.combos} GROUP BY ALL`
        : `CREATE TABLE ${years} AS
           SELECT school_code, academic_year, min(day) AS first_day, max(day) AS last_day FROM ${table} WHERE NOT rejected GROUP BY ALL`,
    );
    // The warehouse's rows in the staged dates: none on a first load of a year, and then the load has
    // nothing to replace.
    const [{ held }] = await staging.session.all<{ held: bigint }>(
      `SELECT count(*) AS held FROM (SELECT 1 FROM main.attendance_records
       WHERE day BETWEEN (SELECT min(first_day) FROM ${years}) AND (SELECT max(last_day) FROM ${years}) LIMIT 1)`,
    );
    const replaces = Number(held) > 0;
    // A corrected day can move a student to another school (a transfer sent late): the row held at the
    // old school is replaced too, so its school-year joins the touched ones (the load then looks for rows
    // to replace, and the derived tables of that school-year are refreshed).
    if (replaces) {
      await staging.session.run(
        `INSERT INTO ${years}
         SELECT DISTINCT s.school_code, a.academic_year, NULL::DATE, NULL::DATE
         FROM main.attendance_records a
         JOIN (SELECT DISTINCT sid, day FROM ${table} WHERE NOT rejected) n ON n.sid = a.student_ref AND n.day = a.day
         JOIN main.school_refs s ON s.school_ref = a.school_ref
         WHERE a.day BETWEEN (SELECT min(first_day) FROM ${years}) AND (SELECT max(last_day) FROM ${years})
           AND (s.school_code, a.academic_year) NOT IN (SELECT (school_code, academic_year) FROM ${years})`,
      );
    }
    return {
      input,
      rowsRead: facts.rowsRead,
      rowsRejected: async () => rejected,
      touchedYears: years,
      load: (session) => loadAttendance(session, staging, facts, context.batchId, replaces),
    };
  },
};

/**
 * Rows that repeat an earlier row's student and day, counted per student and school year: the dated
 * rows against the distinct days (the bitmaps of the year's ≤ 366 days, one per school, OR-ed), from the
 * staged combinations instead of an aggregate over every student and day.
 */
async function repeatedStudentDays(context: StageContext, facts: StudentFactsTable): Promise<number> {
  const [{ n }] = await context.staging.session.all<{ n: bigint | null }>(
    `SELECT sum(rows - coalesce(bit_count(days), 0)) AS n FROM (
       SELECT sum(dated_rows) AS rows, bit_or(days) AS days FROM ${facts.combos}
       WHERE sid IS NOT NULL AND academic_year IS NOT NULL GROUP BY sid, academic_year)`,
  );
  return Number(n ?? 0);
}

/** `replaces`: the warehouse holds rows in the staged dates (else nothing can be replaced). */
async function loadAttendance(
  session: WarehouseSession,
  staging: Staging,
  facts: StudentFactsTable,
  batchId: string,
  replaces: boolean,
): Promise<number> {
  const { table } = facts;
  const batchRef = await staging.writeNewRefs(session, batchId);
  // Replacing by natural key needs a join over every staged row; skipped on the usual first load of a year.
  if (replaces) {
    await session.run(
      `DELETE FROM main.attendance_records a USING (SELECT DISTINCT sid, day FROM ${table} WHERE NOT rejected) n
       WHERE a.student_ref = n.sid AND a.day = n.day`,
    );
  }
  // The staged student number is the student's student_ref; the school is stored as its number.
  await session.run(
    `INSERT INTO main.attendance_records (student_ref, school_ref, day, academic_year, status, reason, batch_ref)
     SELECT f.sid, s.school_ref, f.day, f.academic_year, f.status, f.reason, $1::INTEGER
     FROM ${table} f JOIN ${staging.knownSchoolRefs()} s ON s.school_code = f.school_code WHERE NOT f.rejected`,
    [batchRef],
  );
  return countLoadable(session, table);
}
