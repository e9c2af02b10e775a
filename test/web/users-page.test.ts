import { readFileSync } from 'node:fs';
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
import { SAME_ORIGIN } from '../support/web.js';

const PASSWORD = 'a-long-password-for-tanaka';

/** The board's users page in Chromium (issue 16): create, link, password, tokens, sessions, disable; no JSON, no API path. */
describe('users page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let school: { code: string; name: string };
  let initialSecret: string;
  let userPath: string;

  beforeAll(async () => {
    t = await startTestApp();
    const dir = join(t.stores.dir, 'municipality');
    await generateMunicipality({ schools: 2, students: 200, years: 1, seed: 3, outDir: dir });
    school = (
      JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { schools: { code: string; name: string }[] }
    ).schools[0];
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
    ({ base, browser } = await serveToChromium(t));
    page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.type('#token', t.tokens.board);
    await follow(page, '#token-submit');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const text = (selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent ?? '');
  async function follow(on: Page, selector: string) {
    const [response] = await Promise.all([on.waitForNavigation(), on.click(selector)]);
    return response!;
  }
  const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
  const noApiPath = async () => expect(await page.$eval('main', (el) => el.innerHTML)).not.toMatch(/\/api\/|JSON/);

  it('is reached from the board’s navigation, in Japanese, axe-clean', async () => {
    await follow(page, 'header nav a[href^="/users"]');
    expect(await text('h1')).toBe('利用者の管理');
    expect(await text('#users')).toContain('board');
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
    await noApiPath();
  });

  it('creates a school user with e-mail, display name, linked account and password; shows the token once', async () => {
    await page.type('#new-name', 'tanaka');
    await page.type('#new-display', '田中 花子');
    await page.select('#new-role', 'school');
    await page.select('#new-school', school.code);
    await page.type('#new-email', 'tanaka@school.example.jp');
    await page.type('#new-idp', 'Tanaka@School.example.jp');
    await page.type('#new-password', PASSWORD);
    const created = await follow(page, '#create-user');
    expect(created.status()).toBe(201);
    // The page with the secret is the answer to the post (no redirect: a secret never stands in a URL).
    const profileAction = await page.$eval('#save-profile', (el) => el.closest('form')!.getAttribute('action')!);
    userPath = profileAction.split('/profile')[0];
    expect(await text('#done')).toBe('利用者を追加しました。');
    expect(await text('h1')).toBe('田中 花子');
    expect(await text('main dl')).toContain(`${school.name} (${school.code})`);
    expect(await text('main dl')).toContain('パスワード設定済み');
    initialSecret = (await text('#new-secret')).trim();
    expect(initialSecret).toMatch(/^shb_/);
    expect(await page.$eval('#idpAccount', (el) => (el as unknown as { value: string }).value)).toBe(
      'tanaka@school.example.jp',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
    await noApiPath();
    const me = await t.http().get('/api/auth/me').set(bearer(initialSecret)).expect(200);
    expect(me.body).toMatchObject({ role: 'school', schoolCode: school.code });
  });

  it('refuses a taken name and a bad e-mail address beside the form, creating nothing', async () => {
    await page.goto(`${base}/users`);
    await page.type('#new-name', 'tanaka');
    await page.select('#new-role', 'analyst');
    const taken = await follow(page, '#create-user');
    expect(taken.status()).toBe(400);
    expect(await text('#form-problem')).toContain('同じ名前の利用者がすでにいます。');
    await page.$eval('#new-name', (el) => ((el as unknown as { value: string }).value = ''));
    await page.type('#new-name', 'suzuki');
    await page.type('#new-email', 'not-an-address@x');
    await page.$eval('#new-email', (el) => el.setAttribute('type', 'text'));
    const bad = await follow(page, '#create-user');
    expect(bad.status()).toBe(400);
    expect(await text('#form-problem')).toContain('メールアドレス');
    expect(await text('#users')).not.toContain('suzuki');
  });

  it('issues and revokes tokens, and the person signs in with the password until their sessions are ended', async () => {
    await page.goto(`${base}${userPath}`);
    await page.type('#label', 'csv-upload');
    expect((await follow(page, '#issue-token')).status()).toBe(201);
    const second = (await text('#new-secret')).trim();
    await t.http().get('/api/auth/me').set(bearer(second)).expect(200);
    const initialRow = await page.$$eval('#tokens tbody tr', (rows) =>
      rows.map((r) => [r.id, (r as unknown as { textContent: string }).textContent]),
    );
    const initialId = initialRow.find(([, content]) => content.includes('initial'))![0];
    await follow(page, `#${initialId} button`);
    expect(await text('#done')).toBe('トークンを失効させました。');
    await t.http().get('/api/auth/me').set(bearer(initialSecret)).expect(401);
    await t.http().get('/api/auth/me').set(bearer(second)).expect(200);

    const login = await t
      .http()
      .post('/login/password')
      .set(SAME_ORIGIN)
      .type('form')
      .send({ login: 'tanaka', password: PASSWORD })
      .expect(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    await t.http().get('/responses').set('Cookie', cookie).expect(200);
    await page.goto(`${base}${userPath}`);
    expect(await text('#sessions')).toBe('ログイン中のセッション: 1件');
    await follow(page, '#end-sessions');
    expect(await text('#done')).toBe('セッションを終了しました。');
    await t.http().get('/responses').set('Cookie', cookie).expect(303);
  });

  it('disables the user: every token stops at once', async () => {
    await page.goto(`${base}${userPath}`);
    await follow(page, '#disable-user');
    expect(await text('#user-state')).toBe('無効');
    expect(await page.$('#issue-token')).toBeNull();
    const tokens = await page.$$eval('#tokens tbody tr', (rows) => rows.length);
    expect(tokens).toBe(2);
    await t
      .http()
      .post('/login/password')
      .set(SAME_ORIGIN)
      .type('form')
      .send({ login: 'tanaka', password: PASSWORD })
      .expect(401);
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
  });

  it('is the board’s only', async () => {
    const login = await t.http().post('/login').set(SAME_ORIGIN).type('form').send({ token: t.tokens.analyst });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    await t.http().get('/users').set('Cookie', cookie).expect(403);
  });
});
