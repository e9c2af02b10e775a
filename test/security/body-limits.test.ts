import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN } from '../support/web.js';

const KB = 1024;

/** JSON and form bodies are read up to SHIRUBE_BODY_LIMIT; past it the answer is a structured 413, never a page. */
describe('request body limits', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });
  const start = async (bodyBytes?: number) => {
    const t = await startTestApp((config) =>
      bodyBytes ? { ...config, limits: { ...config.limits, bodyBytes } } : config,
    );
    apps.push(t);
    return t;
  };
  const board = (t: TestApp) => ({ Authorization: `Bearer ${t.tokens.board}` });

  it('reads a JSON body of 300 KB (over Nest’s 100 KB default) and refuses one over 1 MB with a 413 body', async () => {
    const t = await start();
    const read = await t
      .http()
      .post('/api/surveys')
      .set(board(t))
      .send({ title: 'x'.repeat(300 * KB) })
      .expect(400);
    expect(read.body.error.code).toBe('VALIDATION_FAILED');

    const refused = await t
      .http()
      .post('/api/surveys')
      .set(board(t))
      .send({ title: 'x'.repeat(KB * KB) })
      .expect(413);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.body).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `the request body is larger than the limit of ${KB * KB} bytes (SHIRUBE_BODY_LIMIT)`,
      },
    });
  });

  it('refuses a form body over the limit the same way, on a page route too', async () => {
    const t = await start();
    const refused = await t
      .http()
      .post('/login')
      .set(SAME_ORIGIN)
      .type('form')
      .send(`token=${'x'.repeat(KB * KB + 1)}`)
      .expect(413);
    expect(refused.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('takes its limit from the configuration', async () => {
    const t = await start(2 * KB);
    const refused = await t
      .http()
      .post('/api/surveys')
      .set(board(t))
      .send({ title: 'x'.repeat(3 * KB) })
      .expect(413);
    expect(refused.body.error.message).toContain(`${2 * KB} bytes`);
    await t
      .http()
      .post('/api/surveys')
      .set(board(t))
      .send({ title: 'x'.repeat(KB) })
      .expect(400);
  });
});
