import type { Feed, StageContext, StagedFeed } from '../feed.js';
import type { FeedInput } from '../ingest.types.js';
import { readRules, rulesFor } from '../staging/rule-engine.js';
import { normaliseText, textRules } from '../value-rules.js';
import { nothingStaged } from './nothing-staged.js';
import { loadableRows, stageStudentFacts } from './student-facts.js';

const FREE_TEXT = ['assessment_id', 'subject'];
const RULES = readRules('assessments/rules');

/**
 * Assessment results: `school_code,student_id,assessment_id,subject,administered_on,score,max_score`.
 * A newer result for the same student, assessment and subject replaces the older one.
 */
export const assessmentsFeed: Feed = {
  kind: 'assessments',
  schoolMayUpload: true,
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const facts = await stageStudentFacts(context, input, {
      required: ['school_code', 'student_id', 'assessment_id', 'subject', 'administered_on', 'score', 'max_score'],
      dateColumn: 'administered_on',
    });
    if (!facts) return nothingStaged(input);
    const { table } = facts;
    await staging.script('assessments/typed', { table });
    await staging.validate(table, facts.file.name, [
      ...rulesFor(RULES.slice(0, -1), { rows: table }),
      ...textRules(FREE_TEXT),
      ...rulesFor(RULES.slice(-1), { rows: table }),
    ]);
    await normaliseText(staging, table, FREE_TEXT);
    return {
      input,
      rowsRead: facts.rowsRead,
      rowsRejected: () => staging.rejectedCount(table),
      load: async (session) => {
        await staging.scriptOn(
          session,
          'assessments/load',
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
