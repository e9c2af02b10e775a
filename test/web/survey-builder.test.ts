import type { Browser, Page } from 'puppeteer-core';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { SurveysService } from '../../src/surveys/surveys.service.js';
import { axeViolations } from '../support/axe-check.js';
import { serveToChromium } from '../support/chromium.js';
import { codesIn } from '../support/labels.js';
import { loadMunicipality } from '../support/municipality.js';
import { startInbox, type TestInbox } from '../support/smtp-inbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN, signIn as signInOverHttp } from '../support/web.js';

interface Truth {
  schools: { code: string; name: string }[];
}

const TEMPLATE = 'mext-gakko-kihon-elementary';

/**
 * The board's survey builder (issue 16, acceptance 2) in a real Chromium: a survey made from a template with
 * forms only, one binding changed, every school chosen, issued, reminded by mail; then copied. A school user
 * is refused the builder.
 */
describe('survey builder pages', () => {
  let inbox: TestInbox;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let schools: Truth['schools'];
  let page: Page;
  let surveyId: string;
  let questionUrl: string;

  beforeAll(async () => {
    inbox = await startInbox();
    t = await startTestApp((config) => ({
      ...config,
      mail: { smtpUrl: `smtp://127.0.0.1:${inbox.port}`, from: 'shirube@board.example.jp', remindDaysBefore: 3 },
    }));
    // Three schools: two elementary, one junior high (the template is for elementary schools).
    ({ schools } = await loadMunicipality<Truth>(t, { schools: 3, students: 600, years: 1, seed: 5 }));
    const users = t.app.get(UsersService);
    await requestContext.run(CLI_ACTOR, async () => {
      for (const [n, school] of schools.entries()) {
        const created = await users.createUser({ name: `contact-${n}`, role: 'school', schoolCode: school.code });
        await users.updateProfile(created.user.id, { email: `office-${n}@schools.example.jp` });
      }
    });
    ({ base, browser } = await serveToChromium(t));
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await inbox?.close();
  });

  const text = (selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent ?? '');
  const setValue = (selector: string, value: string) =>
    page.$eval(selector, (el, v) => ((el as unknown as { value: string }).value = v), value);
  const follow = async (selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  /** Every page of the builder: axe-core clean, no code where words belong, no API path, no JSON asked for. */
  const checkPage = async () => {
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await text('main'))).toEqual([]);
    const main = await page.$eval('main', (el) => el.innerHTML);
    expect(main).not.toContain('/api/');
    expect(main).not.toMatch(/JSON/i);
  };
  const stored = () => t.app.get(SurveysService).get(surveyId);

  it('creates a draft from a template with forms only', async () => {
    await page.goto(`${base}/login`);
    await page.type('#token', t.tokens.board);
    await follow('#token-submit');
    await page.goto(`${base}/surveys`);
    await checkPage();
    await page.select('#new-template', TEMPLATE);
    await setValue('#new-year', '2025');
    await follow('#create-from-template');
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/surveys\/[0-9a-f-]{36}\/edit$/);
    surveyId = path.split('/')[2];
    expect(await text('h1')).toContain('学校基本調査 学校調査票(小学校)');
    expect(await text('.alert.ok')).toBe('下書きを作りました。');
    expect(await text('#questions')).toContain('児童数(学年別・男女別)');
    expect(await text('#question-students')).toContain(t.app.get(MetricsService).get('enrolment.students').title.ja);
    await checkPage();
    const { survey, questions } = await stored();
    expect(survey).toMatchObject({ status: 'draft', academicYear: 2025, asOfDate: '2025-05-01' });
    expect(questions.map((q) => q.code)).toContain('students_special');
  });

  it('refuses a deadline before the reference date beside the field, in Japanese, by the API’s rule', async () => {
    await setValue('#s-deadline', '2025-04-01');
    const refused = await follow('#save-settings');
    expect(refused.status()).toBe(400);
    expect(await text('#s-deadline-error')).toBe('提出期限が基準日より前です。');
    expect(await page.$eval('#s-deadline', (el) => el.getAttribute('aria-describedby'))).toBe('s-deadline-error');
    await checkPage();
  });

  it('saves the deadline and every school as the targets (all schools are ticked, the junior high too)', async () => {
    const junior = schools.find((s) => s.name.endsWith('中学校'))!;
    expect(await page.$eval(`#s-school-${junior.code}`, (el) => (el as unknown as { checked: boolean }).checked)).toBe(
      false,
    );
    await setValue('#s-deadline', '2099-03-31');
    await page.click(`#s-school-${junior.code}`);
    await follow('#save-settings');
    expect(await text('.alert.ok')).toBe('設定を保存しました。');
    const { survey } = await stored();
    expect(survey.deadline).toBe('2099-03-31');
    expect(survey.targets).toEqual({ kind: 'all' });
  });

  it('changes one binding: a metric chosen by its Japanese title, its definition, a school’s figure', async () => {
    await follow('#question-students_special a');
    questionUrl = page.url().split('?')[0];
    expect(await text('#metric-definition')).toContain('特別支援学級');
    await checkPage();
    const metrics = t.app.get(MetricsService);
    const students = metrics.get('enrolment.students');
    const option = await page.$eval(`#q-metric option[value="${students.id}"]`, (el) => el.textContent ?? '');
    expect(option.trim()).toBe(students.title.ja);
    await page.select('#q-metric', students.id);
    await follow('#save-question');
    expect(await text('.alert.ok')).toBe('設問を保存しました。');
    expect(await text('#metric-definition')).toContain(students.description.ja);
    // The first target school's figure, as issuing would pre-fill it: enrolment by grade and sex.
    const first = [...schools].sort((a, b) => a.code.localeCompare(b.code))[0];
    const rows = await metrics.values(students.id, { academicYear: 2025, schools: [first.code] });
    expect(await text('#preview')).toContain(first.name);
    const all = rows.reduce((sum, r) => sum + r.value, 0);
    expect(all).toBeGreaterThan(0);
    expect(await text('#preview-total')).toBe(all.toLocaleString('ja-JP'));
    // Now count girls only: a tick in the filter, saved, previewed.
    await page.click('#q-f-sex-female');
    await follow('#save-question');
    const girls = rows.filter((r) => r.dims.sex === 'female').reduce((sum, r) => sum + r.value, 0);
    expect(girls).toBeLessThan(all);
    expect(await text('#preview-total')).toBe(girls.toLocaleString('ja-JP'));
    await checkPage();
    const question = (await stored()).questions.find((q) => q.code === 'students_special')!;
    expect(question.binding).toEqual({ metric: 'enrolment.students', filter: { sex: 'female' } });
  });

  it('shows a refused question code beside its field, and keeps what was typed', async () => {
    await setValue('#q-code', 'Bad Code');
    const refused = await follow('#save-question');
    expect(refused.status()).toBe(400);
    expect(await text('#q-code-error')).toContain('設問コードは英小文字で始まる');
    expect(await page.$eval('#q-code', (el) => (el as unknown as { value: string }).value)).toBe('Bad Code');
    await checkPage();
    await page.goto(questionUrl);
  });

  it('adds a rule with a form, refuses one comparing with no question, and keeps the question’s own rule', async () => {
    await page.select('#rn-check', 'not_more_than');
    const refused = await follow('#rn-save');
    expect(refused.status()).toBe(400);
    expect(await text('#rn-question-error')).toBe('比べる設問を選んでください(この調査にある設問です)。');
    await checkPage();
    await page.goto(questionUrl);
    await page.select('#rn-severity', 'query');
    await page.select('#rn-check', 'change_from_last_year');
    await page.type('#rn-threshold', '15');
    await follow('#rn-save');
    expect(await text('.alert.ok')).toBe('確認ルールを保存しました。');
    const question = (await stored()).questions.find((q) => q.code === 'students_special')!;
    expect(question.rules).toEqual([
      { severity: 'error', check: 'not_more_than', question: 'students' },
      { severity: 'query', check: 'change_from_last_year', threshold: 0.15 },
    ]);
    expect(await page.$eval('#r1-threshold', (el) => (el as unknown as { value: string }).value)).toBe('15');
    await checkPage();
  });

  it('adds a question, refuses a code used twice beside the field, and deletes a question', async () => {
    await page.goto(`${base}/surveys/${surveyId}/edit`);
    await page.type('#n-code', 'students');
    await page.type('#n-text-ja', 'スクールカウンセラーの勤務日数');
    await page.type('#n-text-en', 'School counsellor days');
    const refused = await follow('#add-question');
    expect(refused.status()).toBe(400);
    expect(await text('#n-code-error')).toBe('この設問コードはほかの設問でも使われています。');
    expect(await page.$eval('#n-text-ja', (el) => (el as unknown as { value: string }).value)).toBe(
      'スクールカウンセラーの勤務日数',
    );
    await checkPage();
    await setValue('#n-code', 'counsellor_days');
    await follow('#add-question');
    expect(await text('h1')).toBe('設問 counsellor_days の編集');
    await page.goto(`${base}/surveys/${surveyId}/edit`);
    await follow('#question-counsellor_days button');
    expect(await text('.alert.ok')).toBe('設問を削除しました。');
    expect((await stored()).questions.map((q) => q.code)).not.toContain('counsellor_days');
  });

  it('issues the draft; the status page lists every school', async () => {
    await page.goto(`${base}/surveys/${surveyId}/edit`);
    await follow('#issue');
    expect(new URL(page.url()).pathname).toBe(`/surveys/${surveyId}`);
    for (const school of schools) expect(await text(`#school-${school.code}`)).toContain(school.name);
    expect((await stored()).survey.status).toBe('issued');
    const audit = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'survey.update', targetId: surveyId });
    expect(audit.length).toBe(6);
    // An issued survey's edit page is its status page.
    await page.goto(`${base}/surveys/${surveyId}/edit`);
    expect(new URL(page.url()).pathname).toBe(`/surveys/${surveyId}`);
  });

  it('refuses a change of an issued survey (409)', async () => {
    const cookie = await signInOverHttp(t, t.tokens.board);
    await t
      .http()
      .post(`/surveys/${surveyId}/settings`)
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .type('form')
      .send({ titleJa: '変更', titleEn: 'Changed' })
      .expect(409);
    expect((await stored()).survey.title.en).not.toBe('Changed');
  });

  it('reminds: one mail to each school that has not submitted', async () => {
    await follow('#remind');
    expect(await text('#reminded')).toContain('3校に督促メールを送りました。');
    await waitFor(() => inbox.mails.length >= 3);
    expect(inbox.mails).toHaveLength(3);
    for (const n of schools.keys())
      expect(inbox.mails.filter((m) => m.envelopeTo.includes(`office-${n}@schools.example.jp`))).toHaveLength(1);
  });

  it('copies the survey into a new draft with its questions, bindings and rules', async () => {
    await page.goto(`${base}/surveys`);
    await page.select('#copy-source', surveyId);
    await follow('#copy-survey');
    const copyId = new URL(page.url()).pathname.split('/')[2];
    expect(copyId).not.toBe(surveyId);
    expect(await text('h1')).toContain('(写し)');
    await checkPage();
    await page.goto(`${page.url().split('?')[0]}?lang=en`);
    expect(await text('h1')).toContain('Edit the draft: ');
    expect(await text('h1')).toContain('(copy)');
    await checkPage();
    const surveys = t.app.get(SurveysService);
    const [original, copy] = [await surveys.get(surveyId), await surveys.get(copyId)];
    expect(copy.survey).toMatchObject({ status: 'draft', targets: { kind: 'all' }, deadline: '2099-03-31' });
    const shape = (qs: typeof original.questions) =>
      qs.map(({ code, text, type, gridDims, binding, rules, required }) => ({
        code,
        text,
        type,
        gridDims,
        binding,
        rules,
        required,
      }));
    expect(shape(copy.questions)).toEqual(shape(original.questions));
    expect(copy.questions.map((q) => q.id)).not.toContain(original.questions[0].id);
  });

  it('refuses the builder to a school user', async () => {
    const cookie = await signInOverHttp(t, t.tokens.schoolA);
    await t.http().get('/surveys').set('Cookie', cookie).expect(403);
    await t.http().get(`/surveys/${surveyId}/edit`).set('Cookie', cookie).expect(403);
    const [question] = (await t.app.get(SurveysService).get(surveyId)).questions;
    await t.http().get(`/surveys/${surveyId}/questions/${question.id}`).set('Cookie', cookie).expect(403);
    await t
      .http()
      .post('/surveys/from-template')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .type('form')
      .send({ template: TEMPLATE, academicYear: '2025' })
      .expect(403);
    await t
      .http()
      .post(`/surveys/${surveyId}/copy`)
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .type('form')
      .send({})
      .expect((res) => expect([403, 404]).toContain(res.status));
  });
});

/** Waits (at most ten seconds) for what the SMTP server is still receiving. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}
