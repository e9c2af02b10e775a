import type { Feed, StageContext, StagedFeed } from '../feed.js';
import type { FeedInput } from '../ingest.types.js';
import { ingestSql } from '../sql/ingest-sql.js';
import { readRules, rulesFor } from '../staging/rule-engine.js';
import { nothingStaged } from './nothing-staged.js';

const Q = {
  typed: ingestSql('calendar/typed'),
  newSchoolDays: ingestSql('calendar/new-school-days'),
  touchedYears: ingestSql('calendar/touched-years'),
  replace: ingestSql('calendar/replace'),
  load: ingestSql('calendar/load'),
};
const RULES = [...readRules('values/school-code'), ...readRules('calendar/rules'), ...readRules('values/date-form')];

/**
 * School calendars (授業日数の基): `school_code,date`, one row per school day. A school's calendar for a
 * school year is replaced as a whole by a newer file that covers that school and year.
 */
export const calendarFeed: Feed = {
  kind: 'calendar',
  schoolMayUpload: true,
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const file = input.files[0];
    const raw = await staging.readCsv(file, { required: ['school_code', 'date'] });
    if (!raw) return nothingStaged(input);
    await staging.checkSchoolCodes(raw.table, 'school_code');
    const table = staging.newTable('calendar');
    await staging.run(Q.typed, { table, raw: raw.table });
    const values = { scope_school: context.scopeSchool };
    await staging.validate(
      table,
      file.name,
      rulesFor(RULES, { rows: table, date: 'date', day: 'day' }, values),
      values,
    );
    await staging.run(Q.newSchoolDays, { rows: table });
    const years = staging.newTable('calendar_years');
    await staging.run(Q.touchedYears, { years, rows: table });
    return {
      input,
      rowsRead: raw.rows,
      rowsRejected: () => staging.rejectedCount(table),
      touchedYears: years,
      load: async (session) => {
        await staging.runOn(session, Q.replace, { years });
        await staging.runOn(session, Q.load, { rows: table }, [context.batchId]);
        return staging.loadableCount(session, table);
      },
    };
  },
};
