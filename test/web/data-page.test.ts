import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { axeViolations } from '../support/axe-check.js';
import { codesIn } from '../support/labels.js';
import { serveToChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The board's data page in Chromium (issue 16, acceptance 3): the demo's attendance file loads; a broken one shows its errors by row. */
describe('data page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let attendance: string;
  let broken: string;
  let schoolCode: string;

  beforeAll(async () => {
    t = await startTestApp();
    const dir = join(t.stores.dir, 'municipality');
    await generateMunicipality({ schools: 2, students: 200, years: 1, seed: 9, outDir: dir });
    // Everything but the attendance loads first; the attendance file is what the board sends from the page.
    attendance = join(t.stores.dir, 'attendance.csv');
    renameSync(join(dir, 'attendance.csv'), attendance);
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    const loaded = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
    expect(loaded.status).toBe('loaded');
    const firstRow = readFileSync(attendance, 'utf8').split('\n')[1].split(',');
    schoolCode = firstRow[0];
    broken = join(t.stores.dir, 'attendance-broken.csv');
    writeFileSync(
      broken,
      [
        'school_code,student_id,date,status,reason',
        firstRow.join(','),
        `${schoolCode},${firstRow[1]},2025-13-45,absent,illness`,
        `${schoolCode},${firstRow[1]},2025-06-02,asleep,`,
      ].join('\n') + '\n',
    );
    ({ base, browser } = await serveToChromium(t));
    page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.type('#token', t.tokens.board);
    await Promise.all([page.waitForNavigation(), page.click('#token-submit')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const text = (selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent ?? '');
  const upload = async (path: string) => {
    await page.goto(`${base}/data`);
    const input = await page.$('#files');
    await input!.uploadFile(path);
    await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click('#upload')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/data\/batches\/[0-9a-f-]{36}$/);
  };

  it('shows the upload form and the history, axe-clean, without API paths', async () => {
    await page.goto(`${base}/data`);
    expect(await text('h1')).toBe('データの取り込み');
    expect(await text('#batches')).toContain('取込済み');
    expect(await page.$eval('#upload-progress', (el) => el.hasAttribute('hidden'))).toBe(true);
    expect(await page.$eval('main', (el) => el.innerHTML)).not.toMatch(/\/api\/|JSON を入力/);
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
  });

  it("uploads the demo's attendance file and shows the batch report", async () => {
    await upload(attendance);
    expect(await text('#batch-status')).toContain('取込済み');
    expect(await text('#feeds')).toContain('attendance.csv');
    expect(await text('#feeds')).toContain('出欠');
    const rows = readFileSync(attendance, 'utf8').trim().split('\n').length - 1;
    expect(Number((await text('#rows-loaded')).replace(/,/g, ''))).toBe(rows);
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
  }, 180_000);

  it('shows a broken file’s errors by file, row and column, and loads nothing', async () => {
    await upload(broken);
    expect(await text('#batch-status')).toContain('取込中止(エラー)');
    const problems = await page.$$eval('#problems tbody tr.error', (trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => (td as unknown as { textContent: string }).textContent),
      ),
    );
    expect(problems.length).toBeGreaterThanOrEqual(2);
    // What is wrong, in Japanese, naming the row and the column as the file has them.
    expect(problems).toContainEqual([
      'エラー',
      'attendance-broken.csv',
      '3',
      'date',
      '2025-13-45',
      '日付（YYYY-MM-DD）ではありません',
    ]);
    expect(problems).toContainEqual([
      'エラー',
      'attendance-broken.csv',
      '4',
      'status',
      'asleep',
      expect.stringMatching(/^status は present（出席）、absent（欠席）、.*のどれかにしてください$/),
    ]);
    for (const problem of problems) expect(problem[5]).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(await text('#problems thead')).toContain('行');
    expect(await axeViolations(page)).toEqual([]);
    // The same report in English (the page's language switch): the rules' English words.
    const english = new URL(page.url());
    english.searchParams.set('lang', 'en');
    await page.goto(english.toString());
    expect(await text('#problems')).toContain(
      'status must be one of present, absent, late, early_leave, suspension, mourning, closure, counted_present',
    );
    expect(await text('#problems')).toContain('not a date (YYYY-MM-DD)');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/data`);
    expect(await page.$$eval('#batches tbody tr', (trs) => trs.length)).toBe(3);
    expect(await text('#batches')).toContain('取込中止(エラー)');
  }, 180_000);
});
