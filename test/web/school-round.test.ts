import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { demoSurvey } from '../../src/demo/demo-survey.js';
import { SurveysService } from '../../src/surveys/surveys.service.js';
import { axeViolations, type AxeProblem } from '../support/axe.js';
import { serveToChromium } from '../support/chromium.js';
import { codesIn } from '../support/labels.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN, signIn as signInOverHttp } from '../support/web.js';

const run = promisify(execFile);
const YEAR = 2025;

interface Truth {
  schools: { code: string; name: string }[];
}
interface ApiAnswer {
  code: string;
  questionId: string;
  value: unknown;
  source: string;
  confirmed: boolean;
  prefilledValue: unknown;
  version: number;
}
interface ApiResponseView {
  id: string;
  status: string;
  answers: ApiAnswer[];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Issue 15's acceptance, in a real Chromium on the demo municipality: the school's round in one page
 * visit, a change asked for one reason once, a stale write that keeps what was typed, axe-core on every
 * page, a keyboard-only round, words instead of codes, and a school's own profile from /reports.
 */
describe('the school round in one visit', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let truth: Truth;
  /** The demo survey (answered from data, one question typed) and the same without the typed one. */
  let demoId: string;
  let prefilledOnlyId: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    truth = await loadMunicipality<Truth>(t, { schools: 5, students: 1000, years: 1, seed: 15 });
    const users = t.app.get(UsersService);
    for (const [n, school] of truth.schools.entries()) {
      const created = await requestContext.run(CLI_ACTOR, () =>
        users.createUser({ name: `round-school-${n}`, role: 'school', schoolCode: school.code }),
      );
      tokens.push(created.token.secret);
    }
    const surveys = t.app.get(SurveysService);
    const issue = (definition: ReturnType<typeof demoSurvey>) =>
      requestContext.run(CLI_ACTOR, async () => {
        const { survey } = await surveys.create(definition, CLI_ACTOR);
        await surveys.issue(survey.id);
        return survey.id;
      });
    const demo = { ...demoSurvey(YEAR, new Date()), deadline: '2099-03-31' };
    demoId = await issue(demo);
    prefilledOnlyId = await issue({
      ...demo,
      title: { ja: '学校基本調査(データから)', en: 'School Basic Survey (from data)' },
      questions: demo.questions.filter((q) => q.binding),
    });
    ({ base, browser } = await serveToChromium(t));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const responseOf = async (surveyId: string, school: number): Promise<ApiResponseView> => {
    const response = await t
      .http()
      .get(`/api/surveys/${surveyId}/responses/${truth.schools[school].code}`)
      .set(bearer(t.tokens.board))
      .expect(200);
    return response.body as ApiResponseView;
  };
  const text = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent);
  const valueOf = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { value: string }).value);
  /** Every click of the school counted, each waiting for the page it leads to. */
  let clicks = 0;
  const follow = async (page: Page, selector: string) => {
    clicks++;
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  const signIn = async (page: Page, token: string) => {
    await page.goto(`${base}/login`);
    await page.type('#token', token);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/home');
  };
  const newSchoolPage = async (school: number) => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await signIn(page, tokens[school]);
    return page;
  };
  /** The words on a page a person reads: the 詳細 disclosures (metric ids, batches) are allowed their codes. */
  const readableText = (page: Page) =>
    page.evaluate(`(() => {
      const main = document.querySelector('main').cloneNode(true);
      main.querySelectorAll('.provenance details').forEach((d) => d.remove());
      return main.textContent;
    })()`) as Promise<string>;

  it('confirms a correct pre-filled return and submits it in one visit: two clicks, nothing typed', async () => {
    const page = await newSchoolPage(0);
    const { id } = await responseOf(prefilledOnlyId, 0);
    const loads: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads.push(frame.url());
    });
    clicks = 0;
    expect((await page.goto(`${base}/responses/${id}`))!.status()).toBe(200);
    // Never an error on first view; every figure says where it came from, in words, with its evidence.
    expect(await page.$$('li.error, .field-error, .alert.danger')).toHaveLength(0);
    const questions = await page.$$eval('section.question', (sections) =>
      sections.map((s) => (s as unknown as { id: string }).id),
    );
    expect(questions.length).toBe(7);
    for (const q of questions) {
      expect(await text(page, `#${q} .provenance > p`)).toMatch(
        /出典:\s*\S.*(令和7年度 \(2025年度\)のデータから、.+ 集計)/s,
      );
      expect(await page.$(`#${q} .provenance a[href*="/evidence"]`)).not.toBeNull();
    }
    await follow(page, '#confirm-all button');
    expect(await text(page, '.alert.ok')).toContain('データのとおり確認しました。');
    await follow(page, '#submit button[type=submit]');
    expect(await text(page, '.alert.ok')).toContain('提出しました。');
    expect(await text(page, 'main dl')).toContain('提出済み');
    expect(clicks).toBeLessThanOrEqual(3);
    expect(loads).toHaveLength(3); // the visit, and the page after each of the two clicks
    const after = await responseOf(prefilledOnlyId, 0);
    expect(after.status).toBe('submitted');
    expect(after.answers.every((a) => a.confirmed && a.source === 'prefilled')).toBe(true);
    await page.browserContext().close();
  });

  it('changes one figure with one reason asked once, answers the typed question and submits', async () => {
    const page = await newSchoolPage(1);
    const { id } = await responseOf(demoId, 1);
    await page.goto(`${base}/responses/${id}`);
    // The typed question is unanswered: not an error until the school edits it or tries to submit.
    expect(await page.$$('li.error, .field-error')).toHaveLength(0);
    expect(await text(page, '#blockers')).toContain('回答が必要です');

    await page.click('#q-lta_total details.change > summary');
    const before = Number(await valueOf(page, '#chg-lta_total-value'));
    await page.$eval('#chg-lta_total-value', (el) => ((el as unknown as { value: string }).value = ''));
    await page.type('#chg-lta_total-value', String(before * 2 + 5));
    expect(await page.$$('#q-lta_total textarea')).toHaveLength(1); // the reason, once
    await page.type('#chg-lta_total-reason', '年度末の転入生を含めた');
    await follow(page, '#q-lta_total details.change form button[type=submit]');
    // The change is far from the data (a query): the reason given is its note, not asked again.
    const total = await text(page, '#q-lta_total');
    expect(total).toContain('変更済み');
    expect(total).toContain('説明済み');
    expect(await page.$$('#q-lta_total li.query textarea')).toHaveLength(0);

    // An impossible typed figure shows its error once the school has typed it, and is fixed on the page.
    await page.type('#ans-counsellor_days-value', '400');
    await follow(page, '#q-counsellor_days form button[type=submit]');
    expect(await text(page, '#q-counsellor_days li.error')).toContain('366 以下');
    await page.$eval('#ans-counsellor_days-value', (el) => ((el as unknown as { value: string }).value = ''));
    await page.type('#ans-counsellor_days-value', '40');
    await follow(page, '#q-counsellor_days form button[type=submit]');
    expect(await page.$('#q-counsellor_days li.error')).toBeNull();

    await follow(page, '#confirm-all button');
    await follow(page, '#submit button[type=submit]');
    expect(await text(page, '.alert.ok')).toContain('提出しました。');
    const after = await responseOf(demoId, 1);
    expect(after.status).toBe('submitted');
    const lta = after.answers.find((a) => a.code === 'lta_total')!;
    expect(lta).toMatchObject({ value: before * 2 + 5, source: 'changed' });
    expect(after.answers.find((a) => a.code === 'counsellor_days')).toMatchObject({ value: 40, source: 'manual' });
    await page.browserContext().close();
  });

  it('tells the school what changed on a stale write and keeps what it typed', async () => {
    const page = await newSchoolPage(2);
    const { id } = await responseOf(demoId, 2);
    await page.goto(`${base}/responses/${id}`);
    // Another tab of the same school confirms everything meanwhile.
    const other = await page.browserContext().newPage();
    await other.goto(`${base}/responses/${id}`);
    await Promise.all([other.waitForNavigation(), other.click('#confirm-all button')]);
    await other.close();
    await page.bringToFront();

    await page.click('#q-futoko details.change > summary');
    await page.$eval('#chg-futoko-value', (el) => ((el as unknown as { value: string }).value = ''));
    await page.type('#chg-futoko-value', '99');
    await page.type('#chg-futoko-reason', '適応指導教室の通級者を含む');
    const stale = await follow(page, '#q-futoko details.change form button[type=submit]');
    expect(stale.status()).toBe(409);
    const futoko = (await responseOf(demoId, 2)).answers.find((a) => a.code === 'futoko')!;
    expect(await text(page, '#q-futoko .field-error')).toContain(
      `この設問は、このページを開いた後に更新されました(別の画面・別の人、または新しいデータ)。現在の値: ${String(futoko.value)}。`,
    );
    expect(await valueOf(page, '#chg-futoko-value')).toBe('99');
    expect(await valueOf(page, '#chg-futoko-reason')).toBe('適応指導教室の通級者を含む');
    // Saving again, as typed, goes through: the form now carries the version it was shown.
    const saved = await follow(page, '#q-futoko details.change form button[type=submit]');
    expect(saved.status()).toBe(200);
    expect(await text(page, '#q-futoko')).toContain('変更済み');

    // A stale データのとおり確認 names the questions that moved.
    const old = await page.browserContext().newPage();
    await old.goto(`${base}/responses/${(await responseOf(prefilledOnlyId, 2)).id}`);
    const fresh = await page.browserContext().newPage();
    await fresh.goto(old.url());
    await Promise.all([fresh.waitForNavigation(), fresh.click('#confirm-all button')]);
    await fresh.close();
    await old.bringToFront();
    const [refused] = await Promise.all([old.waitForNavigation(), old.click('#confirm-all button')]);
    expect(refused!.status()).toBe(409);
    const alert = await text(old, '.alert.danger');
    expect(alert).toContain('このページを開いた後に、次の設問が更新されました');
    expect(alert).toContain('学年別・男女別児童生徒数');
    await page.browserContext().close();
  });

  it('passes axe-core with no serious or critical violation on every page', async () => {
    const found: Record<string, AxeProblem[]> = {};
    const check = async (page: Page, name: string, url: string) => {
      const response = await page.goto(url);
      expect(response!.status()).toBe(200);
      const problems = await axeViolations(page);
      if (problems.length > 0) found[name] = problems;
    };
    const signedOut = await browser.newPage();
    await check(signedOut, 'login', `${base}/login`);
    await signedOut.close();

    const school = await newSchoolPage(3);
    const demo = await responseOf(demoId, 3);
    await check(school, 'home (school)', `${base}/home`);
    await check(school, 'responses', `${base}/responses`);
    await check(school, 'response', `${base}/responses/${demo.id}`);
    for (const summary of await school.$$('section.question details > summary')) await summary.click();
    found['response, every disclosure open'] = await axeViolations(school);
    if (found['response, every disclosure open'].length === 0) delete found['response, every disclosure open'];
    await check(school, 'response (English)', `${base}/responses/${demo.id}?lang=en`);
    const students = demo.answers.find((a) => a.code === 'students')!;
    await check(school, 'evidence', `${base}/responses/${demo.id}/answers/${students.questionId}/evidence`);
    await check(school, 'reports (school)', `${base}/reports`);
    await school.browserContext().close();

    const context = await browser.createBrowserContext();
    const board = await context.newPage();
    await signIn(board, t.tokens.board);
    await check(board, 'home (board)', `${base}/home`);
    await check(board, 'surveys', `${base}/surveys`);
    await check(board, 'survey status', `${base}/surveys/${demoId}`);
    await check(board, 'response (board)', `${base}/responses/${(await responseOf(demoId, 1)).id}`);
    await check(board, 'submitted response (board)', `${base}/responses/${(await responseOf(prefilledOnlyId, 0)).id}`);
    await check(board, 'reports (board)', `${base}/reports`);
    await context.close();
    expect(found).toEqual({});
  });

  it('lets a school do its round with the keyboard alone', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const focused = (selector: string) =>
      page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`) as Promise<boolean>;
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 500; i++) {
        await page.keyboard.press('Tab');
        if (await focused(selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    const press = async (key: 'Enter' | ' ') => {
      const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
      return response!;
    };
    await page.goto(`${base}/login`);
    await tabTo('#token');
    await page.keyboard.type(tokens[4]);
    await press('Enter');
    await tabTo('header a[href^="/responses"]');
    await press('Enter');
    await tabTo(`main a[href^="/responses/${(await responseOf(demoId, 4)).id}"]`);
    await press('Enter');
    expect(await text(page, 'h1')).toContain('長期欠席・学校基本調査');

    // A figure changed by keyboard: open 変更 with Enter, type, save.
    await tabTo('#q-futoko details.change > summary');
    await page.keyboard.press('Enter');
    await tabTo('#chg-futoko-value');
    await page.keyboard.press('ArrowUp'); // one more than computed
    await tabTo('#chg-futoko-reason');
    await page.keyboard.type('年度末に1名追加');
    await tabTo('#q-futoko details.change form button[type=submit]');
    expect((await press('Enter')).status()).toBe(200);
    expect(await text(page, '#q-futoko')).toContain('変更済み');

    await tabTo('#ans-counsellor_days-value');
    await page.keyboard.type('12');
    await tabTo('#q-counsellor_days form button[type=submit]');
    await press('Enter');
    await tabTo('#confirm-all button');
    await press(' ');
    await tabTo('#submit button[type=submit]');
    await press('Enter');
    expect(await text(page, '.alert.ok')).toContain('提出しました。');
    expect((await responseOf(demoId, 4)).status).toBe('submitted');
    await context.close();
  });

  it('shows words, never codes: pages, the いじめ grid, the results CSV and the school profile PDF', async () => {
    const school = await newSchoolPage(3);
    const demo = await responseOf(demoId, 3);
    await school.goto(`${base}/responses/${demo.id}`);
    expect(codesIn(await readableText(school))).toEqual([]);
    // The いじめ grid is headed with words: 学年 / 態様, and the MEXT categories.
    const heads = await school.$$eval('#q-bullying table th', (ths) =>
      ths.map((th) => (th as unknown as { textContent: string }).textContent.trim()),
    );
    if (heads.length > 0) {
      expect(heads[0]).toBe('学年 / 態様');
      expect(heads.some((h) => /^(小|中)[1-6]$/.test(h))).toBe(true);
      expect(heads.filter((h) => /^[0-9]$/.test(h))).toEqual([]);
    }
    const students = demo.answers.find((a) => a.code === 'students')!;
    await school.goto(`${base}/responses/${demo.id}/answers/${students.questionId}/evidence`);
    expect(codesIn(await readableText(school))).toEqual([]);
    await school.browserContext().close();

    const context = await browser.createBrowserContext();
    const board = await context.newPage();
    await signIn(board, t.tokens.board);
    for (const path of [
      `/surveys`,
      `/surveys/${demoId}`,
      `/responses/${(await responseOf(demoId, 1)).id}`,
      '/reports',
    ]) {
      await board.goto(`${base}${path}`);
      expect({ path, codes: codesIn(await readableText(board)) }).toEqual({ path, codes: [] });
    }
    // The policy evaluation's outcomes are offered in words.
    expect(await readableText(board)).toContain('学力調査の得点');
    expect(await readableText(board)).not.toContain('assessment_score');
    await context.close();

    const cookie = await signInOverHttp(t, t.tokens.board);
    const csv = await t.http().get(`/surveys/${demoId}/results.csv`).set('Cookie', cookie).expect(200);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const [header] = csv.text.slice(1).split(/\r?\n/);
    expect(header).toContain('小1');
    expect(codesIn(header)).toEqual([]);
    expect(codesIn(csv.text)).toEqual([]);

    const mine = await signInOverHttp(t, tokens[3]);
    const pdf = await t
      .http()
      .post('/reports/school-profile')
      .set(SAME_ORIGIN)
      .set('Cookie', mine)
      .type('form')
      .send({ academicYear: String(YEAR), school: truth.schools[3].code })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const file = join(t.stores.dir, 'profile.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const { stdout } = await run('pdftotext', ['-layout', file, '-']);
    expect(stdout).toContain(truth.schools[3].name);
    expect(stdout).toMatch(/[小中][1-6]/);
    expect(codesIn(stdout)).toEqual([]);
  });

  it('lets a school render its own profile from /reports, and only its own', async () => {
    const page = await newSchoolPage(3);
    await page.goto(`${base}/reports`);
    expect(await page.$$eval('main section', (s) => s.map((x) => (x as unknown as { id: string }).id))).toEqual([
      'school-profile',
    ]);
    const options = await page.$$eval('#school-profile-school option', (o) =>
      o.map((x) => (x as unknown as { value: string }).value).filter(Boolean),
    );
    expect(options).toEqual([truth.schools[3].code]);
    await page.browserContext().close();

    const cookie = await signInOverHttp(t, tokens[3]);
    const other = await t
      .http()
      .post('/reports/school-profile')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .type('form')
      .send({ academicYear: String(YEAR), school: truth.schools[0].code })
      .expect(403);
    expect(other.text).toContain('他の学校のデータは表示できません。');
    await t.http().post('/reports/good-practice').set(SAME_ORIGIN).set('Cookie', cookie).type('form').expect(403);
  });
});
