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

/** Every-school report runs start and are followed from the reports page (issue 16): no API path on the page. */
describe('every-school report runs from the reports page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp();
    const dir = join(t.stores.dir, 'municipality');
    await generateMunicipality({ schools: 2, students: 200, years: 1, seed: 4, outDir: dir });
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
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

  it('starts a run for every school, follows it to done, and offers its zip', async () => {
    await page.goto(`${base}/reports`);
    expect(await page.$eval('main', (el) => el.innerHTML)).not.toContain('/api/');
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
    await page.click('#school-profile details summary');
    const year = await page.$eval(
      '#school-profile-all-academicYear option:last-child',
      (el) => (el as unknown as { value: string }).value,
    );
    await page.select('#school-profile-all-academicYear', year);
    await Promise.all([page.waitForNavigation(), page.click('#school-profile-run')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/reports\/runs\/[0-9a-f-]{36}$/);
    for (let i = 0; i < 120 && (await text('#run-status')) === '作成中'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await page.reload();
    }
    expect(await text('#run-status')).toBe('完了');
    expect(await text('label[for=run-progress]')).toBe('2 / 2 校を作成済み');
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
    const zipPath = await page.$eval('#run-zip', (el) => el.getAttribute('href')!);
    const cookie = (await page.cookies()).find((c) => c.name === 'shirube_session')!;
    const zip = await t
      .http()
      .get(zipPath)
      .set('Cookie', `${cookie.name}=${cookie.value}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((zip.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  }, 240_000);
});
