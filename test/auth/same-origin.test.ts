import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { issueTypedSurvey } from '../factories/survey.factory.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN, signIn } from '../support/web.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const EVIL = 'http://evil.example';

interface View {
  id: string;
  answers: { code: string; questionId: string; value: unknown; version: number }[];
}

/** A state change through the session cookie is taken from the same origin only, pages and API alike (real stores). */
describe('cross-site request forgery', () => {
  let t: TestApp;
  let responseId: string;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ responseId } = await issueTypedSurvey(t, 'CSRF の調査', [
      { code: 'days', text: { ja: '日数', en: 'Days' }, type: 'integer' },
    ]));
    cookie = await signIn(t, t.tokens.schoolA);
  });
  afterAll(async () => t.close());

  const answer = async () =>
    ((await t.http().get(`/api/responses/${responseId}`).set(bearer(t.tokens.schoolA)).expect(200)).body as View)
      .answers[0];
  /** Posts the answer form of the response page as a browser would, with the given headers; says the status. */
  const postForm = async (headers: Record<string, string>, value: number) => {
    const { questionId, version } = await answer();
    return t
      .http()
      .post(`/responses/${responseId}/answers/${questionId}`)
      .set({ Host: '127.0.0.1', ...headers })
      .set('Cookie', cookie)
      .type('form')
      .send({ version: String(version), value: String(value) });
  };

  it.each([
    ['Sec-Fetch-Site: same-site and no Origin', { 'Sec-Fetch-Site': 'same-site' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['no fetch metadata and Origin of another site', { Origin: EVIL }],
    ['the same host on another scheme', { Origin: 'https://127.0.0.1' }],
    ['an opaque origin', { Origin: 'null' }],
    ['neither Origin nor fetch metadata', {}],
  ])('refuses a form posted with %s, and changes nothing', async (_, headers) => {
    const before = await answer();
    const refused = await postForm(headers, 999);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('他のサイトから送信されたフォームは受け付けません。');
    expect(await answer()).toEqual(before);
  });

  it('takes the form from its own origin, by Origin or by Sec-Fetch-Site when Origin is absent', async () => {
    expect((await postForm({ Origin: 'http://127.0.0.1' }, 11)).status).toBe(303);
    expect((await answer()).value).toBe(11);
    expect((await postForm({ 'Sec-Fetch-Site': 'same-origin' }, 12)).status).toBe(303);
    expect((await answer()).value).toBe(12);
  });

  it('refuses a cross-site sign-in, over the API and on the login page, and sets no cookie', async () => {
    for (const path of ['/api/auth/login', '/login']) {
      const refused = await t
        .http()
        .post(path)
        .set({ Host: '127.0.0.1', Origin: EVIL })
        .type('form')
        .send({ token: t.tokens.schoolA })
        .expect(403);
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    const ok = await t.http().post('/api/auth/login').set(SAME_ORIGIN).send({ token: t.tokens.schoolA }).expect(200);
    expect(String(ok.headers['set-cookie'])).toMatch(/shirube_session=shs_/);
  });

  it('guards the API used with the cookie the same way, and leaves bearer-token calls alone', async () => {
    const { questionId, version } = await answer();
    const url = `/api/responses/${responseId}/answers/${questionId}`;
    const refused = await t
      .http()
      .put(url)
      .set({ Host: '127.0.0.1', Origin: EVIL, Cookie: cookie })
      .send({ value: 998, version })
      .expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN_ORIGIN');
    await t.http().post('/api/auth/logout').set({ Host: '127.0.0.1', Origin: EVIL, Cookie: cookie }).expect(403);
    await t.http().get('/api/auth/me').set('Cookie', cookie).expect(200);
    await t
      .http()
      .put(url)
      .set({ ...SAME_ORIGIN, Cookie: cookie })
      .send({ value: 13, version })
      .expect(200);
    await t
      .http()
      .put(url)
      .set({ Origin: EVIL, ...bearer(t.tokens.schoolA) })
      .send({ value: 14, version: version + 1 })
      .expect(200);
  });

  it('audits each refusal', async () => {
    const denied = await t.dataSource.getRepository(AuditEvent).findBy({ reason: 'FORBIDDEN_ORIGIN' });
    expect(denied.length).toBeGreaterThanOrEqual(10);
    expect(denied.map((d) => d.targetId)).toContain('POST /login');
  });
});
