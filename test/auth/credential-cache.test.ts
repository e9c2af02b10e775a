import type { INestApplicationContext } from '@nestjs/common';
import { AuditModule } from '../../src/audit/audit.module.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { CredentialCache, CredentialMemo } from '../../src/auth/credential-cache.js';
import { UsersService } from '../../src/auth/users.service.js';
import { openCommandContext } from '../../src/cli/boot.js';
import { CLI_ACTOR, requestContext, type Actor } from '../../src/common/request-context.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { startTestApp, SCHOOL_A, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const actor: Actor = { userId: 'u1', name: 'school-a', role: 'school', schoolCode: SCHOOL_A };

describe('the memo of live bearer tokens', () => {
  it('keeps a decision for its time to live, and a copy of its actor', () => {
    const memo = new CredentialMemo(true, 1000);
    memo.put('d1', { actor, tokenId: 't1' }, memo.generation(), 0);
    const hit = memo.get('d1', 999)!;
    expect(hit).toEqual({ actor, tokenId: 't1' });
    hit.actor.role = 'board_admin';
    expect(memo.get('d1', 999)!.actor.role).toBe('school');
    expect(memo.get('d1', 1000)).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it('drops a read that started before a change, and everything on a change', () => {
    const memo = new CredentialMemo(true);
    memo.put('d1', { actor, tokenId: 't1' }, memo.generation());
    const before = memo.generation();
    memo.clear();
    expect(memo.get('d1')).toBeUndefined();
    memo.put('d2', { actor, tokenId: 't2' }, before);
    expect(memo.get('d2')).toBeUndefined();
  });

  it('keeps nothing while changes cannot reach it, and at most its limit', () => {
    const memo = new CredentialMemo(false, 1000, 2);
    memo.put('d1', { actor, tokenId: 't1' }, memo.generation());
    expect(memo.get('d1')).toBeUndefined();
    memo.setLive(true);
    for (const d of ['d1', 'd2', 'd3']) memo.put(d, { actor, tokenId: d }, memo.generation());
    expect([memo.get('d1'), memo.get('d2')?.tokenId, memo.get('d3')?.tokenId]).toEqual([undefined, 'd2', 'd3']);
  });
});

/** The server remembers a live token briefly; a change of users or tokens reaches it at once (real stores). */
describe('a remembered token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const tokenRow = async (userName: string) =>
    (
      await t.dataSource.query<{ id: string; user_id: string }[]>(
        'SELECT t.id, t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.name = $1',
        [userName],
      )
    )[0];
  const newUser = async (name: string) =>
    requestContext.run(CLI_ACTOR, () =>
      t.app.get(UsersService).createUser({ name, role: 'school', schoolCode: SCHOOL_A }),
    );
  const listening = async () => {
    const cache = t.app.get(CredentialCache);
    for (let i = 0; i < 100 && !cache.listening; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    return cache.listening;
  };

  it('is not read again: a row changed by hand in SQL (no announcement) shows within the time to live only', async () => {
    const { token } = await newUser('by-hand');
    await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);
    expect(await listening()).toBe(true);
    await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);
    const row = await tokenRow('by-hand');
    await t.dataSource.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [row.id]);
    // Remembered: the hand-made change is not seen before the decision is read again (at most 10 s later).
    await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);
  });

  it('is forgotten when the server revokes the token or disables its user', async () => {
    const revoked = await newUser('revoked-here');
    const disabled = await newUser('disabled-here');
    for (const { token } of [revoked, disabled]) {
      await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);
      await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);
    }
    await t
      .http()
      .post(`/api/tokens/${revoked.token.token.id}/revoke`)
      .set(bearer(t.tokens.board))
      .expect((res) => expect(res.status).toBeLessThan(300));
    await t.http().get('/api/auth/me').set(bearer(revoked.token.secret)).expect(401);
    await t
      .http()
      .post(`/api/users/${disabled.user.id}/disable`)
      .set(bearer(t.tokens.board))
      .expect((res) => expect(res.status).toBeLessThan(300));
    await t.http().get('/api/auth/me').set(bearer(disabled.token.secret)).expect(401);
  });

  it('is forgotten when another process revokes the token (PostgreSQL announces it)', async () => {
    if (t.stores.kind !== 'postgres') return; // PGlite: every other process goes through this server's API
    const { token } = await newUser('revoked-elsewhere');
    await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);
    expect(await listening()).toBe(true);
    await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);

    // The command line on PostgreSQL: its own process, its own connection, the same database.
    const cli: INestApplicationContext = await openCommandContext(t.stores.config, [
      DatabaseModule,
      AuditModule,
      AuthModule,
    ]);
    try {
      await requestContext.run(CLI_ACTOR, () => cli.get(UsersService).revokeToken(token.token.id));
    } finally {
      await cli.close();
    }
    // The notification arrives on the server's listening connection a moment after the commit.
    let status = 200;
    for (let i = 0; i < 100 && status !== 401; i++) {
      status = (await t.http().get('/api/auth/me').set(bearer(token.secret))).status;
      if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
  });

  it('is read every time while the listening connection is down, and listens again', async () => {
    if (t.stores.kind !== 'postgres') return;
    const { token } = await newUser('listener-lost');
    await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(200);
    expect(await listening()).toBe(true);
    await t.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`,
    );
    const cache = t.app.get(CredentialCache);
    for (let i = 0; i < 100 && cache.listening; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.listening).toBe(false);
    // Not remembered meanwhile: a hand-made revocation is seen by the next call.
    const row = await tokenRow('listener-lost');
    await t.dataSource.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [row.id]);
    await t.http().get('/api/auth/me').set(bearer(token.secret)).expect(401);
    expect(await listening()).toBe(true);
  });
});
