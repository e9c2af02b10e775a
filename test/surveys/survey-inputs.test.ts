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

  describe('bodies that used to end in a 500', () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const json = () => ({ 'Content-Type': 'application/json', ...bearer(t.tokens.schoolA) });

    it('answers an answer nested 15,000 levels deep with a 400 naming the field', async () => {
      const response = await t
        .http()
        .put(answerUrl('note'))
        .set(json())
        .send(`{"value": ${deep(15000)}, "version": ${await current('note')}}`)
        .expect(400);
      expect(response.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'value', messages: [expect.stringContaining('nested deeper than')] }],
      });
    });

    it('does the same for any body: a survey, a cohort query', async () => {
      const survey = await t
        .http()
        .post('/api/surveys')
        .set({ 'Content-Type': 'application/json', ...bearer(t.tokens.board) })
        .send(`{"title": ${deep(15000)}}`)
        .expect(400);
      expect(survey.body.error.fields).toEqual([{ field: 'title', messages: [expect.any(String)] }]);
      await t
        .http()
        .post('/api/cohorts/query')
        .set({ 'Content-Type': 'application/json', ...bearer(t.tokens.analyst) })
        .send(`{"population": ${deep(15000)}}`)
        .expect(400);
    });

    it.each([
      ['a text answer', 'note', { value: 'a\u0000b' }, 'value'],
      ['a change reason', 'balance', { value: 4, reason: 'x\u0000' }, 'reason'],
    ])('refuses the NUL character in %s with a 400 naming the field', async (_, code, body, field) => {
      const response = await t
        .http()
        .put(answerUrl(code))
        .set(bearer(t.tokens.schoolA))
        .send({ ...body, version: await current(code) })
        .expect(400);
      expect(response.body.error.fields).toEqual([{ field, messages: [expect.stringContaining('NUL')] }]);
    });

    it('refuses the NUL character in any text field that would reach PostgreSQL', async () => {
      const board = bearer(t.tokens.board);
      const user = await t.http().post('/api/users').set(board).send({ name: 'x\u0000', role: 'analyst' }).expect(400);
      expect(user.body.error.fields).toEqual([{ field: 'name', messages: [expect.stringContaining('NUL')] }]);
      const survey = await t
        .http()
        .post('/api/surveys')
        .set(board)
        .send({ title: { ja: 'a\u0000', en: 'a' } })
        .expect(400);
      expect(survey.body.error.fields).toEqual([{ field: 'title.ja', messages: [expect.stringContaining('NUL')] }]);
      const explanation = await t
        .http()
        .post(`${answerUrl('note')}/explanations`)
        .set(bearer(t.tokens.schoolA))
        .send({ rule: '0:range', text: '\u0000', version: 1 })
        .expect(400);
      expect(explanation.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['text']);
    });

    it('refuses it in a web form too, and stores nothing', async () => {
      const before = await current('note');
      const login = await t
        .http()
        .post('/login')
        .set('Host', '127.0.0.1')
        .set('Origin', 'http://127.0.0.1')
        .type('form')
        .send({ token: t.tokens.schoolA })
        .expect(303);
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      const page = await t
        .http()
        .post(`/responses/${view.id}/answers/${view.answers.find((a) => a.code === 'note')!.questionId}`)
        .set('Host', '127.0.0.1')
        .set('Origin', 'http://127.0.0.1')
        .set('Cookie', cookie)
        .type('form')
        .send(`version=${before}&value=a%00b`)
        .expect(400);
      expect(page.text).toContain('リクエストが正しくありません');
      expect(page.text).toContain('value');
      expect(await current('note')).toBe(before);
    });
  });
});
