import { tableFromIPC } from 'apache-arrow';
import type { Browser, Page } from 'puppeteer-core';
import type { Response } from 'supertest';
import { axeViolations } from '../support/axe-check.js';
import { serveToChromium } from '../support/chromium.js';
import { codesIn } from '../support/labels.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN, signIn } from '../support/web.js';

/** The demo municipality of `npm run demo` (as test/cohorts/cohorts.test.ts loads it), with its planted effect. */
const DEMO = { schools: 12, students: 4000, years: 3, seed: 1 };
const PLANTED_EFFECT = 0.015;
/** What the form below stands for, as an analyst would send it to the API. */
const STAGGERED = {
  population: { academicYears: [2023, 2024, 2025] },
  outcomes: ['attendance_rate'],
  analysis: {
    method: 'did_staggered',
    programme: 'prog-support-room',
    outcome: 'attendance_rate',
    comparison: 'never_treated',
  },
};

type Row = Record<string, string | number | boolean | null>;

/** The analyst's cohort page in Chromium (issue 16, acceptance 4 and 5). */
describe('cohort page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, DEMO);
    ({ base, browser } = await serveToChromium(t));
    page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.type('#token', t.tokens.analyst);
    await Promise.all([page.waitForNavigation(), page.click('#token-submit')]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const text = (selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent ?? '');
  const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  };
  /** A link of the page, fetched with the browser's session as the browser would download it. */
  const download = async (selector: string): Promise<Buffer> => {
    const href = await page.$eval(selector, (el) => el.getAttribute('href')!);
    expect(href).not.toContain('/api/');
    const cookie = (await page.cookies()).find((c) => c.name === 'shirube_session')!;
    const response = await t
      .http()
      .get(href)
      .set('Cookie', `${cookie.name}=${cookie.value}`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    return response.body as Buffer;
  };
  const apiCsv = async (path: string, body?: object): Promise<Buffer> => {
    const request = body ? t.http().post(path).send(body) : t.http().post(path);
    const response = await request
      .set('Authorization', `Bearer ${t.tokens.analyst}`)
      .set('Accept', 'text/csv')
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    return response.body as Buffer;
  };
  const pageIsClean = async () => {
    const main = await page.$eval('main', (el) => el.innerHTML);
    expect(main).not.toContain('/api/');
    expect(main).not.toMatch(/JSON/);
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
  };

  it('shows the form with every method of the registry, axe-clean, without API paths or JSON', async () => {
    await page.goto(`${base}/cohorts`);
    expect(await text('h1')).toBe('コホート分析');
    const methods = await page.$$eval('input[name=method]', (inputs) =>
      inputs.map((i) => (i as unknown as { value: string }).value),
    );
    expect(methods).toEqual(['descriptive', 'did_2x2', 'did_staggered', 'funnel', 'value_added', 'case_before_after']);
    expect(await page.$$eval('input[name=years]:checked', (inputs) => inputs.length)).toBe(3);
    await pageIsClean();
  });

  it('builds a staggered DiD on the demo programme from the form: estimate, chart, the API’s CSV', async () => {
    await page.goto(`${base}/cohorts`);
    await page.click('#f-method-did_staggered');
    await page.select('#f-programme', 'prog-support-room');
    await page.select('#f-outcome', 'attendance_rate');
    await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click('#run')]);
    expect(await text('#result-method')).toContain('段階的導入');

    const api = await t
      .http()
      .post('/api/cohorts/query')
      .set('Authorization', `Bearer ${t.tokens.analyst}`)
      .send(STAGGERED)
      .expect(200);
    const overall = (api.body.tables.effects.rows as Row[]).find((r) => r.effect === 'overall')!;
    expect(overall.lower as number).toBeLessThanOrEqual(PLANTED_EFFECT);
    expect(overall.upper as number).toBeGreaterThanOrEqual(PLANTED_EFFECT);
    // The page's overall row: 導入後の平均 with the same estimate and interval, in words and figures.
    const rows = await page.$$eval('#table-effects tbody tr', (trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => (td as unknown as { textContent: string }).textContent.trim()),
      ),
    );
    const figure = (n: unknown) => (n as number).toLocaleString('ja-JP', { maximumFractionDigits: 6 });
    expect(rows[0].slice(0, 6)).toEqual([
      '導入後の平均',
      '—',
      figure(overall.estimate),
      figure(overall.se),
      figure(overall.lower),
      figure(overall.upper),
    ]);
    expect(await text('#table-effects thead')).toContain('推定値');

    // The event study, drawn on the server: an image named by its caption, with marks and Japanese axes.
    const chart = await page.$eval('#chart-event-study svg', (svg) => ({
      role: svg.getAttribute('role'),
      labelledBy: svg.getAttribute('aria-labelledby'),
      marks: svg.querySelectorAll('path, line').length,
      text: svg.textContent,
    }));
    expect(chart.role).toBe('img');
    expect(await text(`#${chart.labelledBy}`)).toBe('導入後年数別の効果(95%信頼区間)');
    expect(chart.marks).toBeGreaterThan(5);
    expect(chart.text).toContain('導入後年数');
    expect(await text('#chart-trends')).toContain('未導入');
    await pageIsClean();

    const csv = await download('#download-csv-effects');
    expect(csv.equals(await apiCsv('/api/cohorts/query', STAGGERED))).toBe(true);
    const arrow = tableFromIPC(await download('#download-arrow-effects'));
    expect(arrow.getChild('estimate')?.get(0)).toBeCloseTo(overall.estimate as number, 9);
  }, 300_000);

  it('saves the definition as a version, opens it, and its CSV is the API’s for the saved version', async () => {
    await page.type('#save-name', 'support-room-staggered');
    await page.type('#save-description', '校内教育支援センターの段階的導入');
    await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click('#save-submit')]);
    expect(new URL(page.url()).pathname).toBe('/cohorts/saved/support-room-staggered');
    expect(await text('#done')).toContain('第1版を保存しました');
    expect(await text('#result-saved')).toContain('support-room-staggered');
    expect(await page.$eval('#f-programme', (el) => (el as unknown as { value: string }).value)).toBe(
      'prog-support-room',
    );
    await pageIsClean();
    const saved = await t
      .http()
      .get('/api/cohorts/definitions/support-room-staggered/versions/1')
      .set('Authorization', `Bearer ${t.tokens.analyst}`)
      .expect(200);
    expect(saved.body.definition.analysis).toEqual(STAGGERED.analysis);
    expect(saved.body.description).toBe('校内教育支援センターの段階的導入');
    const csv = await download('#download-csv-effects');
    expect(csv.equals(await apiCsv('/api/cohorts/definitions/support-room-staggered/run?version=1'))).toBe(true);

    // Changed on the opened form, run, and saved again: version 2 (the form carries the name).
    await page.select('#f-comparison', 'not_yet_treated');
    await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click('#run')]);
    expect(await page.$eval('#save-name', (el) => (el as unknown as { value: string }).value)).toBe('');
    await page.type('#save-name', 'support-room-staggered');
    await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click('#save-submit')]);
    expect(await text('#done')).toContain('第2版を保存しました');
    expect(await text('#saved')).toContain('support-room-staggered');
  }, 300_000);

  it.each([
    ['descriptive', 'outcomes=attendance_rate&outcomes=long_term_absence&groupBy=sex&breakdown1=grade', 'descriptive'],
    ['did_2x2', 'programme=prog-support-room&outcome=attendance_rate&preYears=2023&postYears=2024', 'trends'],
    ['funnel', 'outcome=attendance_rate&academicYear=2025', 'funnel'],
    ['value_added', 'outcomes=assessment_score&academicYear=2025', 'value-added'],
  ])(
    'runs %s from the form: its tables and chart in words, axe-clean',
    async (method, options, chart) => {
      const years = method === 'value_added' ? 'years=2024&years=2025' : 'years=2023&years=2024&years=2025';
      await page.goto(`${base}/cohorts?run=1&${years}&method=${method}&${options}`);
      expect(await page.$('#problems')).toBeNull();
      expect(await page.$eval(`#chart-${chart} svg`, (svg) => svg.getAttribute('role'))).toBe('img');
      expect(await page.$$eval('#result table tbody tr', (trs) => trs.length)).toBeGreaterThan(1);
      await pageIsClean();
    },
    120_000,
  );

  it('speaks English with ?lang=en, still without codes', async () => {
    await page.goto(
      `${base}/cohorts?lang=en&run=1&years=2023&years=2024&years=2025&method=did_staggered&programme=prog-support-room&outcome=attendance_rate`,
    );
    expect(await text('h1')).toBe('Cohort analysis');
    expect(await text('#table-effects')).toContain('Average after adoption');
    expect(await text('#chart-event-study-caption')).toBe('Effect by years since adoption (95% intervals)');
    await pageIsClean();
  }, 120_000);

  it('names the field to fill in when the form does not make a definition, beside the form', async () => {
    await page.goto(`${base}/cohorts?run=1&years=2023&years=2024&method=did_staggered&outcome=attendance_rate`);
    expect(await text('#problems')).toContain('事業(差の差分析)');
    expect(await page.$eval('#f-programme', (el) => el.getAttribute('aria-invalid'))).toBe('true');
    await pageIsClean();
    const cookie = (await page.cookies()).find((c) => c.name === 'shirube_session')!;
    await t
      .http()
      .get('/cohorts?run=1&years=2023&years=2024&method=did_staggered')
      .set('Cookie', `${cookie.name}=${cookie.value}`)
      .expect(400);
  });

  it('refuses a school user (403) and a save posted from another site', async () => {
    const school = await signIn(t, t.tokens.schoolA);
    const refused = await t.http().get('/cohorts').set('Cookie', school).expect(403);
    expect(refused.text).toContain('このページを表示する権限がありません');
    await t.http().get('/cohorts/download?years=2025').set('Cookie', school).expect(403);
    await t
      .http()
      .post('/cohorts/definitions')
      .set(SAME_ORIGIN)
      .set('Cookie', school)
      .type('form')
      .send({ name: 'x', years: '2025' })
      .expect(403);
    const analyst = await signIn(t, t.tokens.analyst);
    await t
      .http()
      .post('/cohorts/definitions')
      .set({ Host: '127.0.0.1', Origin: 'http://evil.example' })
      .set('Cookie', analyst)
      .type('form')
      .send({ name: 'from-elsewhere', years: '2025', outcomes: 'attendance_rate' })
      .expect(403);
    await t
      .http()
      .get('/api/cohorts/definitions/from-elsewhere')
      .set('Authorization', `Bearer ${t.tokens.analyst}`)
      .expect(404);
  });
});
