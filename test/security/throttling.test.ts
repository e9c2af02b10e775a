import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN, signIn } from '../support/web.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** Behind one trusted proxy (SHIRUBE_TRUST_PROXY=1), X-Forwarded-For is the client's address. */
const from = (address: string) => ({ ...SAME_ORIGIN, 'X-Forwarded-For': address });

/**
 * Issue 16: failed sign-ins are throttled per account and per address, and audited; issue 13: a general
 * rate limit per token or session and per address (real stores, over HTTP).
 */
describe('throttling', () => {
  describe('failed sign-ins (5 a minute per token and per address)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp((config) => ({ ...config, trustProxyHops: 1 }));
    });
    afterAll(async () => t.close());

    const throttledRows = () =>
      t.dataSource.getRepository(AuditEvent).find({ where: { action: 'auth.throttled' }, order: { id: 'ASC' } });
    let wrongCount = 0;
    const wrong = () => `shb_wrong-${++wrongCount}`;
    const login = (address: string, token: string) =>
      t.http().post('/api/auth/login').set(from(address)).send({ token });

    it('refuses a wrong token five times from one address, then the sixth try (even the right token) with 429, audited', async () => {
      for (let i = 0; i < 5; i++) await login('203.0.113.1', wrong()).expect(401);
      const refused = await login('203.0.113.1', t.tokens.board).expect(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.headers['set-cookie']).toBeUndefined();
      const rows = await throttledRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        reason: 'TOO_MANY_FAILED_SIGN_INS',
        after: { via: 'api_login', limit: 'address', failuresPerMinute: 5 },
        actorUserId: null,
      });
      // Neither the address nor the token is in the row.
      expect(JSON.stringify(rows[0])).not.toMatch(/203\.0\.113|shb_/);
      // Another address signs in as usual.
      await login('203.0.113.2', t.tokens.board).expect(200);
    });

    it('refuses the sixth try of one token from six addresses (the account’s limit)', async () => {
      const token = wrong();
      for (let i = 10; i < 15; i++) await login(`198.51.100.${i}`, token).expect(401);
      await login('198.51.100.15', token).expect(429);
      expect((await throttledRows()).at(-1)).toMatchObject({ after: { limit: 'account' } });
    });

    it('refuses the sixth try on the login page with a 429 page in Japanese, audited', async () => {
      const page = (token: string) => t.http().post('/login').set(from('192.0.2.9')).type('form').send({ token });
      for (let i = 0; i < 5; i++) await page(wrong()).expect(401);
      const refused = await page(wrong()).expect(429);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.text).toContain('サインインの失敗が続いたため');
      expect((await throttledRows()).at(-1)).toMatchObject({ after: { via: 'web_login', limit: 'address' } });
    });

    it('does not count a successful sign-in as a failure', async () => {
      for (let i = 0; i < 8; i++) await login('192.0.2.50', t.tokens.analyst).expect(200);
    });
  });

  describe('requests (configured here to 5 a minute per credential, 8 per address)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp((config) => ({
        ...config,
        trustProxyHops: 1,
        limits: { ...config.limits, requestsPerMinute: 5, requestsPerMinutePerAddress: 8 },
      }));
    });
    afterAll(async () => t.close());

    it('refuses a token’s sixth request in a minute with 429 and Retry-After; another token still goes', async () => {
      const me = (token: string) => t.http().get('/api/auth/me').set(from('203.0.113.20')).set(bearer(token));
      for (let i = 0; i < 5; i++) await me(t.tokens.board).expect(200);
      const refused = await me(t.tokens.board).expect(429);
      expect(refused.body.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await me(t.tokens.analyst).expect(200);
    });

    it('refuses an address past its own limit, whatever tokens it sends (made-up ones included)', async () => {
      const address = '203.0.113.30';
      for (let i = 0; i < 8; i++)
        await t
          .http()
          .get('/api/auth/me')
          .set(from(address))
          .set(bearer(`shb_made-up-${i}`))
          .expect(401);
      await t.http().get('/api/auth/me').set(from(address)).set(bearer(t.tokens.schoolA)).expect(429);
      await t.http().get('/api/health').set(from('203.0.113.31')).expect(200);
    });

    it('answers a page past the limit with a 429 page', async () => {
      const cookie = await signIn(t, t.tokens.schoolB);
      const home = () => t.http().get('/home').set(from('203.0.113.40')).set('Cookie', cookie);
      for (let i = 0; i < 5; i++) await home().expect(200);
      const refused = await home().expect(429);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.text).toContain('リクエストが多すぎます');
    });
  });
});
