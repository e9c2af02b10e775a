import type { FindOptionsWhere } from 'typeorm';
import { createHash } from 'node:crypto';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { issueTypedSurvey } from '../factories/survey.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN } from '../support/web.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Refused credentials and refused requests leave audit rows, and no secret (real stores). */
describe('auditing refusals', () => {
  let t: TestApp;
  let responseId: string;
  const wrongTokens: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    ({ responseId } = await issueTypedSurvey(t, '監査の調査', [
      { code: 'note', text: { ja: '特記事項', en: 'Notes' }, type: 'text' },
    ]));
  });
  afterAll(async () => t.close());

  const events = (where: FindOptionsWhere<AuditEvent>) =>
    t.dataSource.getRepository(AuditEvent).find({ where, order: { id: 'ASC' } });
  const wrong = () => {
    const token = `shb_wrong-${wrongTokens.length}-${Date.now()}`;
    wrongTokens.push(token);
    return token;
  };

  it('writes an auth.failed row for an unknown, a malformed and a revoked bearer token', async () => {
    await t.http().get('/api/auth/me').set(bearer(wrong())).expect(401);
    await t.http().get('/api/auth/me').set('Authorization', 'Basic Zm9vOmJhcg==').expect(401);
    const created = await t
      .http()
      .post('/api/users')
      .set(bearer(t.tokens.board))
      .send({ name: 'revoked', role: 'analyst' })
      .expect(201);
    await t.http().post(`/api/tokens/${created.body.token.token.id}/revoke`).set(bearer(t.tokens.board)).expect(200);
    wrongTokens.push(created.body.token.secret);
    await t.http().get('/api/schools').set(bearer(created.body.token.secret)).expect(401);
    const failed = await events({ action: 'auth.failed' });
    expect(failed.map((e) => [e.reason, (e.after as { via: string }).via])).toEqual([
      ['TOKEN_UNKNOWN', 'bearer'],
      ['AUTHORIZATION_MALFORMED', 'bearer'],
      ['TOKEN_REVOKED', 'bearer'],
    ]);
    expect(failed[2]).toMatchObject({
      targetType: 'api_token',
      targetId: created.body.token.token.id,
      after: { userId: created.body.user.id },
      actorUserId: null,
    });
  });

  it('writes one for a failed sign-in over the API and on the login page, instead of a generic row', async () => {
    const before = (await events({ action: 'http.post' })).length;
    await t.http().post('/api/auth/login').set(SAME_ORIGIN).send({ token: wrong() }).expect(401);
    await t.http().post('/login').set(SAME_ORIGIN).type('form').send({ token: wrong() }).expect(401);
    const failed = await events({ action: 'auth.failed' });
    expect(failed.slice(-2).map((e) => [e.reason, (e.after as { via: string }).via])).toEqual([
      ['TOKEN_UNKNOWN', 'api_login'],
      ['TOKEN_UNKNOWN', 'web_login'],
    ]);
    expect(await events({ action: 'http.post' })).toHaveLength(before);
  });

  it("writes an access.denied row for a service's refusal: another school's response by id", async () => {
    const refused = await t.http().get(`/api/responses/${responseId}`).set(bearer(t.tokens.schoolB)).expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN_SCHOOL');
    const denied = await events({ action: 'access.denied', actorSchoolCode: SCHOOL_B });
    expect(denied).toEqual([
      expect.objectContaining({
        targetId: 'GET /api/responses/:id',
        reason: 'FORBIDDEN_SCHOOL',
        after: { params: { id: responseId } },
      }),
    ]);
  });

  it("writes exactly one for the guard's refusal", async () => {
    await t.http().get(`/api/schools/${SCHOOL_B}`).set(bearer(t.tokens.schoolA)).expect(403);
    const denied = await events({ action: 'access.denied', actorSchoolCode: SCHOOL_A });
    expect(denied).toEqual([expect.objectContaining({ targetId: 'GET /api/schools/:schoolCode' })]);
  });

  it('never stores a presented token, nor its digest', async () => {
    const everything = JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'));
    expect(wrongTokens.length).toBeGreaterThanOrEqual(4);
    for (const token of [...wrongTokens, ...Object.values(t.tokens)]) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(sha256(token));
    }
    expect(everything).not.toContain('Zm9vOmJhcg==');
  });
});
