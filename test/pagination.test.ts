import type { AddressInfo } from 'node:net';
import { ServerClient } from '../src/cli/server-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MANY = 1003;

/**
 * Lists of unbounded size come a page at a time ({ items, total, limit, offset }), and the command
 * line going through a server follows the pages to the last item.
 */
describe('paged lists', () => {
  let t: TestApp;
  let url: string;
  const board = () => ({ Authorization: `Bearer ${t.tokens.board}` });

  beforeAll(async () => {
    t = await startTestApp();
    await t.dataSource.query(
      `INSERT INTO users (id, name, role, school_code)
       SELECT gen_random_uuid(), 'staff-' || lpad(n::text, 4, '0'), 'analyst', NULL FROM generate_series(1, $1) AS n`,
      [MANY],
    );
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => t.close());

  it('gives 100 items by default, with the total, and the rest on later pages', async () => {
    const total = MANY + 4;
    const first = await t.http().get('/api/users').set(board()).expect(200);
    expect(first.body).toMatchObject({ total, limit: 100, offset: 0 });
    expect(first.body.items).toHaveLength(100);
    const last = await t.http().get('/api/users?limit=1000&offset=1000').set(board()).expect(200);
    expect(last.body).toMatchObject({ total, limit: 1000, offset: 1000 });
    expect(last.body.items).toHaveLength(total - 1000);
    const past = await t.http().get(`/api/users?offset=${total}`).set(board()).expect(200);
    expect(past.body).toMatchObject({ items: [], total });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=1.5', 'offset'],
  ])('refuses %s with VALIDATION_FAILED naming it', async (query, field) => {
    const response = await t.http().get(`/api/users?${query}`).set(board()).expect(400);
    expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field }] });
  });

  it('lets the command line going through a server read every item, page after page', async () => {
    const all = await new ServerClient(url, t.tokens.board).all<{ name: string }>('/api/users');
    expect(all).toHaveLength(MANY + 4);
    const names = all.map((u) => u.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('staff-1003');
    const rows: { name: string }[] = await t.dataSource.query('SELECT name FROM users ORDER BY name, id');
    expect(names).toEqual(rows.map((r) => r.name));
  });
});
