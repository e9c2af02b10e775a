import type { Browser, Page } from 'puppeteer-core';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { CaseReminders } from '../../src/watch/case-reminders.js';
import { serveToChromium } from '../support/chromium.js';
import { loadMunicipality } from '../support/municipality.js';
import { axeViolations } from '../support/axe.js';
import { codesIn } from '../support/labels.js';
import { startInbox, type TestInbox } from '../support/smtp-inbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Acceptance 3 of issue 17: a case followed in real Chromium, its reminder mail, the board's counts. */
describe('watch pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let smtp: TestInbox;
  let school: string;
  let schoolToken: string;

  beforeAll(async () => {
    smtp = await startInbox();
    t = await startTestApp((config) => ({
      ...config,
      mail: { ...config.mail, smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'shirube@board.example.jp' },
      watchMail: { to: 'watch-{school}@schools.example.jp' },
    }));
    await loadMunicipality(t, { schools: 3, students: 600, years: 1, seed: 5 });
    [{ school_code: school }] = await t.warehouse.all<{ school_code: string }>(
      'SELECT school_code FROM watch_flags GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1',
    );
    const created = await requestContext.run(CLI_ACTOR, () =>
      t.app.get(UsersService).createUser({ name: 'watch-school', role: 'school', schoolCode: school }),
    );
    schoolToken = created.token.secret;
    ({ base, browser } = await serveToChromium(t));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  const follow = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  const signIn = async (page: Page, token: string) => {
    await page.goto(`${base}/login`);
    await page.type('#token', token);
    await follow(page, 'main form button[type=submit]');
  };
  /** Issue 15 on these pages too: no serious or critical axe-core violation, and words where codes have labels. */
  const readable = async (page: Page) => {
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await page.$eval('main', (el) => (el as unknown as { innerText: string }).innerText))).toEqual([]);
  };
  const text = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent.trim());

  it('opens a case from a flag, assigns it, refers it, sets a review date; the reminder arrives; the board sees the counts', async () => {
    const page = await browser.newPage();
    await signIn(page, schoolToken);
    await page.goto(`${base}/watch?lang=ja`);
    expect(new URL(page.url()).pathname).toBe(`/watch/schools/${school}`);
    expect(await text(page, 'h1')).toContain('見守りリスト');
    expect(await page.$$eval('#watch-list tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    expect(await page.$$eval('#watch-list svg[role=img]', (svgs) => svgs.length)).toBeGreaterThan(0);
    await readable(page);

    const opened = await follow(page, '#watch-list tbody tr:first-child form button');
    expect(opened.status()).toBe(200);
    expect(new URL(page.url()).pathname).toMatch(/^\/watch\/cases\/[0-9a-f-]{36}$/);
    expect(await text(page, '#case-status')).toBe('新規');
    await readable(page);

    await page.select('#status', 'supporting');
    await page.select('#responsible', 'school_counselor');
    await page.$eval('#nextReviewOn', (el) => ((el as unknown as { value: string }).value = '2026-03-02'));
    await follow(page, '#case-form button');
    expect(await text(page, '#case-status')).toBe('支援中');
    expect(await text(page, '#case-responsible')).toBe('スクールカウンセラー(SC)');
    expect(await text(page, '#case-review')).toBe('2026-03-02');

    await page.select('#agency', 'support_centre');
    await page.$eval('#referredOn', (el) => ((el as unknown as { value: string }).value = '2026-02-20'));
    await follow(page, '#refer-form button');
    expect(await text(page, '#case-referrals')).toContain('教育支援センター');

    await page.type('#note', '保護者と面談。来週から別室登校を試す。');
    await follow(page, '#note-form button');
    expect(await text(page, '#case-notes')).toContain('別室登校');

    // The review date has come: one reminder to the school's address, without the student or the note.
    expect(await t.app.get(CaseReminders).sweep('2026-03-02')).toBe(1);
    expect(await t.app.get(CaseReminders).sweep('2026-03-03')).toBe(0);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].envelopeTo).toEqual([`watch-${school.toLowerCase()}@schools.example.jp`]);
    const body = smtp.mails[0].text ?? '';
    expect(body).toContain('見直し日(2026-03-02)');
    expect(body).not.toContain('別室登校');

    const board = await browser.createBrowserContext();
    const boardPage = await board.newPage();
    await signIn(boardPage, t.tokens.board);
    await boardPage.goto(`${base}/watch?lang=ja`);
    const row = await boardPage.$$eval('#case-counts tbody tr', (rows) =>
      rows.map((r) => Array.from(r.children).map((c) => (c as { textContent: string }).textContent.trim())),
    );
    const headers = await boardPage.$$eval('#case-counts thead th', (cells) =>
      cells.map((c) => (c as unknown as { textContent: string }).textContent.trim()),
    );
    const mine = row.find((cells) => cells[0] === school)!;
    expect(mine[headers.indexOf('支援中')]).toBe('1');
    expect(mine[headers.indexOf('教育支援センター')]).toBe('1');
    await readable(boardPage);
    await boardPage.goto(`${base}/watch/schools/${school}?lang=ja`);
    expect(await boardPage.$$eval('#watch-list tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    await readable(boardPage);
    await board.close();
  });
});
