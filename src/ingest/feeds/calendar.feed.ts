import type { Feed, FeedInput, StageContext, StagedFeed } from '../ingest.types.js';
import { duplicateRule } from '../staging.js';
import { dateFormRule } from '../value-rules.js';
import { academicYearOf, countLoadable, schoolCodeRules } from './student-facts.js';

/**
 * School calendars (授業日数の基): `school_code,date`, one row per school day. A school's calendar for a
 * school year is replaced as a whole by a newer file that covers that school and year.
 */
export const calendarFeed: Feed = {
  kind: 'calendar',
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const file = input.files[0];
    const raw = await staging.readCsv(file, { required: ['school_code', 'date'] });
    if (!raw) return { input, rowsRead: 0, load: async () => 0, rowsRejected: async () => 0 };
    await staging.checkSchoolCodes(raw.table, 'school_code');
    const table = staging.newTable('calendar');
    await staging.session.run(
      `CREATE TABLE ${table} AS
       SELECT r.*, TRY_CAST(r.date AS DATE) AS day, ${academicYearOf('TRY_CAST(r.date AS DATE)')} AS academic_year, sc.valid AS school_code_valid
       FROM ${raw.table} r LEFT JOIN ${staging.t('school_code_check')} sc ON sc.code = r.school_code`,
    );
    await staging.validate(table, file.name, [
      ...schoolCodeRules(context),
      { severity: 'error', column: 'date', rule: 'not a date (YYYY-MM-DD)', when: 'day IS NULL' },
      dateFormRule('date', 'day'),
      {
        severity: 'warning',
        column: 'date',
        rule: 'a Saturday or Sunday listed as a school day',
        when: 'dayofweek(day) IN (0, 6)',
      },
      duplicateRule(table, ['school_code', 'day'], 'date', 'school and day (kept once)', 'warning'),
    ]);
    await staging.session.run(
      `INSERT INTO ${staging.t('new_school_days')} SELECT DISTINCT school_code, day FROM ${table} WHERE NOT rejected`,
    );
    return {
      input,
      rowsRead: raw.rows,
      rowsRejected: () => staging.rejectedCount(table),
      touchedYears: `(SELECT DISTINCT school_code, academic_year FROM ${table} WHERE NOT rejected)`,
      load: async (session) => {
        await session.run(
          `DELETE FROM main.school_days d USING (SELECT DISTINCT school_code, academic_year FROM ${table} WHERE NOT rejected) n
           WHERE d.school_code = n.school_code AND d.academic_year = n.academic_year`,
        );
        await session.run(
          `INSERT INTO main.school_days (school_code, day, academic_year, batch_id)
           SELECT DISTINCT school_code, day, academic_year, $1 FROM ${table} WHERE NOT rejected`,
          [context.batchId],
        );
        return countLoadable(session, table);
      },
    };
  },
};
