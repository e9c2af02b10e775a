import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN, signIn } from '../support/web.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Revoking a token ends the web sessions signed in with it; disabling a user ends all of theirs (real stores). */
describe('ending tokens and web sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const createAnalyst = async (name: string) =>
    (await t.http().post('/api/users').set(bearer(t.tokens.board)).send({ name, role: 'analyst' }).expect(201))
      .body as {
      user: { id: string };
      token: { token: { id: string }; secret: string };
    };
  const signedIn = async (cookie: string) => {
    const home = await t.http().get('/home').set('Cookie', cookie);
    const api = await t.http().get('/api/auth/me').set('Cookie', cookie);
    return home.status === 200 && api.status === 200;
  };

  it('ends the sessions made with a revoked token, and only those', async () => {
    const created = await createAnalyst('revoked-analyst');
    const second = await t
      .http()
      .post(`/api/users/${created.user.id}/tokens`)
      .set(bearer(t.tokens.board))
      .send({ label: 'laptop' })
      .expect(201);
    const [first, other] = [await signIn(t, created.token.secret), await signIn(t, second.body.secret)];
    expect(await signedIn(first)).toBe(true);
    await t.http().post(`/api/tokens/${created.token.token.id}/revoke`).set(bearer(t.tokens.board)).expect(200);
    expect(await signedIn(first)).toBe(false);
    await t
      .http()
      .get('/home')
      .set('Cookie', first)
      .expect(303)
      .expect('Location', /\/login/);
    expect(await signedIn(other)).toBe(true);
    const [revoke] = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'token.revoke', targetId: created.token.token.id });
    expect(revoke.after).toMatchObject({ revokedAt: expect.any(String), sessionsEnded: 1 });
    const rows: unknown[] = await t.dataSource.query('SELECT id FROM web_sessions WHERE token_id = $1', [
      created.token.token.id,
    ]);
    expect(rows).toEqual([]);
  });

  it('disables a user: its tokens and sessions stop at once, with an audit row', async () => {
    const created = await createAnalyst('disabled-analyst');
    const cookie = await signIn(t, created.token.secret);
    const disabled = await t
      .http()
      .post(`/api/users/${created.user.id}/disable`)
      .set(bearer(t.tokens.board))
      .expect(200);
    expect(disabled.body).toMatchObject({ user: { disabled: true }, tokensRevoked: 1, sessionsEnded: 1 });
    await t.http().get('/api/auth/me').set(bearer(created.token.secret)).expect(401);
    expect(await signedIn(cookie)).toBe(false);
    await t.http().post('/login').set(SAME_ORIGIN).type('form').send({ token: created.token.secret }).expect(401);
    const tokens = await t.http().get(`/api/users/${created.user.id}/tokens`).set(bearer(t.tokens.board)).expect(200);
    expect(tokens.body).toMatchObject({ total: 1, items: [{ revokedAt: expect.any(String) }] });
    const [event] = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'user.disable', targetId: created.user.id });
    expect(event).toMatchObject({
      actorRole: 'board_admin',
      before: { disabled: false },
      after: { disabled: true, tokensRevoked: 1, sessionsEnded: 1 },
    });
  });

  it('refuses to disable twice, to disable oneself, and to issue a token to a disabled user', async () => {
    const created = await createAnalyst('gone-analyst');
    await t.http().post(`/api/users/${created.user.id}/disable`).set(bearer(t.tokens.board)).expect(200);
    const again = await t.http().post(`/api/users/${created.user.id}/disable`).set(bearer(t.tokens.board)).expect(409);
    expect(again.body.error.code).toBe('USER_DISABLED');
    const token = await t
      .http()
      .post(`/api/users/${created.user.id}/tokens`)
      .set(bearer(t.tokens.board))
      .send({ label: 'again' })
      .expect(409);
    expect(token.body.error.code).toBe('USER_DISABLED');
    const me = await t.http().get('/api/auth/me').set(bearer(t.tokens.board)).expect(200);
    const self = await t.http().post(`/api/users/${me.body.userId}/disable`).set(bearer(t.tokens.board)).expect(409);
    expect(self.body.error.code).toBe('USER_DISABLE_SELF');
    await t.http().post(`/api/users/${created.user.id}/disable`).set(bearer(t.tokens.analyst)).expect(403);
  });
});
