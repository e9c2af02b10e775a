import { issueTypedSurvey } from '../factories/survey.factory.js';
import { SCHOOL_A, startTestApp, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const FORMULA = "=cmd|' /C calc'!A0";

interface View {
  id: string;
  answers: { code: string; questionId: string; version: number }[];
}

/** What a school may type reaches the board's files and the store safely (real stores). */
describe('survey answers as untrusted input', () => {
  let t: TestApp;
  let surveyId: string;
  let view: View;

  beforeAll(async () => {
    t = await startTestApp();
    ({ surveyId } = await issueTypedSurvey(t, '自由記述の調査', [
      { code: 'note', text: { ja: '特記事項', en: 'Notes' }, type: 'text' },
      { code: 'balance', text: { ja: '予算の差額', en: 'Budget difference' }, type: 'number' },
    ]));
    view = (await t.http().get(`/api/surveys/${surveyId}/responses/${SCHOOL_A}`).set(bearer(t.tokens.schoolA)))
      .body as View;
  });
  afterAll(async () => t.close());

  const answerUrl = (code: string) =>
    `/api/responses/${view.id}/answers/${view.answers.find((a) => a.code === code)!.questionId}`;
  const current = async (code: string) =>
    (
      (await t.http().get(`/api/responses/${view.id}`).set(bearer(t.tokens.schoolA)).expect(200)).body as View
    ).answers.find((a) => a.code === code)!.version;

  describe('results CSV', () => {
    beforeAll(async () => {
      await t
        .http()
        .put(answerUrl('note'))
        .set(bearer(t.tokens.schoolA))
        .send({ value: FORMULA, version: await current('note') })
        .expect(200);
      await t
        .http()
        .put(answerUrl('balance'))
        .set(bearer(t.tokens.schoolA))
        .send({ value: -3, version: await current('balance') })
        .expect(200);
    });

    const rowOf = (csv: string) => csv.split('\r\n').find((line) => line.startsWith(SCHOOL_A))!;

    it('writes a typed formula as text, and a negative number as a number, in the API’s CSV', async () => {
      const csv = await t
        .http()
        .get(`/api/surveys/${surveyId}/results?format=csv`)
        .set(bearer(t.tokens.board))
        .expect(200);
      expect(rowOf(csv.text).split(',').slice(3)).toEqual([`'${FORMULA}`, '-3']);
    });

    it('does the same in the CSV the board downloads from its page', async () => {
      const origin = `http://127.0.0.1`;
      const login = await t
        .http()
        .post('/login')
        .set('Host', '127.0.0.1')
        .set('Origin', origin)
        .type('form')
        .send({ token: t.tokens.board })
        .expect(303);
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      const csv = await t.http().get(`/surveys/${surveyId}/results.csv`).set('Cookie', cookie).expect(200);
      expect(rowOf(csv.text).split(',').slice(3)).toEqual([`'${FORMULA}`, '-3']);
    });
  });
});
