import type { Feed, FeedInput, StageContext, StagedFeed } from '../ingest.types.js';
import { duplicateRule } from '../staging.js';
import { normaliseText, textRules } from '../value-rules.js';
import { countLoadable, loadableRows, stageStudentFacts } from './student-facts.js';

const FREE_TEXT = ['assessment_id', 'subject'];

/**
 * Assessment results: `school_code,student_id,assessment_id,subject,administered_on,score,max_score`.
 * A newer result for the same student, assessment and subject replaces the older one.
 */
export const assessmentsFeed: Feed = {
  kind: 'assessments',
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const facts = await stageStudentFacts(context, input, {
      required: ['school_code', 'student_id', 'assessment_id', 'subject', 'administered_on', 'score', 'max_score'],
      dateColumn: 'administered_on',
    });
    if (!facts) return { input, rowsRead: 0, load: async () => 0, rowsRejected: async () => 0 };
    const { table } = facts;
    await staging.session.run(`ALTER TABLE ${table} ADD COLUMN score_value DOUBLE`);
    await staging.session.run(`ALTER TABLE ${table} ADD COLUMN max_value DOUBLE`);
    await staging.session.run(
      `UPDATE ${table} SET score_value = TRY_CAST(score AS DOUBLE), max_value = TRY_CAST(max_score AS DOUBLE), subject = lower(subject)`,
    );
    await staging.validate(table, facts.file.name, [
      { severity: 'error', column: 'assessment_id', rule: 'assessment_id is required', when: 'assessment_id IS NULL' },
      { severity: 'error', column: 'subject', rule: 'subject is required', when: 'subject IS NULL' },
      { severity: 'error', column: 'score', rule: 'score must be a number', when: 'score_value IS NULL' },
      {
        severity: 'error',
        column: 'max_score',
        rule: 'max_score must be a number above 0',
        when: 'max_value IS NULL OR max_value <= 0',
      },
      {
        severity: 'error',
        column: 'score',
        rule: 'score must be between 0 and max_score',
        when: 'score_value < 0 OR score_value > max_value',
      },
      ...textRules(FREE_TEXT),
      duplicateRule(table, ['sid', 'assessment_id', 'subject'], 'assessment_id', 'student, assessment and subject'),
    ]);
    await normaliseText(staging, table, FREE_TEXT);
    return {
      input,
      rowsRead: facts.rowsRead,
      rowsRejected: () => staging.rejectedCount(table),
      load: async (session) => {
        const valid = loadableRows(facts);
        await session.run(
          `DELETE FROM main.assessment_results a USING ${valid} n
           WHERE a.student_pid = n.student_pid AND a.assessment_id = n.assessment_id AND a.subject = n.subject`,
        );
        await session.run(
          `INSERT INTO main.assessment_results (student_pid, school_code, academic_year, assessment_id, subject, administered_on, score, max_score, batch_id)
           SELECT student_pid, school_code, academic_year, assessment_id, subject, day, score_value, max_value, $1 FROM ${valid}`,
          [context.batchId],
        );
        return countLoadable(session, table);
      },
    };
  },
};
