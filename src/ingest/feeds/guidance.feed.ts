import type { Feed, FeedInput, StageContext, StagedFeed } from '../ingest.types.js';
import { duplicateRule } from '../staging.js';
import { countLoadable, loadableRows, stageStudentFacts } from './student-facts.js';

export const GUIDANCE_CATEGORIES = ['bullying', 'violence', 'other'] as const;
/** いじめの態様 (MEXT bullying survey): 1 冷やかし・からかい・悪口 … 9 その他. */
export const BULLYING_TYPE_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const BOOLEAN_TEXT = ['true', 'false', '1', '0', 'yes', 'no'];
const asBoolean = (column: string) =>
  `CASE WHEN lower(${column}) IN ('true', '1', 'yes') THEN true WHEN lower(${column}) IN ('false', '0', 'no') THEN false END`;

/**
 * 生徒指導 records: `school_code,student_id,recorded_on,category,type_code,discovered_by,resolved,serious`.
 * The natural key is (student, date, category, type); a newer row for it replaces the older one.
 */
export const guidanceFeed: Feed = {
  kind: 'guidance',
  async stage(context: StageContext, input: FeedInput): Promise<StagedFeed> {
    const { staging } = context;
    const facts = await stageStudentFacts(context, input, {
      required: ['school_code', 'student_id', 'recorded_on', 'category'],
      optional: ['type_code', 'discovered_by', 'resolved', 'serious'],
      dateColumn: 'recorded_on',
      lowercase: ['category', 'discovered_by'],
    });
    if (!facts) return { input, rowsRead: 0, load: async () => 0, rowsRejected: async () => 0 };
    const { table } = facts;
    const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
    await staging.validate(table, facts.file.name, [
      {
        severity: 'error',
        column: 'category',
        rule: `category must be one of ${GUIDANCE_CATEGORIES.join(', ')}`,
        when: `category IS NULL OR category NOT IN (${list(GUIDANCE_CATEGORIES)})`,
      },
      {
        severity: 'error',
        column: 'type_code',
        rule: 'a bullying record needs a MEXT type code 1–9 (いじめの態様)',
        when: `category = 'bullying' AND (type_code IS NULL OR type_code NOT IN (${list(BULLYING_TYPE_CODES)}))`,
      },
      {
        severity: 'error',
        column: 'resolved',
        rule: 'resolved must be true or false',
        when: `resolved IS NOT NULL AND lower(resolved) NOT IN (${list(BOOLEAN_TEXT)})`,
      },
      {
        severity: 'error',
        column: 'serious',
        rule: 'serious must be true or false',
        when: `serious IS NOT NULL AND lower(serious) NOT IN (${list(BOOLEAN_TEXT)})`,
      },
      duplicateRule(
        table,
        ['sid', 'day', 'category', "coalesce(type_code, '')"],
        'recorded_on',
        'student, date, category and type',
      ),
    ]);
    return {
      input,
      rowsRead: facts.rowsRead,
      rowsRejected: () => staging.rejectedCount(table),
      load: async (session) => {
        // record_id: a digest of the pseudonymous natural key, so a corrected row replaces its original.
        const valid = `(SELECT *, md5(concat_ws('|', student_pid, CAST(day AS VARCHAR), category, coalesce(type_code, ''))) AS record_id FROM ${loadableRows(facts)})`;
        await session.run(`DELETE FROM main.guidance_records WHERE record_id IN (SELECT record_id FROM ${valid})`);
        await session.run(
          `INSERT INTO main.guidance_records (record_id, student_pid, school_code, academic_year, recorded_on, category, type_code, discovered_by, resolved, serious, batch_id)
           SELECT record_id, student_pid, school_code, academic_year, day, category, type_code, discovered_by, ${asBoolean('resolved')}, ${asBoolean('serious')}, $1 FROM ${valid}`,
          [context.batchId],
        );
        return countLoadable(session, table);
      },
    };
  },
};
