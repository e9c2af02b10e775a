import { AuthService } from '../../src/auth/auth.service.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { seedSchools } from '../factories/warehouse.factory.js';
import { SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

const SCRAPE_TOKEN = 'scrape-0123456789abcdef0123456789abcdef';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The value of one series in a Prometheus text exposition (0 when it is not there yet). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (match && match[1] === name && wanted.every((pair) => match[2].split(',').includes(pair)))
      return Number(match[3]);
  }
  return 0;
}

/** GET /metrics: who may read it, and that requests, ingests and renders move it (real stores, real Chromium). */
describe('Prometheus metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp((config) => ({ ...config, metricsToken: SCRAPE_TOKEN }));
    await seedSchools(t.warehouse, [{ schoolCode: SCHOOL_B, name: '中央中学校', schoolType: 'junior_high' }]);
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
  });
  afterAll(async () => t.close());

  const scrape = async () => (await t.http().get('/metrics').set(bearer(SCRAPE_TOKEN)).expect(200)).text;

  it('answers the scraper’s token, the board and the server’s command line; not nobody, another role or another token', async () => {
    const scraped = await t.http().get('/metrics').set(bearer(SCRAPE_TOKEN)).expect(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scraped.text).toContain('# TYPE shirube_http_request_duration_seconds histogram');
    expect(scraped.text).toContain('process_cpu_user_seconds_total');
    await t.http().get('/metrics').set(bearer(t.tokens.board)).expect(200);
    await t
      .http()
      .get('/metrics')
      .set(bearer(t.app.get(AuthService).enableLocalCli()))
      .expect(200);
    await t.http().get('/metrics').expect(401);
    await t.http().get('/metrics').set(bearer(t.tokens.analyst)).expect(403);
    await t.http().get('/metrics').set(bearer(t.tokens.schoolA)).expect(403);
    await t
      .http()
      .get('/metrics')
      .set(bearer(`${SCRAPE_TOKEN}x`))
      .expect(401);
    // The scraper's token opens nothing else.
    await t.http().get('/api/auth/me').set(bearer(SCRAPE_TOKEN)).expect(401);
    await t.http().get('/api/health').set(bearer(SCRAPE_TOKEN)).expect(401);
  });

  it('counts a request in the latency histogram under its route pattern and status', async () => {
    const series = { method: 'GET', route: '/api/schools/:schoolCode', status: '200' };
    const before = sample(await scrape(), 'shirube_http_request_duration_seconds_count', series);
    await t.http().get(`/api/schools/${SCHOOL_B}`).set(bearer(t.tokens.board)).expect(200);
    const text = await scrape();
    expect(sample(text, 'shirube_http_request_duration_seconds_count', series)).toBe(before + 1);
    expect(sample(text, 'shirube_http_request_duration_seconds_bucket', { ...series, le: '+Inf' })).toBe(before + 1);
    expect(text).not.toContain(SCHOOL_B);
  });

  it('counts an ingest batch’s duration by status and its rows by feed', async () => {
    const calendar = Buffer.from(`school_code,date\n${SCHOOL_B},2025-05-12\n${SCHOOL_B},2025-05-13\n`);
    const before = await scrape();
    const loaded = await t
      .http()
      .post('/api/ingest')
      .set(bearer(t.tokens.board))
      .attach('files', calendar, 'calendar.csv')
      .expect(201);
    expect(loaded.body.status).toBe('loaded');
    const after = await scrape();
    const batches = { status: 'loaded' };
    expect(sample(after, 'shirube_ingest_batch_duration_seconds_count', batches)).toBe(
      sample(before, 'shirube_ingest_batch_duration_seconds_count', batches) + 1,
    );
    const rows = { feed: 'calendar', status: 'loaded' };
    expect(sample(after, 'shirube_ingest_rows_total', rows)).toBe(
      sample(before, 'shirube_ingest_rows_total', rows) + 2,
    );
  });

  it('counts a report render by template and outcome', async () => {
    const series = { template: 'school-profile', outcome: 'ok' };
    const before = sample(await scrape(), 'shirube_report_render_duration_seconds_count', series);
    await t
      .http()
      .post('/api/reports/school-profile/render')
      .set(bearer(t.tokens.board))
      .send({ params: { academicYear: 2025, school: SCHOOL_B } })
      .expect(200);
    // A refused request (a parameter that does not hold) is not a render.
    await t
      .http()
      .post('/api/reports/school-profile/render')
      .set(bearer(t.tokens.board))
      .send({ params: { academicYear: 'soon', school: SCHOOL_B } })
      .expect(400);
    const text = await scrape();
    expect(sample(text, 'shirube_report_render_duration_seconds_count', series)).toBe(before + 1);
    expect(sample(text, 'shirube_report_render_duration_seconds_count', { ...series, outcome: 'failed' })).toBe(0);
  });
});
