import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { UsersService } from '../../src/auth/users.service.js';
import { projectRoot } from '../../src/common/project-root.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.js';
import { axeViolations } from '../support/axe-check.js';
import { codesIn } from '../support/labels.js';
import { launchChromium } from '../support/chromium.js';
import { startInbox, type TestInbox } from '../support/smtp-inbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Truth {
  schools: { code: string; name: string }[];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Reminders by mail (issue 16, acceptance 2): the board's button, and the automatic ones, received by a real SMTP server. */
describe('survey reminders by mail', () => {
  let inbox: TestInbox;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let surveyId: string;
  let schools: Truth['schools'];
  let responseOf: Map<string, string>;
  const survey = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'survey-mext.json'), 'utf8'));

  beforeAll(async () => {
    inbox = await startInbox();
    t = await startTestApp((config) => ({
      ...config,
      mail: { smtpUrl: `smtp://127.0.0.1:${inbox.port}`, from: 'shirube@board.example.jp', remindDaysBefore: 3 },
    }));
    const dir = join(t.stores.dir, 'municipality');
    await generateMunicipality({ schools: 3, students: 600, years: 1, seed: 5, outDir: dir });
    schools = (JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth).schools;
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    const report = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
    expect(report.status).toBe('loaded');
    const users = t.app.get(UsersService);
    await requestContext.run(CLI_ACTOR, async () => {
      // The first school has two contacts, the second one, the third none.
      const contacts = [['head@a.example.jp', 'office@a.example.jp'], ['head@b.example.jp'], []];
      for (const [index, school] of schools.entries()) {
        for (const [n, email] of [...contacts[index], null].entries()) {
          const created = await users.createUser({
            name: `${school.code}-${n}`,
            role: 'school',
            schoolCode: school.code,
          });
          if (email) await users.updateProfile(created.user.id, { email });
        }
      }
    });
    const created = await t
      .http()
      .post('/api/surveys')
      .set(bearer(t.tokens.board))
      .send({ ...survey, deadline: '2099-03-31' })
      .expect(201);
    surveyId = created.body.survey.id;
    await t.http().post(`/api/surveys/${surveyId}/issue`).set(bearer(t.tokens.board)).expect(200);
    const status = await t.http().get(`/api/surveys/${surveyId}/status`).set(bearer(t.tokens.board)).expect(200);
    responseOf = new Map(
      (status.body.schools as { schoolCode: string; responseId: string }[]).map((s) => [s.schoolCode, s.responseId]),
    );
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await inbox?.close();
  });

  const text = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent ?? '');
  const follow = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  const mailTo = (address: string) => inbox.mails.filter((m) => m.envelopeTo.includes(address));

  it('shows every school, the progress chart, and sends one mail per unsubmitted school on "remind"', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.type('#token', t.tokens.board);
    await follow(page, '#token-submit');
    await page.goto(`${base}/surveys/${surveyId}`);
    for (const school of schools) expect(await text(page, `#school-${school.code}`)).toContain(school.name);
    expect(await text(page, '.progress-chart figcaption')).toBe('提出済みの割合: 0%');
    expect(await text(page, '#progress-words')).toContain('未開封 3');
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text(page, 'main'))).toEqual([]);

    await follow(page, '#remind');
    expect(await text(page, '#reminded')).toContain('2校に督促メールを送りました。連絡先のない学校が1校あります');
    await waitFor(() => inbox.mails.length >= 2);
    expect(inbox.mails).toHaveLength(2);
    const [a, b] = [schools[0], schools[1]];
    const toA = mailTo('head@a.example.jp');
    expect(toA).toHaveLength(1);
    expect(toA[0].envelopeTo.sort()).toEqual(['head@a.example.jp', 'office@a.example.jp']);
    expect(toA[0].subject).toBe(
      `【しるべ】調査「${survey.title.ja}」の提出のお願い(期限 令和81年3月31日 (2099年3月31日))`,
    );
    expect(toA[0].text).toContain(`${a.name} ご担当者様`);
    expect(toA[0].text).toContain(`回答ページ: ${base}/responses/${responseOf.get(a.code)}`);
    expect(toA[0].text).toContain('貴校の回答の状況: 未開封');
    expect(mailTo('head@b.example.jp')[0].text).toContain(`${base}/responses/${responseOf.get(b.code)}`);

    // Each sent reminder is recorded and shown.
    const rows = await page.$$eval('#reminders tbody tr', (trs) =>
      trs.map((tr) => (tr as unknown as { textContent: string }).textContent),
    );
    expect(rows).toHaveLength(2);
    expect(rows.join(' ')).toContain('教育委員会が送信');
    expect(await text(page, `#school-${a.code} .last-reminder`)).toMatch(/\d{1,2}:\d{2}/);
    expect((await text(page, `#school-${schools[2].code} .last-reminder`)).trim()).toBe('—');
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text(page, 'main'))).toEqual([]);
    await page.close();
    const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'survey.remind' });
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ kind: 'manual', schoolsSent: 2, schoolsWithoutAddress: 1 });
    expect(JSON.stringify(audit)).not.toContain('example.jp');
  });

  it('sends a reminder on its own some days before the deadline and once it has passed, each once', async () => {
    const scheduler = t.app.get(ReminderScheduler);
    inbox.mails.length = 0;
    // Ten days ahead: nothing is due yet.
    expect(await scheduler.tick(new Date('2099-03-21T01:00:00Z'))).toEqual([]);
    // Two days before the deadline (Tokyo time): the before-deadline reminder, once.
    const before = await scheduler.tick(new Date('2099-03-29T01:00:00Z'));
    expect(before).toEqual([
      expect.objectContaining({ kind: 'before_deadline', sent: [schools[0].code, schools[1].code] }),
    ]);
    expect(await scheduler.tick(new Date('2099-03-30T01:00:00Z'))).toEqual([]);
    // 1 April in Tokyo is 31 March 16:00 UTC: the deadline has passed.
    const overdue = await scheduler.tick(new Date('2099-03-31T16:00:00Z'));
    expect(overdue).toEqual([expect.objectContaining({ kind: 'overdue', sent: [schools[0].code, schools[1].code] })]);
    expect(await scheduler.tick(new Date('2099-04-02T01:00:00Z'))).toEqual([]);
    await waitFor(() => inbox.mails.length >= 4);
    expect(inbox.mails).toHaveLength(4);
    const late = mailTo('head@b.example.jp').find((m) => m.subject?.includes('期限を過ぎています'))!;
    expect(late.subject).toBe(`【しるべ】調査「${survey.title.ja}」の提出期限を過ぎています`);
    expect(late.text).toContain(`/responses/${responseOf.get(schools[1].code)}`);
    expect(late.text).toContain('貴校の回答の状況: 期限超過');
    const page = await t
      .http()
      .get(`/surveys/${surveyId}`)
      .set('Cookie', await boardCookie())
      .expect(200);
    expect(page.text).toContain('期限前の自動送信');
    expect(page.text).toContain('期限超過の自動送信');
  });

  it('shows the results page: a chart and a table a question with figures, and the downloads', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.type('#token', t.tokens.board);
    await follow(page, '#token-submit');
    await page.goto(`${base}/surveys/${surveyId}`);
    await follow(page, '#results-link');
    expect(await text(page, 'h1')).toBe(`集計結果: ${survey.title.ja}`);
    const charts = await page.$$('main svg.bar-chart');
    expect(charts.length).toBeGreaterThan(0);
    const students = await text(page, '#result-students');
    for (const school of schools) expect(students).toContain(school.name);
    expect(await page.$eval('main', (el) => el.innerHTML)).not.toContain('/api/');
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text(page, 'main'))).toEqual([]);
    const csv = await page.$eval('#csv-words', (el) => el.getAttribute('href')!);
    await t
      .http()
      .get(csv)
      .set('Cookie', await boardCookie())
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    await page.close();
  });

  const boardCookie = async () => {
    const login = await t
      .http()
      .post('/login')
      .set({ Host: '127.0.0.1', Origin: 'http://127.0.0.1' })
      .type('form')
      .send({ token: t.tokens.board })
      .expect(303);
    return String(login.headers['set-cookie']).split(';')[0];
  };
});

/** Waits (at most ten seconds) for what the SMTP server is still receiving. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}
