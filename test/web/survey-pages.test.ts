import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { UsersService } from '../../src/auth/users.service.js';
import { projectRoot } from '../../src/common/project-root.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { serveToChromium } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN, signIn as signInOverHttp } from '../support/web.js';

const CONFLICT_JA = '他の更新がありました。再読み込みしてください。';
const LATE_TITLE = { ja: '前年度の追加調査', en: 'Last year follow-up' };

interface Truth {
  schools: { code: string; name: string }[];
}
interface ApiResponseView {
  id: string;
  answers: { code: string; questionId: string; value: unknown; version: number }[];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The survey pages end to end: a school answers in a real Chromium, the board follows the returns; plus the refusals over plain HTTP. */
describe('survey pages', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let surveyId: string;
  let lateSurveyId: string;
  let schoolA: string;
  let schoolB: string;
  let tokenA: string;
  let tokenB: string;
  let userA: string;
  const survey = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'survey-mext.json'), 'utf8'));

  beforeAll(async () => {
    t = await startTestApp();
    const dir = join(t.stores.dir, 'municipality');
    await generateMunicipality({ schools: 3, students: 600, years: 1, seed: 5, outDir: dir });
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
    const report = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
    expect(report.status).toBe('loaded');
    [schoolA, schoolB] = truth.schools.map((s) => s.code);
    const users = t.app.get(UsersService);
    const a = await requestContext.run(CLI_ACTOR, () =>
      users.createUser({ name: 'web-school-a', role: 'school', schoolCode: schoolA }),
    );
    const b = await requestContext.run(CLI_ACTOR, () =>
      users.createUser({ name: 'web-school-b', role: 'school', schoolCode: schoolB }),
    );
    [tokenA, tokenB, userA] = [a.token.secret, b.token.secret, a.user.id];
    const issue = async (definition: object) => {
      const created = await t.http().post('/api/surveys').set(bearer(t.tokens.board)).send(definition).expect(201);
      await t.http().post(`/api/surveys/${created.body.survey.id}/issue`).set(bearer(t.tokens.board)).expect(200);
      return created.body.survey.id as string;
    };
    // One survey long past its deadline (every school overdue), and the one answered here, due far ahead so its statuses do not depend on today.
    lateSurveyId = await issue({ ...survey, title: LATE_TITLE, asOfDate: '2025-05-01', deadline: '2025-05-31' });
    surveyId = await issue({ ...survey, deadline: '2099-03-31' });

    ({ base, browser } = await serveToChromium(t));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const text = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent);
  const valueOf = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { value: string }).value);
  const setValue = async (page: Page, selector: string, value: string) => {
    await page.$eval(selector, (el) => ((el as unknown as { value: string }).value = ''));
    await page.type(selector, value);
  };
  /** Clicks and waits for the page the click leads to. */
  const follow = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  const signIn = async (page: Page, token: string) => {
    await page.goto(`${base}/login`);
    await page.type('#token', token);
    await follow(page, 'main form button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/home');
  };

  describe('in Chromium', () => {
    let page: Page;
    let responseUrl: string;

    it('lets the school sign in with its token and find its response from the home page', async () => {
      page = await browser.newPage();
      await signIn(page, tokenA);
      expect(await page.$eval('html', (el) => el.getAttribute('lang'))).toBe('ja');
      await follow(page, 'main a[href^="/responses"]');
      expect(await text(page, 'main')).toContain(survey.title.ja);
      await follow(page, `main table a::-p-text(${survey.title.ja})`);
      responseUrl = page.url().split('?')[0];
      expect(await text(page, 'h1')).toBe(survey.title.ja);
      expect(await text(page, 'main dl')).toContain('回答中');
      const students = await text(page, '#q-students');
      expect(students).toContain('データから');
      // The metric id and the batches only under 詳細; the line above it says it in words.
      expect(await text(page, '#q-students .provenance > p')).not.toContain('enrolment.students');
      expect(await text(page, '#q-students .provenance details')).toContain('enrolment.students');
      expect(await text(page, '#q-students .provenance details')).toContain('取込バッチ数');
      expect(await page.$('#q-students table tbody tr')).not.toBeNull();
    });

    it('changes a grid cell with a reason, and shows it as changed', async () => {
      await page.click('#q-students details.change > summary');
      const before = Number(await valueOf(page, '#chg-students-cell-0'));
      await setValue(page, '#chg-students-cell-0', String(before + 1));
      await page.type('#chg-students-reason', '5月1日に転入生1名');
      const saved = await follow(page, '#q-students details.change form button[type=submit]');
      expect(saved.status()).toBe(200);
      expect(await text(page, '.alert.ok')).toContain('保存しました');
      const students = await text(page, '#q-students');
      expect(students).toContain('変更済み');
      expect(students).toContain('5月1日に転入生1名');
      expect(students).toContain(`データからの値: ${before}`);
    });

    it('raises a query on a large change to the total, answered by the reason given once', async () => {
      await page.click('#q-lta_total details.change > summary');
      const before = Number(await valueOf(page, '#chg-lta_total-value'));
      await setValue(page, '#chg-lta_total-value', String(Math.ceil(before * 1.5) + 5));
      await page.type('#chg-lta_total-reason', '他市からの転入生を含む');
      await follow(page, '#q-lta_total details.change form button[type=submit]');
      const query = await text(page, '#q-lta_total li.query');
      expect(query).toContain('要説明');
      expect(query).toContain('説明済み');
      expect(query).toContain('他市からの転入生を含む');
      expect(await page.$('#q-lta_total li.query textarea')).toBeNull();
    });

    it('takes a typed answer for the manual question', async () => {
      await setValue(page, '#ans-counsellor_days-value', '35');
      await follow(page, '#q-counsellor_days form button[type=submit]');
      const manual = await text(page, '#q-counsellor_days');
      expect(manual).toContain('手入力');
      expect(manual).toContain('35');
    });

    it('answers a stale confirmation with a 409 naming what changed', async () => {
      const other = await browser.newPage();
      await other.goto(responseUrl);
      await follow(other, '#confirm-all button');
      expect(await text(other, '#q-classes')).toContain('確認済み');
      await other.close();
      await page.bringToFront(); // a background tab's clicks wait on frames that never come
      const stale = await follow(page, '#confirm-all button');
      expect(stale.status()).toBe(409);
      const alert = await text(page, '[role=alert]');
      expect(alert).toContain('このページを開いた後に、次の設問が更新されました');
      expect(alert).toContain('学級数(通常・特別支援)');
      await page.goto(responseUrl);
    });

    it('submits', async () => {
      expect(await page.$('#confirm-all')).toBeNull();
      await follow(page, '#submit button[type=submit]');
      expect(await text(page, '.alert.ok')).toContain('提出しました');
      expect(await text(page, 'main dl')).toContain('提出済み');
      expect(await page.$('main form')).toBeNull();
    });

    it('audits the change with its reason and the school user', async () => {
      const changes = await t.dataSource
        .getRepository(AuditEvent)
        .find({ where: { action: 'answer.change', actorUserId: userA }, order: { id: 'ASC' } });
      expect(changes.map((e) => e.reason)).toEqual(['5月1日に転入生1名', '他市からの転入生を含む']);
      expect(changes[0]).toMatchObject({
        actorRole: 'school',
        actorSchoolCode: schoolA,
        before: { question: 'students', source: 'prefilled' },
        after: { question: 'students', source: 'changed' },
      });
      const submit = await t.dataSource
        .getRepository(AuditEvent)
        .findOneBy({ action: 'response.submit', actorUserId: userA });
      expect(submit).not.toBeNull();
    });

    it('renders the response page in English with ?lang=en', async () => {
      await page.goto(`${responseUrl}?lang=en`);
      expect(await page.$eval('html', (el) => el.getAttribute('lang'))).toBe('en');
      const main = await text(page, 'main');
      expect(main).toContain(survey.title.en);
      expect(main).toContain('Long-term absentees (total)');
      expect(main).toContain('Changed');
      expect(main).toContain('Submitted');
      expect(main).not.toContain('提出済み');
      await page.close();
    });

    it('shows the board the school as submitted, with the burden', async () => {
      const context = await browser.createBrowserContext();
      const board = await context.newPage();
      await signIn(board, t.tokens.board);
      await follow(board, 'main a[href^="/surveys"]');
      expect(await text(board, 'main table')).toContain(survey.title.ja);
      await follow(board, `main table a[href^="/surveys/${surveyId}"]`);
      expect(await text(board, `#school-${schoolA}`)).toContain('提出済み');
      // students and lta_total changed, counsellor_days typed, the other four accepted from data.
      expect(
        await board.$$eval(`#school-${schoolA} td.num`, (cells) =>
          cells.map((c) => (c as unknown as { textContent: string }).textContent),
        ),
      ).toEqual(['4', '2', '1']);
      expect(await text(board, 'main')).toContain('期限超過の学校はありません。');
      expect(await board.$(`#school-${schoolA} details form textarea[name=reason]`)).not.toBeNull();
      await follow(board, `header a[href^="/surveys?"]`);
      expect(
        await board.$$eval(`main tr:has(a[href^="/surveys/${lateSurveyId}"]) td.num`, (cells) =>
          cells.map((c) => (c as unknown as { textContent: string }).textContent),
        ),
      ).toEqual(['0', '0', '0', '3', '0']);
      await follow(board, `main table a[href^="/surveys/${lateSurveyId}"]`);
      expect((await board.$$('#overdue li')).length).toBe(3);
      await context.close();
    });
  });

  describe('over plain HTTP', () => {
    const signInHttp = (token: string) => signInOverHttp(t, token);
    const viewOf = async (token: string, school: string): Promise<ApiResponseView> =>
      (await t.http().get(`/api/surveys/${surveyId}/responses/${school}`).set(bearer(token)).expect(200)).body;

    it('sends a visitor without a session to sign in, and back to the page after', async () => {
      const b = await viewOf(t.tokens.board, schoolB);
      const redirect = await t.http().get(`/responses/${b.id}`).expect(303);
      const location = new URL(redirect.headers.location, base);
      expect(location.pathname).toBe('/login');
      expect(location.searchParams.get('next')).toBe(`/responses/${b.id}`);
      const login = await t
        .http()
        .post(`/login?next=${encodeURIComponent(`/responses/${b.id}`)}`)
        .set(SAME_ORIGIN)
        .type('form')
        .send({ token: tokenB })
        .expect(303);
      expect(login.headers.location).toBe(`/responses/${b.id}`);
      const offsite = await t
        .http()
        .post('/login?next=//evil.example/x')
        .set(SAME_ORIGIN)
        .type('form')
        .send({ token: tokenB })
        .expect(303);
      expect(offsite.headers.location).toMatch(/^\/home/);
    });

    it('shows a refused change next to its question and keeps what was typed', async () => {
      const cookie = await signInHttp(tokenB);
      const b = await viewOf(tokenB, schoolB);
      const total = b.answers.find((a) => a.code === 'lta_total')!;
      const url = `/responses/${b.id}/answers/${total.questionId}`;
      const refused = await t
        .http()
        .post(url)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ version: String(total.version), value: '９９', reason: '' })
        .expect(400);
      const section = refused.text.slice(refused.text.indexOf('id="q-lta_total"'));
      expect(section.slice(0, section.indexOf('</section>'))).toMatch(
        /class="field-error" role="alert"[^>]*>変更の理由を入力してください。/,
      );
      expect(section).toContain('value="９９"');
      const typo = await t
        .http()
        .post(url)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ version: String(total.version), value: '12a', reason: 'x' })
        .expect(400);
      expect(typo.text).toContain('0 以上の整数を入力してください。');
      const stale = await t
        .http()
        .post(url)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ version: '999', value: '1', reason: 'x' })
        .expect(409);
      const staleSection = stale.text.slice(stale.text.indexOf('id="q-lta_total"'));
      expect(staleSection).toContain('この設問は、このページを開いた後に更新されました');
      expect(staleSection).toMatch(/name="reason"[^>]*>\s*x<\/textarea>/);
      // Full-width digits are what many Japanese keyboards type: they are taken as the number.
      await t
        .http()
        .post(url)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ version: String(total.version), value: '１,０００', reason: '確認のため' })
        .expect(303);
      expect((await viewOf(tokenB, schoolB)).answers.find((a) => a.code === 'lta_total')!.value).toBe(1000);
    });

    it('says when the data changed after the school confirmed, and offers the new figure', async () => {
      const cookie = await signInHttp(tokenB);
      const b = await viewOf(tokenB, schoolB);
      const futoko = b.answers.find((a) => a.code === 'futoko')!;
      await t
        .http()
        .post(`/responses/${b.id}/answers/${futoko.questionId}/confirm`)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ version: String(futoko.version) })
        .expect(303);
      // What a refresh from new data does to a confirmed answer: the figure from data moves, the school's stays.
      await t.dataSource.query(
        `UPDATE survey_answers SET prefilled_value = $1, version = version + 1 WHERE response_id = $2 AND question_id = $3`,
        [JSON.stringify((futoko.value as number) + 2), b.id, futoko.questionId],
      );
      const page = await t.http().get(`/responses/${b.id}`).set('Cookie', cookie).expect(200);
      const section = page.text.slice(page.text.indexOf('id="q-futoko"'));
      const futokoSection = section.slice(0, section.indexOf('</section>'));
      expect(futokoSection).toContain('確認後にデータが更新されました');
      expect(futokoSection).toContain(`最新のデータからの値: ${(futoko.value as number) + 2}`);
      expect(futokoSection).toContain('data-action="confirm-new"');
    });

    it('keeps a school to its own response and the board pages to the board', async () => {
      const cookie = await signInHttp(tokenB);
      const a = await viewOf(t.tokens.board, schoolA);
      const denied = await t.http().get(`/responses/${a.id}`).set('Cookie', cookie).expect(403);
      expect(denied.headers['content-type']).toMatch(/text\/html/);
      expect(denied.text).toContain('他の学校のデータは表示できません。');
      const students = a.answers.find((x) => x.code === 'students')!;
      await t
        .http()
        .post(`/responses/${a.id}/answers/${students.questionId}/confirm`)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ version: String(students.version) })
        .expect(403);
      await t.http().get('/surveys').set('Cookie', cookie).expect(403);
      await t.http().get(`/surveys/${surveyId}/results.csv`).set('Cookie', cookie).expect(403);
      const analyst = await signInHttp(t.tokens.analyst);
      await t.http().get(`/responses/${a.id}`).set('Cookie', analyst).expect(403);
      await t.http().get('/responses/not-a-uuid').set('Cookie', cookie).expect(404);
      const denials = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'access.denied', actorSchoolCode: schoolB });
      expect(denials.length).toBeGreaterThanOrEqual(4);
    });

    it('refuses a form posted from another site', async () => {
      const cookie = await signInHttp(tokenB);
      const b = await viewOf(tokenB, schoolB);
      await t
        .http()
        .post(`/responses/${b.id}/submit`)
        .set({ ...SAME_ORIGIN, Origin: 'http://evil.example' })
        .set('Cookie', cookie)
        .type('form')
        .send({ version: '1' })
        .expect(403);
    });

    it('gives the board the results CSV and lets it return a submitted response', async () => {
      const cookie = await signInHttp(t.tokens.board);
      const csv = await t.http().get(`/surveys/${surveyId}/results.csv`).set('Cookie', cookie).expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
      expect(csv.text.startsWith('\uFEFF学校コード,学校名,状況')).toBe(true);
      expect(csv.text).toContain(`${schoolA},`);

      const a = await viewOf(t.tokens.board, schoolA);
      // A write to the submitted response (a tab left open) says it is submitted, not that someone else changed it.
      const students = a.answers.find((x) => x.code === 'students')!;
      const late = await t
        .http()
        .post(`/responses/${a.id}/answers/${students.questionId}/confirm`)
        .set(SAME_ORIGIN)
        .set('Cookie', await signInHttp(tokenA))
        .type('form')
        .send({ version: String(students.version) })
        .expect(409);
      expect(late.text).toContain('この回答はすでに提出されています。');
      expect(late.text).not.toContain(CONFLICT_JA);
      const url = `/surveys/${surveyId}/responses/${a.id}/return`;
      const empty = await t
        .http()
        .post(url)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ reason: ' ' })
        .expect(400);
      expect(empty.text).toContain('差し戻しの理由を入力してください。');
      const returned = await t
        .http()
        .post(url)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ reason: '学年別の内訳を確認してください' })
        .expect(303);
      expect(returned.headers.location).toContain(`/surveys/${surveyId}?`);
      const status = await t.http().get(`/surveys/${surveyId}`).set('Cookie', cookie).expect(200);
      const row = status.text.slice(status.text.indexOf(`id="school-${schoolA}"`));
      expect(row.slice(0, row.indexOf('</tr>'))).toContain('差し戻し');
      const again = await t
        .http()
        .post(url)
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .type('form')
        .send({ reason: 'again' })
        .expect(409);
      expect(again.text).toContain('この回答は提出済みではないため差し戻せません');
      expect(again.text).not.toContain(CONFLICT_JA);

      const school = await t
        .http()
        .get(`/responses/${a.id}`)
        .set('Cookie', await signInHttp(tokenA))
        .expect(200);
      expect(school.text).toContain('学年別の内訳を確認してください');
      expect(school.text).toContain('教育委員会から差し戻されました');
      const event = await t.dataSource
        .getRepository(AuditEvent)
        .findOneBy({ action: 'response.return', targetId: a.id });
      expect(event).toMatchObject({ actorRole: 'board_admin', reason: '学年別の内訳を確認してください' });
    });
  });
});
