import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { projectRoot } from '../../src/common/project-root.js';
import { issueTypedSurvey } from '../factories/survey.factory.js';
import { serveToChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Violation {
  directive: string;
  blocked: string;
  url: string;
}

const mext = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'survey-mext.json'), 'utf8')) as {
  questions: object[];
};
/** Every kind of question, so the response page draws every kind of input. */
const QUESTIONS = [
  ...mext.questions,
  { code: 'note', text: { ja: '特記事項', en: 'Notes' }, type: 'text' },
  { code: 'ratio', text: { ja: '比率', en: 'Ratio' }, type: 'number' },
  { code: 'plan', text: { ja: '計画の有無', en: 'Plan' }, type: 'choice', choices: ['yes', 'no'] },
];
const HEADER_BLUE = 'rgb(29, 78, 137)';

/** Acceptance 7: the headers are there, and the pages satisfy the CSP in a real Chromium (no violation). */
describe('security headers and the Content-Security-Policy', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let surveyId: string;
  let responseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ surveyId, responseId } = await issueTypedSurvey(t, 'CSP確認の調査', QUESTIONS));
    ({ base, browser } = await serveToChromium(t));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends the headers on pages, on the API and on the stylesheet', async () => {
    const login = await t.http().get('/login').expect(200);
    const csp = String(login.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "script-src-attr 'none'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ])
      expect(csp.split(';')).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
    expect(login.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    expect(login.headers['x-powered-by']).toBeUndefined();
    expect(login.text).not.toMatch(/<style|<script|style=|\son[a-z]+=/i);

    const api = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${t.tokens.board}`).expect(200);
    expect(api.headers['content-security-policy']).toBe(login.headers['content-security-policy']);
    expect(api.headers['cache-control']).toBe('no-store');

    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(login.text)![1];
    const css = await t.http().get(href.replace(/&amp;/g, '&')).expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toMatch(/max-age=86400/);
    expect(css.text).toContain('form.logout');

    // Only Swagger UI gets inline style (it draws with it); its scripts are still Shirube's own files.
    const docs = await t.http().get('/api/docs/').expect(200);
    const docsCsp = String(docs.headers['content-security-policy']);
    expect(docsCsp).toContain("style-src 'self' 'unsafe-inline'");
    expect(docsCsp).toContain("script-src 'self'");
    expect(docsCsp).not.toMatch(/script-src[^;]*unsafe/);
  });

  /** A page that reports every CSP violation the browser sees, on every document it loads, from before any script runs. */
  async function watchedPage(): Promise<{ page: Page; violations: () => Promise<Violation[]> }> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const seen: Violation[] = [];
    await page.exposeFunction('reportCspViolation', (violation: Violation) => seen.push(violation));
    // Browser code as text: this project's TypeScript has no DOM types.
    await page.evaluateOnNewDocument(`document.addEventListener('securitypolicyviolation', (event) =>
      window.reportCspViolation({ directive: event.violatedDirective, blocked: event.blockedURI, url: event.documentURI }))`);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()))
        seen.push({ directive: 'console', blocked: message.text(), url: page.url() });
    });
    return {
      page,
      violations: async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await context.close();
        return seen;
      },
    };
  }

  const backgroundOf = (page: Page, selector: string) =>
    page.evaluate(
      `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`,
    ) as Promise<string>;
  const follow = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(`${base}/login`);
    await page.type('#token', token);
    await follow(page, 'main form button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/home');
    // The stylesheet applied: the header is drawn from /assets/shirube.css, not from inline style.
    expect(await backgroundOf(page, 'header')).toBe(HEADER_BLUE);
  }

  async function visit(page: Page, path: string, status: number): Promise<void> {
    const response = await page.goto(`${base}${path}`);
    expect({ path, status: response?.status() }).toEqual({ path, status });
    expect(await backgroundOf(page, 'header')).toBe(HEADER_BLUE);
  }

  it('holds on every page as each role, and as nobody, in Chromium', async () => {
    const anonymous = await watchedPage();
    await visit(anonymous.page, '/login', 200);
    await visit(anonymous.page, '/login?lang=en', 200);
    await anonymous.page.type('#token', 'shb_wrong');
    await follow(anonymous.page, 'main form button[type=submit]');
    expect(await anonymous.page.$eval('.error', (el) => el.textContent)).toBeTruthy();
    expect(await anonymous.violations()).toEqual([]);

    const board = await watchedPage();
    await signIn(board.page, t.tokens.board);
    for (const path of ['/home', '/surveys', `/surveys/${surveyId}`, '/reports', '/home?lang=en'])
      await visit(board.page, path, 200);
    await visit(board.page, `/responses/${responseId}`, 200);
    await visit(board.page, '/surveys/00000000-0000-4000-8000-000000000000', 404);
    expect(await board.violations()).toEqual([]);

    const analyst = await watchedPage();
    await signIn(analyst.page, t.tokens.analyst);
    await visit(analyst.page, '/reports', 200);
    await visit(analyst.page, '/surveys', 403);
    expect(await analyst.violations()).toEqual([]);

    const school = await watchedPage();
    await signIn(school.page, t.tokens.schoolA);
    await visit(school.page, '/responses', 200);
    await visit(school.page, `/responses/${responseId}`, 200);
    // A form posted and followed (form-action 'self', and the Origin the same-origin rule reads).
    await school.page.type('#ans-counsellor_days-value', '12');
    const saved = await follow(school.page, '#q-counsellor_days form button[type=submit]');
    expect(saved.status()).toBe(200);
    expect(await school.page.$eval('.alert.ok', (el) => el.textContent)).toBeTruthy();
    await follow(school.page, 'header form.logout button');
    expect(new URL(school.page.url()).pathname).toBe('/login');
    expect(await school.violations()).toEqual([]);
  });

  it('holds on Swagger UI under its own policy', async () => {
    const docs = await watchedPage();
    await docs.page.goto(`${base}/api/docs`);
    await docs.page.waitForSelector('.swagger-ui .info .title');
    expect(await docs.violations()).toEqual([]);
  });

  it('would see a violation: inline style put into a page is blocked and reported', async () => {
    const probe = await watchedPage();
    await probe.page.goto(`${base}/login`);
    await probe.page.evaluate(`{
      const style = document.createElement('style');
      style.textContent = 'body { background: red; }';
      document.head.append(style);
    }`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await backgroundOf(probe.page, 'body')).not.toBe('rgb(255, 0, 0)');
    expect((await probe.violations()).map((v) => v.directive)).toContain('style-src-elem');
  });
});
