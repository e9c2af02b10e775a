import type { Feed, FeedInput, StageContext, StagedFeed } from '../ingest.types.js';
import { duplicateRule } from '../staging.js';
import { dateFormRule, normaliseText, textRules } from '../value-rules.js';
import { countLoadable, schoolCodeRules } from './student-facts.js';

const FREE_TEXT = ['programme_id', 'programme_name'];

/**
 * Programme participation: `programme_id,programme_name,school_code,start_date,end_date` — which
 * schools took part in which programme from when (the treatment in policy evaluation). A file
 * replaces the participation of the programmes it names.
 */
export const programmesFeed: Feed = {
  kind: 'programmes',
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const file = input.files[0];
    const raw = await staging.readCsv(file, {
      required: ['programme_id', 'programme_name', 'school_code', 'start_date'],
      optional: ['end_date'],
    });
    if (!raw) return { input, rowsRead: 0, load: async () => 0, rowsRejected: async () => 0 };
    await staging.checkSchoolCodes(raw.table, 'school_code');
    const table = staging.newTable('programmes');
    await staging.session.run(
      `CREATE TABLE ${table} AS
       SELECT r.*, TRY_CAST(r.start_date AS DATE) AS start_day, TRY_CAST(r.end_date AS DATE) AS end_day, sc.valid AS school_code_valid
       FROM ${raw.table} r LEFT JOIN ${staging.t('school_code_check')} sc ON sc.code = r.school_code`,
    );
    await staging.validate(table, file.name, [
      { severity: 'error', column: 'programme_id', rule: 'programme_id is required', when: 'programme_id IS NULL' },
      {
        severity: 'error',
        column: 'programme_name',
        rule: 'programme_name is required',
        when: 'programme_name IS NULL',
      },
      {
        severity: 'error',
        column: 'programme_name',
        rule: 'one programme_id with two different names',
        when: `programme_id IN (SELECT programme_id FROM ${table} GROUP BY programme_id HAVING count(DISTINCT programme_name) > 1)`,
      },
      ...schoolCodeRules(context),
      { severity: 'error', column: 'start_date', rule: 'not a date (YYYY-MM-DD)', when: 'start_day IS NULL' },
      {
        severity: 'error',
        column: 'end_date',
        rule: 'not a date (YYYY-MM-DD)',
        when: 'end_date IS NOT NULL AND end_day IS NULL',
      },
      { severity: 'error', column: 'end_date', rule: 'end_date is before start_date', when: 'end_day < start_day' },
      dateFormRule('start_date', 'start_day'),
      dateFormRule('end_date', 'end_day'),
      ...textRules(FREE_TEXT),
      duplicateRule(
        table,
        ['programme_id', 'school_code', 'start_day'],
        'start_date',
        'programme, school and start date',
      ),
    ]);
    await normaliseText(staging, table, FREE_TEXT);
    return {
      input,
      rowsRead: raw.rows,
      rowsRejected: () => staging.rejectedCount(table),
      load: async (session) => {
        const valid = `(SELECT * FROM ${table} WHERE NOT rejected)`;
        await session.run(
          `DELETE FROM main.programme_participation WHERE programme_id IN (SELECT programme_id FROM ${valid})`,
        );
        await session.run(`DELETE FROM main.programmes WHERE programme_id IN (SELECT programme_id FROM ${valid})`);
        await session.run(
          `INSERT INTO main.programmes (programme_id, name, batch_id) SELECT DISTINCT programme_id, programme_name, $1 FROM ${valid}`,
          [context.batchId],
        );
        await session.run(
          `INSERT INTO main.programme_participation (programme_id, school_code, start_date, end_date, batch_id)
           SELECT programme_id, school_code, start_day, end_day, $1 FROM ${valid}`,
          [context.batchId],
        );
        return countLoadable(session, table);
      },
    };
  },
};
