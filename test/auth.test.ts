import { createHash } from 'node:crypto';
import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { seedSchools } from './factories/warehouse.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from './support/test-app.js';
import { SAME_ORIGIN } from './support/web.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('roles, tokens, school scope and audit (real stores)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await seedSchools(t.warehouse, [
      { schoolCode: SCHOOL_A, name: '中央小学校', schoolType: 'elementary' },
      { schoolCode: SCHOOL_B, name: '中央中学校', schoolType: 'junior_high' },
    ]);
  });
  afterAll(async () => t.close());

  describe('tokens', () => {
    it('authenticates a bearer token and says who the caller is', async () => {
      const response = await t.http().get('/api/auth/me').set(bearer(t.tokens.schoolA)).expect(200);
      expect(response.body).toMatchObject({ name: 'school-a', role: 'school', schoolCode: SCHOOL_A });
    });

    it('refuses a request without a token, and an unknown token, with 401', async () => {
      await t.http().get('/api/schools').expect(401);
      const response = await t.http().get('/api/schools').set(bearer('shb_not-a-real-token')).expect(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('stores only the SHA-256 of a token, never the token', async () => {
      const rows: { token_hash: string; token_prefix: string }[] = await t.dataSource.query(
        'SELECT token_hash, token_prefix FROM api_tokens',
      );
      const digest = createHash('sha256').update(t.tokens.board).digest('hex');
      expect(rows.map((r) => r.token_hash)).toContain(digest);
      const everything =
        JSON.stringify(await t.dataSource.query('SELECT * FROM api_tokens')) +
        JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'));
      for (const token of Object.values(t.tokens)) expect(everything).not.toContain(token);
    });

    it('stops accepting a revoked token', async () => {
      const created = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .send({ name: 'temp-analyst', role: 'analyst' })
        .expect(201);
      const secret: string = created.body.token.secret;
      await t.http().get('/api/auth/me').set(bearer(secret)).expect(200);
      await t.http().post(`/api/tokens/${created.body.token.token.id}/revoke`).set(bearer(t.tokens.board)).expect(200);
      await t.http().get('/api/auth/me').set(bearer(secret)).expect(401);
    });
  });

  describe('school scope', () => {
    it("gives a school its own school and 403 on another school's", async () => {
      const own = await t.http().get(`/api/schools/${SCHOOL_A}`).set(bearer(t.tokens.schoolA)).expect(200);
      expect(own.body).toMatchObject({ schoolCode: SCHOOL_A, name: '中央小学校' });
      expect(own.body.enrolment).toEqual([{ academicYear: 2025, grade: 'P1', students: 3, specialNeedsStudents: 1 }]);
      const other = await t.http().get(`/api/schools/${SCHOOL_B}`).set(bearer(t.tokens.schoolA)).expect(403);
      expect(other.body.error.code).toBe('FORBIDDEN_SCHOOL');
      await t.http().get(`/api/schools/${SCHOOL_A}`).set(bearer(t.tokens.schoolB)).expect(403);
    });

    it('refuses a school code in the query that is not the caller’s', async () => {
      const response = await t.http().get(`/api/schools?school=${SCHOOL_B}`).set(bearer(t.tokens.schoolA)).expect(403);
      expect(response.body.error.code).toBe('FORBIDDEN_SCHOOL');
      await t.http().get(`/api/schools?school=${SCHOOL_A}`).set(bearer(t.tokens.schoolA)).expect(200);
    });

    it('lists only its own school to a school user, every school to the board', async () => {
      const codes = (page: { items: { schoolCode: string }[] }) => page.items.map((s) => s.schoolCode);
      const mine = await t.http().get('/api/schools').set(bearer(t.tokens.schoolA)).expect(200);
      expect(codes(mine.body)).toEqual([SCHOOL_A]);
      expect(mine.body.total).toBe(1);
      const all = await t.http().get('/api/schools').set(bearer(t.tokens.board)).expect(200);
      expect(codes(all.body)).toEqual([SCHOOL_A, SCHOOL_B]);
      const second = await t.http().get('/api/schools?limit=1&offset=1').set(bearer(t.tokens.board)).expect(200);
      expect(second.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
      expect(codes(second.body)).toEqual([SCHOOL_B]);
      const one = await t.http().get(`/api/schools?school=${SCHOOL_B}`).set(bearer(t.tokens.board)).expect(200);
      expect(codes(one.body)).toEqual([SCHOOL_B]);
    });

    it('keeps analysts and schools out of user administration', async () => {
      const response = await t.http().get('/api/users').set(bearer(t.tokens.analyst)).expect(403);
      expect(response.body.error.code).toBe('FORBIDDEN_ROLE');
      await t.http().get('/api/users').set(bearer(t.tokens.schoolA)).expect(403);
      await t.http().get(`/api/schools/${SCHOOL_A}`).set(bearer(t.tokens.analyst)).expect(403);
    });
  });

  describe('validation', () => {
    it('answers a malformed body with 400 naming the field', async () => {
      const response = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .send({ name: 'someone', role: 'wizard' })
        .expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.fields).toEqual([
        { field: 'role', messages: [expect.stringContaining('role must be one of')] },
      ]);
    });

    it('names an unknown field, a missing field, and a bad school code', async () => {
      const unknown = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .send({ name: 'a', role: 'analyst', colour: 'red' })
        .expect(400);
      expect(unknown.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['colour']);
      const missing = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .send({ role: 'analyst' })
        .expect(400);
      expect(missing.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
      const badCode = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .send({ name: 'b', role: 'school', schoolCode: 'B113210000010' })
        .expect(400);
      expect(badCode.body.error.fields).toEqual([
        { field: 'schoolCode', messages: [expect.stringContaining('check digit')] },
      ]);
    });

    it('answers a body that is not JSON with 400, not 500', async () => {
      const response = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .set('Content-Type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(response.body.error.fields).toEqual([{ field: 'body', messages: ['not valid JSON'] }]);
    });
  });

  describe('audit', () => {
    it('writes who, what and after for a user created over HTTP', async () => {
      const response = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .send({ name: '西小学校', role: 'school', schoolCode: SCHOOL_A })
        .expect(201);
      const rows = await t.dataSource
        .getRepository(AuditEvent)
        .find({ where: { targetType: 'user', targetId: response.body.user.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'user.create',
        actorRole: 'board_admin',
        before: null,
        after: { name: '西小学校', role: 'school', schoolCode: SCHOOL_A },
      });
      const board = await t.http().get('/api/auth/me').set(bearer(t.tokens.board));
      expect(rows[0].actorUserId).toBe(board.body.userId);
    });

    it('writes before and after for a revoked token, and records refused access', async () => {
      const created = await t
        .http()
        .post('/api/users')
        .set(bearer(t.tokens.board))
        .send({ name: 'to-revoke', role: 'analyst' })
        .expect(201);
      const tokenId: string = created.body.token.token.id;
      await t.http().post(`/api/tokens/${tokenId}/revoke`).set(bearer(t.tokens.board)).expect(200);
      const [revoke] = await t.dataSource
        .getRepository(AuditEvent)
        .find({ where: { action: 'token.revoke', targetId: tokenId } });
      expect(revoke.before).toMatchObject({ id: tokenId, revokedAt: null });
      expect(revoke.after).toMatchObject({ id: tokenId, revokedAt: expect.any(String) });

      await t.http().get(`/api/schools/${SCHOOL_B}`).set(bearer(t.tokens.schoolA)).expect(403);
      const denied = await t.dataSource
        .getRepository(AuditEvent)
        .find({ where: { action: 'access.denied', actorSchoolCode: SCHOOL_A } });
      expect(denied.map((d) => d.reason)).toContain('FORBIDDEN_SCHOOL');
    });

    it('keeps the audit log append-only', async () => {
      await expect(t.dataSource.query('UPDATE audit_events SET action = $1', ['tampered'])).rejects.toThrow(
        /append-only/,
      );
      await expect(t.dataSource.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    });
  });

  describe('web login', () => {
    it('exchanges a token for an httpOnly, SameSite session cookie that opens the home page', async () => {
      const login = await t
        .http()
        .post('/login')
        .set(SAME_ORIGIN)
        .type('form')
        .send({ token: t.tokens.schoolA })
        .expect(303);
      const cookie = String(login.headers['set-cookie']);
      expect(cookie).toMatch(/shirube_session=shs_/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      const home = await t.http().get('/home').set('Cookie', cookie.split(';')[0]).expect(200);
      expect(home.text).toContain('school-a');
      expect(home.text).toContain('ログイン中');
      const english = await t.http().get('/home?lang=en').set('Cookie', cookie.split(';')[0]).expect(200);
      expect(english.text).toContain('Signed in as');
      const api = await t.http().get('/api/auth/me').set('Cookie', cookie.split(';')[0]).expect(200);
      expect(api.body.schoolCode).toBe(SCHOOL_A);
    });

    it('shows the login page again, in Japanese, for a wrong token', async () => {
      const response = await t
        .http()
        .post('/login')
        .set(SAME_ORIGIN)
        .type('form')
        .send({ token: 'shb_wrong' })
        .expect(401);
      expect(response.text).toContain('トークンが正しくないか');
      await t
        .http()
        .get('/home')
        .expect(303)
        .expect('Location', /\/login/);
    });
  });
});
