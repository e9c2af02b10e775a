import { ApiToken } from '../../src/auth/entities/api-token.entity.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A token's last use is written at most once a minute: the calls in between only read (real stores). */
describe('a token’s last use', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const tokenOf = async (userName: string) => {
    const [row] = await t.dataSource.query<{ id: string }[]>(
      'SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.name = $1',
      [userName],
    );
    return row.id;
  };
  const lastUsedAt = async (id: string) =>
    (await t.dataSource.getRepository(ApiToken).findOneByOrFail({ id })).lastUsedAt;

  it('is written by the first call, not again by calls within the minute', async () => {
    const id = await tokenOf('analyst');
    expect(await lastUsedAt(id)).toBeNull();
    const before = Date.now();
    await t.http().get('/api/auth/me').set(bearer(t.tokens.analyst)).expect(200);
    const written = await lastUsedAt(id);
    expect(written!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    // Put the column back in time: a call within the minute of the last write leaves it there.
    const past = new Date('2025-04-01T00:00:00Z');
    await t.dataSource.getRepository(ApiToken).update({ id }, { lastUsedAt: past });
    for (let i = 0; i < 3; i++) await t.http().get('/api/auth/me').set(bearer(t.tokens.analyst)).expect(200);
    expect(await lastUsedAt(id)).toEqual(past);

    // Another token is written on its own first call.
    const schoolToken = await tokenOf('school-a');
    await t.http().get('/api/auth/me').set(bearer(t.tokens.schoolA)).expect(200);
    expect(await lastUsedAt(schoolToken)).not.toBeNull();
  });
});
