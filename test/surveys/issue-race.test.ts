import { DomainError } from '../../src/common/domain-error.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ResponsesService } from '../../src/surveys/responses.service.js';
import { SurveyDraftsService } from '../../src/surveys/survey-drafts.service.js';
import { SurveysService } from '../../src/surveys/surveys.service.js';
import { seedSchools } from '../factories/warehouse.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

const board = (t: TestApp) => ({ Authorization: `Bearer ${t.tokens.board}` });
const QUESTION = {
  code: 'counsellor_days',
  text: { ja: 'スクールカウンセラーの勤務日数', en: 'Counsellor days' },
  type: 'integer' as const,
};

/** How a call ended: ok, or its error code. */
async function outcome(work: () => Promise<unknown>): Promise<string> {
  try {
    await requestContext.run(CLI_ACTOR, work);
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

/**
 * Issuing computes every school's figures outside the write (seconds at a prefecture's scale): a draft edited
 * meanwhile is not issued from its older questions, and two issues of one draft make one set of responses.
 * On the real store (PostgreSQL, or PGlite when DATABASE_URL is unset).
 */
describe('issuing a survey while it changes', () => {
  let t: TestApp;
  let surveys: SurveysService;
  let drafts: SurveyDraftsService;

  beforeAll(async () => {
    t = await startTestApp();
    await seedSchools(t.warehouse, [
      { schoolCode: SCHOOL_A, name: '中央小学校', schoolType: 'elementary' },
      { schoolCode: SCHOOL_B, name: '中央中学校', schoolType: 'junior_high' },
    ]);
    surveys = t.app.get(SurveysService);
    drafts = t.app.get(SurveyDraftsService);
  });
  afterAll(async () => t.close());

  const draft = async (title: string): Promise<string> =>
    (
      await t
        .http()
        .post('/api/surveys')
        .set(board(t))
        .send({
          title: { ja: title, en: title },
          description: { ja: '', en: '' },
          academicYear: 2025,
          asOfDate: '2026-03-31',
          deadline: '2099-03-31',
          targets: { kind: 'all' },
          questions: [QUESTION],
        })
        .expect(201)
    ).body.survey.id;
  const responsesOf = async (surveyId: string) =>
    Number(
      (await t.dataSource.query('SELECT count(*) AS n FROM survey_responses WHERE survey_id = $1', [surveyId]))[0].n,
    );

  it('refuses to issue a draft edited while its figures were computed, and issues it whole when asked again', async () => {
    const id = await draft('途中で変わる調査');
    const compute = surveys.compute.bind(surveys);
    // The interleaving: another board member adds a question while the figures are being computed.
    surveys.compute = async (...args: Parameters<SurveysService['compute']>) => {
      const computed = await compute(...args);
      await requestContext.run(CLI_ACTOR, () =>
        drafts.addQuestion(id, { ...QUESTION, code: 'nurse_days', rules: [], required: false }),
      );
      return computed;
    };
    try {
      expect(await outcome(() => surveys.issue(id))).toBe('SURVEY_CHANGED_WHILE_ISSUING');
    } finally {
      surveys.compute = compute;
    }
    expect(await responsesOf(id)).toBe(0);
    expect((await surveys.get(id)).survey.status).toBe('draft');

    expect(await outcome(() => surveys.issue(id))).toBe('ok');
    expect(await responsesOf(id)).toBe(2);
    // Whole: each school's response asks both questions (a person answers them: nothing is written until then).
    for (const school of [SCHOOL_A, SCHOOL_B]) {
      const view = await requestContext.run(CLI_ACTOR, () =>
        t.app.get(ResponsesService).findFor(CLI_ACTOR, id, school),
      );
      expect(view.answers.map((a) => [a.code, a.source, a.value, a.version])).toEqual([
        ['counsellor_days', 'manual', null, 1],
        ['nurse_days', 'manual', null, 1],
      ]);
    }
  });

  it('makes one response per school when two issue the same draft at once', async () => {
    const id = await draft('二重配布');
    const ends = await Promise.all([outcome(() => surveys.issue(id)), outcome(() => surveys.issue(id))]);
    expect(ends.sort()).toEqual(['SURVEY_NOT_DRAFT', 'ok']);
    expect(await responsesOf(id)).toBe(2);
  });
});
