import { DomainError } from '../../src/common/domain-error.js';
import { requestContext, type Actor } from '../../src/common/request-context.js';
import { ResponsesService } from '../../src/surveys/responses.service.js';
import { issueTypedSurvey } from '../factories/survey.factory.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface View {
  id: string;
  status: string;
  version: number;
  canSubmit: boolean;
  answers: { code: string; questionId: string; value: unknown; version: number; findings: { severity: string }[] }[];
}

const ROUNDS = 60;
let school: Actor;
/** Runs a write after `turns` turns of the event loop, as a school user; says how it ended (ok, or the error code). */
async function attempt(turns: number, write: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
  try {
    await requestContext.run(school, write);
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

/**
 * Submission validates and changes state in one transaction on a locked, current response: an answer
 * changed while the response is being submitted either lands before the check (and blocks it) or is
 * refused after it. Raced through the service on the real store (PostgreSQL, or PGlite when DATABASE_URL
 * is unset, whose one session must not let two transactions share a BEGIN … COMMIT).
 */
describe('submitting while an answer changes', () => {
  let t: TestApp;
  let responseId: string;
  let responses: ResponsesService;

  beforeAll(async () => {
    t = await startTestApp();
    ({ responseId } = await issueTypedSurvey(t, '相談員調査', [
      {
        code: 'counsellor_days',
        text: { ja: 'スクールカウンセラーの勤務日数', en: 'Counsellor days' },
        type: 'integer',
        rules: [{ severity: 'error', check: 'range', min: 0, max: 366 }],
      },
    ]));
    responses = t.app.get(ResponsesService);
    const me = await t.http().get('/api/auth/me').set(bearer(t.tokens.schoolA)).expect(200);
    school = me.body as Actor;
  });
  afterAll(async () => t.close());

  const read = async (): Promise<View> =>
    (await t.http().get(`/api/responses/${responseId}`).set(bearer(t.tokens.schoolA)).expect(200)).body;

  it('never leaves a submitted response that breaks a rule', async () => {
    const outcomes = { submitted: 0, blocked: 0, changed: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      let view = await read();
      if (view.status === 'submitted') {
        await t
          .http()
          .post(`/api/responses/${responseId}/return`)
          .set(bearer(t.tokens.board))
          .send({ reason: 'もう一度' })
          .expect(200);
        view = await read();
      }
      const days = view.answers[0];
      if (days.value !== 35) {
        view = (
          await t
            .http()
            .put(`/api/responses/${responseId}/answers/${days.questionId}`)
            .set(bearer(t.tokens.schoolA))
            .send({ value: 35, version: days.version })
            .expect(200)
        ).body;
      }
      expect(view.canSubmit).toBe(true);
      // Both read the same valid response; the change breaks the rule while the submit is under way.
      // Staggered by a few turns of the event loop either way, so the two interleave at every point.
      const [changeDelay, submitDelay] = round % 2 === 0 ? [round / 2, 0] : [0, (round - 1) / 2];
      const [change, submit] = await Promise.all([
        attempt(changeDelay, () =>
          responses.change(school, responseId, view.answers[0].questionId, {
            value: 999,
            version: view.answers[0].version,
          }),
        ),
        attempt(submitDelay, () => responses.submit(school, responseId, view.version)),
      ]);
      const after = await read();
      if (after.status === 'submitted') {
        outcomes.submitted++;
        expect(after.answers[0].value).toBe(35);
        expect(after.answers[0].findings).toEqual([]);
      } else {
        outcomes[change === 'ok' ? 'changed' : 'blocked']++;
      }
      expect(change === 'ok' && submit === 'ok').toBe(false);
    }
    // The stagger reaches both orders: some rounds the submission came first, some the change.
    expect(outcomes.submitted).toBeGreaterThan(0);
    expect(outcomes.changed).toBeGreaterThan(0);
    const rows: { status: string; value: unknown }[] = await t.dataSource.query(
      `SELECT r.status, a.value FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id`,
    );
    expect(rows.filter((r) => r.status === 'submitted' && Number(r.value) > 366)).toEqual([]);
  });
});
