import type { Browser, Page } from 'puppeteer-core';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { DashboardAttendance } from '../../src/dashboards/dashboard-attendance.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { serveToChromium } from '../support/chromium.js';
import { axeViolations } from '../support/axe.js';
import { codesIn } from '../support/labels.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Cells = Record<string, string>;

/** Issue 17's dashboards in real Chromium: a school's (管理職) and a teacher's classes' (担任). */
describe('dashboards in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let schools: string[];
  let tokens: Record<'own' | 'other' | 'teacher', string>;
  let teacherId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 3, students: 600, years: 2, seed: 7 });
    schools = (await t.warehouse.all<{ school_code: string }>('SELECT school_code FROM schools ORDER BY 1')).map(
      (row) => row.school_code,
    );
    const users = t.app.get(UsersService);
    const create = (name: string, role: 'school' | 'teacher', schoolCode: string) =>
      requestContext.run(CLI_ACTOR, () => users.createUser({ name, role, schoolCode }));
    const own = await create('dash-school', 'school', schools[0]);
    const other = await create('dash-other', 'school', schools[1]);
    const teacher = await create('dash-teacher', 'teacher', schools[0]);
    teacherId = teacher.user.id;
    tokens = { own: own.token.secret, other: other.token.secret, teacher: teacher.token.secret };
    ({ base, browser } = await serveToChromium(t));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const follow = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  const signedIn = async (token: string) => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.type('#token', token);
    await follow(page, 'main form button[type=submit]');
    return page;
  };
  const readable = async (page: Page) => {
    expect(await axeViolations(page)).toEqual([]);
    expect(codesIn(await page.$eval('main', (el) => (el as unknown as { innerText: string }).innerText))).toEqual([]);
  };
  /** A table's body rows as header → cell text, the row's header cell included. */
  const rows = (page: Page, table: string, section = 'tbody') =>
    page.$$eval(`#${table} thead th, #${table} ${section} tr`, (nodes) => {
      const text = (n: { textContent: string | null }) => (n.textContent ?? '').trim();
      const headers = nodes.filter((n) => n.tagName === 'TH').map(text);
      return nodes
        .filter((n) => n.tagName === 'TR')
        .map((tr) =>
          Object.fromEntries(
            Array.from((tr as unknown as { children: ArrayLike<{ textContent: string | null }> }).children).map(
              (cell, k) => [headers[k], text(cell)],
            ),
          ),
        );
    }) as Promise<Cells[]>;
  const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
  const auditCount = async (action: string) =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_events WHERE action = $1`, [action]))[0].n);

  it('shows a school its dashboard: attendance by class as the metrics give it, the chart, flags, cases', async () => {
    const before = await auditCount('dashboard.view');
    const page = await signedIn(tokens.own);
    const response = await page.goto(`${base}/dashboard?lang=ja`);
    expect(response!.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/dashboard/schools/${schools[0]}`);
    expect(await page.$eval('h1', (el) => (el as unknown as { textContent: string }).textContent)).toContain(
      '学校ダッシュボード',
    );
    const asOf = await page.$eval('#asOf', (el) => (el as unknown as { value: string }).value);
    expect(asOf).toMatch(/^2026-03-\d\d$/);

    const metrics = t.app.get(MetricsService);
    const query = { academicYear: 2025, schools: [schools[0]] };
    const [rate] = await metrics.values('attendance.rate', query);
    const longTerm = (await metrics.values('attendance.long_term_absence', query)).reduce((n, v) => n + v.value, 0);
    const enrolled = (await metrics.values('enrolment.students', query)).reduce((n, v) => n + v.value, 0);
    const [{ absent }] = await t.warehouse.all<{ absent: number }>(
      `SELECT CAST(sum(absent_days) AS INTEGER) AS absent FROM student_year_attendance
       WHERE academic_year = 2025 AND school_code = $1`,
      [schools[0]],
    );
    const [total] = await rows(page, 'attendance-by-class', 'tfoot');
    expect(total['出席率']).toBe(percent(rate.value));
    expect(total['欠席30日以上の児童生徒']).toBe(String(longTerm));
    expect(total['在籍者数']).toBe(enrolled.toLocaleString('ja-JP'));
    expect(total['欠席日数(延べ)']).toBe(absent.toLocaleString('ja-JP'));
    const classes = await rows(page, 'attendance-by-class');
    expect(classes.length).toBeGreaterThan(3);
    const sum = (name: string) => classes.reduce((n, row) => n + Number(row[name].replace(/,/g, '')), 0);
    expect(sum('在籍者数')).toBe(enrolled);
    expect(sum('欠席30日以上の児童生徒')).toBe(longTerm);
    expect(classes.every((row) => /^\d+(\.\d)?%$/.test(row['出席率']))).toBe(true);

    // This year against last: both years, and a server-drawn chart whose y axis starts at zero.
    const years = await rows(page, 'year-comparison');
    expect(Object.keys(years[0])).toEqual(['項目', '2025年度', '2024年度(前年度)']);
    expect(years.find((row) => row['項目'] === '出席率')!['2025年度']).toBe(percent(rate.value));
    expect(await page.$$eval('figure.dashboard-chart svg[role=img]', (svgs) => svgs.length)).toBe(1);
    const ticks = await page.$$eval('figure.dashboard-chart svg .role-axis-label text', (texts) =>
      texts.map((el) => (el as unknown as { textContent: string }).textContent),
    );
    expect(ticks).toContain('0');
    expect(ticks).toContain('4月');
    const chartData = await rows(page, 'year-chart-data');
    expect(chartData[0]['月']).toBe('4月');
    expect(chartData.at(-1)!['2025年度']).toBe(String(Math.round((absent / enrolled) * 100) / 100));

    // Flags and cases, linked to the watch list.
    const flagged = await t
      .http()
      .get(`/api/watch/schools/${schools[0]}`)
      .set({ Authorization: `Bearer ${tokens.own}` });
    expect(
      await page.$eval('#flagged-count', (el) => (el as unknown as { textContent: string }).textContent),
    ).toContain(`見守り対象 ${flagged.body.total}人`);
    expect(await page.$$eval('#case-status-counts tbody tr', (trs) => trs.length)).toBe(5);
    expect(
      await page.$eval(`main a[href^="/watch/schools/${schools[0]}"]`, (a) => a.getAttribute('href')),
    ).toBeTruthy();
    await readable(page);

    // A smaller line of absence days, and an earlier date: figures follow, and still pass the checks.
    await page.goto(`${base}/dashboard/schools/${schools[0]}?lang=ja&asOf=2025-10-31&minDays=10`);
    const [october] = await rows(page, 'attendance-by-class', 'tfoot');
    const [{ absentOct }] = await t.warehouse.all<{ absentOct: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS "absentOct" FROM attendance_days a
       JOIN enrolments e
         ON e.student_pid = a.student_pid AND e.school_code = a.school_code AND e.academic_year = a.academic_year
       WHERE a.school_code = $1 AND a.academic_year = 2025 AND a.day <= DATE '2025-10-31' AND a.status = 'absent'`,
      [schools[0]],
    );
    expect(october['欠席日数(延べ)']).toBe(absentOct.toLocaleString('ja-JP'));
    expect(october['欠席10日以上の児童生徒']).toMatch(/^\d+$/);
    await readable(page);
    expect(await auditCount('dashboard.view')).toBe(before + 2);
    await page.browserContext().close();
  });

  it('shows a teacher only the homerooms bound to it', async () => {
    const own = { Authorization: `Bearer ${tokens.own}` };
    const whole = (await t.http().get(`/api/watch/schools/${schools[0]}`).set(own).expect(200)).body.items as {
      homeroomId: string;
    }[];
    const homeroom = whole[0].homeroomId;
    await t
      .http()
      .put(`/api/watch/teachers/${teacherId}/homerooms`)
      .set({ Authorization: `Bearer ${t.tokens.board}` })
      .send({ academicYear: 2025, homeroomIds: [homeroom] })
      .expect(200);
    const page = await signedIn(tokens.teacher);
    await page.goto(`${base}/dashboard?lang=ja`);
    expect(new URL(page.url()).pathname).toBe(`/dashboard/schools/${schools[0]}/classes`);
    const classes = await page.$$eval('#attendance-by-class tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-homeroom')),
    );
    expect(classes).toEqual([homeroom]);
    const [{ n }] = await t.warehouse.all<{ n: number }>(
      'SELECT CAST(count(*) AS INTEGER) AS n FROM enrolments WHERE homeroom_id = $1 AND academic_year = 2025',
      [homeroom],
    );
    const [total] = await rows(page, 'attendance-by-class', 'tfoot');
    expect(total['在籍者数']).toBe(String(n));
    const flagged = whole.filter((item) => item.homeroomId === homeroom).length;
    expect(await page.$$eval('#flagged-students tbody tr', (trs) => trs.length)).toBe(flagged);
    expect(await page.$$eval('figure.dashboard-chart svg[role=img]', (svgs) => svgs.length)).toBe(1);
    await readable(page);

    const other = whole.find((item) => item.homeroomId !== homeroom)!.homeroomId;
    const refused = await page.goto(`${base}/dashboard/schools/${schools[0]}/classes?lang=ja&homeroom=${other}`);
    expect(refused!.status()).toBe(403);
    expect((await page.goto(`${base}/dashboard/schools/${schools[0]}?lang=ja`))!.status()).toBe(403);
    await page.browserContext().close();
  });

  it("refuses another school's dashboard, an analyst and the board (403)", async () => {
    const other = await signedIn(tokens.other);
    expect((await other.goto(`${base}/dashboard/schools/${schools[0]}?lang=ja`))!.status()).toBe(403);
    expect((await other.goto(`${base}/dashboard/schools/${schools[0]}/classes?lang=ja`))!.status()).toBe(403);
    await readable(other);
    await other.browserContext().close();
    for (const token of [t.tokens.analyst, t.tokens.board]) {
      const page = await signedIn(token);
      expect((await page.goto(`${base}/dashboard?lang=ja`))!.status()).toBe(403);
      expect((await page.goto(`${base}/dashboard/schools/${schools[0]}?lang=ja`))!.status()).toBe(403);
      expect((await page.goto(`${base}/dashboard/schools/${schools[0]}/classes?lang=ja`))!.status()).toBe(403);
      await page.browserContext().close();
    }
  });

  it("gives a whole year's figures of every school as the metrics do, per homeroom as the year's table", async () => {
    const attendance = t.app.get(DashboardAttendance);
    const metrics = t.app.get(MetricsService);
    for (const [year, lastDay] of [
      [2024, '2025-03-31'],
      [2025, '2026-03-31'],
    ] as const) {
      for (const school of schools) {
        const period = await attendance.period({
          schoolCode: school,
          academicYear: year,
          asOf: lastDay,
          students: null,
          minDays: 30,
        });
        const query = { academicYear: year, schools: [school] };
        const [rate] = await metrics.values('attendance.rate', query);
        const longTerm = await metrics.values('attendance.long_term_absence', query);
        const enrolled = await metrics.values('enrolment.students', query);
        expect(period.total.rate).toBe(rate.value);
        expect(period.total.studentsOver).toBe(longTerm.reduce((n, v) => n + v.value, 0));
        expect(period.total.students).toBe(enrolled.reduce((n, v) => n + v.value, 0));
        const perHomeroom = await t.warehouse.all<{ homeroom_id: string; rate: number; absent: number }>(
          `SELECT coalesce(homeroom_id, '') AS homeroom_id, sum(attended_days) / sum(required_days) AS rate,
                  CAST(sum(absent_days) AS INTEGER) AS absent
           FROM student_year_attendance WHERE academic_year = $1 AND school_code = $2 GROUP BY 1`,
          [year, school],
        );
        expect(
          period.homerooms
            .map((row) => ({ homeroom_id: row.homeroomId ?? '', rate: row.rate, absent: row.absentDays }))
            .sort((a, b) => a.homeroom_id.localeCompare(b.homeroom_id)),
        ).toEqual(perHomeroom.sort((a, b) => a.homeroom_id.localeCompare(b.homeroom_id)));
        expect(period.months.reduce((n, row) => n + row.absences, 0)).toBe(period.total.absentDays);
      }
    }
  });
});
