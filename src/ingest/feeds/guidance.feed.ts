import type { Feed, StageContext, StagedFeed } from '../feed.js';
import type { FeedInput } from '../ingest.types.js';
import { readRules, rulesFor } from '../staging/rule-engine.js';
import { nothingStaged } from './nothing-staged.js';
import { loadableRows, stageStudentFacts } from './student-facts.js';

const RULES = readRules('guidance/rules');

/**
 * 生徒指導 records: `school_code,student_id,recorded_on,category,type_code,discovered_by,resolved,serious`.
 * The natural key is (student, date, category, type); a newer row for it replaces the older one.
 */
export const guidanceFeed: Feed = {
  kind: 'guidance',
  schoolMayUpload: true,
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const facts = await stageStudentFacts(context, input, {
      required: ['school_code', 'student_id', 'recorded_on', 'category'],
      optional: ['type_code', 'discovered_by', 'resolved', 'serious'],
      dateColumn: 'recorded_on',
      lowercase: ['category', 'discovered_by'],
    });
    if (!facts) return nothingStaged(input);
    const { table } = facts;
    await staging.validate(table, facts.file.name, rulesFor(RULES, { rows: table }));
    return {
      input,
      rowsRead: facts.rowsRead,
      rowsRejected: () => staging.rejectedCount(table),
      load: async (session) => {
        await staging.scriptOn(
          session,
          'guidance/load',
          { valid: { sql: loadableRows(facts) } },
          {
            batch: context.batchId,
          },
        );
        return staging.loadableCount(session, table);
      },
    };
  },
};
