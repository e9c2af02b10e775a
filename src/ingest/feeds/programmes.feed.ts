import type { Feed, StageContext, StagedFeed } from '../feed.js';
import type { FeedInput } from '../ingest.types.js';
import { ingestSql } from '../sql/ingest-sql.js';
import { readRules, rulesFor } from '../staging/rule-engine.js';
import { normaliseText, textRules } from '../value-rules.js';
import { nothingStaged } from './nothing-staged.js';

const FREE_TEXT = ['programme_id', 'programme_name'];
const Q = { typed: ingestSql('programmes/typed') };
const RULES = readRules('programmes/rules');
const SCHOOL_CODE = readRules('values/school-code');
const DATE_FORM = readRules('values/date-form');

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
    if (!raw) return nothingStaged(input);
    await staging.checkSchoolCodes(raw.table, 'school_code');
    const table = staging.newTable('programmes');
    await staging.run(Q.typed, { table, raw: raw.table });
    const values = { scope_school: context.scopeSchool };
    const rules = [
      ...rulesFor(RULES.slice(0, 3), { rows: table }),
      ...rulesFor(SCHOOL_CODE, {}, values),
      ...rulesFor(RULES.slice(3), { rows: table }),
      ...rulesFor(DATE_FORM, { date: 'start_date', day: 'start_day' }),
      ...rulesFor(DATE_FORM, { date: 'end_date', day: 'end_day' }),
      ...textRules(FREE_TEXT),
    ];
    await staging.validate(table, file.name, rules, values);
    await normaliseText(staging, table, FREE_TEXT);
    return {
      input,
      rowsRead: raw.rows,
      rowsRejected: () => staging.rejectedCount(table),
      load: async (session) => {
        await staging.scriptOn(session, 'programmes/load', { rows: table }, { batch: context.batchId });
        return staging.loadableCount(session, table);
      },
    };
  },
};
