import { listValue } from '@duckdb/node-api';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { axeViolations } from '../support/axe-check.js';
import { serveToChromium } from '../support/chromium.js';
import { codesIn } from '../support/labels.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const AS_OF = '2025-10-31';
const OPENED_ON = '2025-11-04';
const NOTE = 'ケース記録:母親と面談、夜間の外出について相談 7f3a';

interface Table {
  columns: string[];
  rows: Record<string, string | number | null>[];
}

/** Issue 17: a case opened is available to cohort queries as a per-student intervention, through disclosure control. */
describe('cohorts: support cases before/after (real stores)', () => {
  let t: TestApp;
  let opened: { id: string; student: string; schoolCode: string }[];
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const run = (analysis: Record<string, unknown>) =>
    t
      .http()
      .post('/api/cohorts/query')
      .set(bearer(t.tokens.analyst))
      .send({ population: { academicYears: [2024, 2025] }, outcomes: ['absence_days'], analysis });

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 5, students: 1500, years: 2, seed: 3 });
    const schools = (await t.warehouse.all<{ school_code: string }>('SELECT school_code FROM schools ORDER BY 1')).map(
      (row) => row.school_code,
    );
    const users = t.app.get(UsersService);
    opened = [];
    for (const school of schools) {
      const { token } = await requestContext.run(CLI_ACTOR, () =>
        users.createUser({ name: `school-${school}`, role: 'school', schoolCode: school }),
      );
      const list = await t
        .http()
        .get(`/api/watch/schools/${school}?asOf=${AS_OF}&limit=1000`)
        .set(bearer(token.secret))
        .expect(200);
      // Every flagged student of the school gets a case, opened through the cases service (HTTP), with a
      // responsible person and a note the cohort must never show.
      for (const item of list.body.items as { student: string }[]) {
        const res = await t
          .http()
          .post('/api/watch/cases')
          .set(bearer(token.secret))
          .send({ schoolCode: school, student: item.student, academicYear: 2025, responsible: 'school_nurse' })
          .expect(201);
        await t.http().post(`/api/watch/cases/${res.body.id}/notes`).set(bearer(token.secret)).send({ body: NOTE });
        opened.push({ id: res.body.id, student: item.student, schoolCode: school });
      }
      // Two cases are referred to a medical institution: a group too small to publish.
      for (const c of opened.filter((o) => o.schoolCode === school).slice(0, school === schools[0] ? 2 : 0))
        await t
          .http()
          .post(`/api/watch/cases/${c.id}/referrals`)
          .set(bearer(token.secret))
          .send({ agency: 'medical', referredOn: '2025-11-10' })
          .expect(201);
    }
    // The demo's last school year is past: the cases are dated to when the flags were raised.
    await t.dataSource.query(`UPDATE support_cases SET opened_at = $1::timestamptz`, [`${OPENED_ON}T09:00:00+09:00`]);
  }, 600_000);
  afterAll(() => t?.close());

  it('opened cases for students of several schools', () => {
    expect(opened.length).toBeGreaterThanOrEqual(15);
    expect(new Set(opened.map((o) => o.schoolCode)).size).toBeGreaterThanOrEqual(3);
  });

  it('gives the monthly absences around the opening and the mean before vs after with a 95% interval', async () => {
    const res = await run({ method: 'case_before_after', outcome: 'absence_days' }).expect(200);
    expect(res.body.method).toBe('case_before_after');
    expect(res.body.primaryTable).toBe('before_after');
    const beforeAfter = res.body.tables.before_after as Table;
    expect(beforeAfter.rows.map((r) => r.side)).toEqual(['before', 'after', 'difference']);
    for (const row of beforeAfter.rows) {
      expect(Number(row.students) % 5).toBe(0);
      expect(row.students).toBeGreaterThan(7);
      expect(row.lower).toBeLessThan(row.estimate as number);
      expect(row.upper).toBeGreaterThan(row.estimate as number);
    }
    const [before, after, difference] = beforeAfter.rows;
    // Paired: the difference is the mean of each student's after − before, here over the same students.
    expect(difference.estimate as number).toBeCloseTo((after.estimate as number) - (before.estimate as number), 5);
    const byMonth = res.body.tables.by_month as Table;
    // The month before the opening (October 2025), counted straight from the daily rows of the case students.
    const [october] = await t.warehouse.all<{ absent: number }>(
      `SELECT count(*)::INTEGER AS absent FROM attendance_days
       WHERE status = 'absent' AND day BETWEEN DATE '2025-10-01' AND DATE '2025-10-31' AND list_contains($1, student_pid)`,
      [listValue(opened.map((o) => o.student))],
    );
    const minusOne = byMonth.rows.find((r) => r.relative_month === -1)!;
    expect(minusOne.student_mean as number).toBeCloseTo(october.absent / opened.length, 5);
    const months = byMonth.rows.map((r) => r.relative_month);
    expect(months).toEqual([...months].sort((a, b) => Number(a) - Number(b)));
    expect(months[0]).toBe(-6);
    // The demo ends in March 2026: months +5 and +6 (April, May) have no enrolment and no row.
    expect(months).toContain(4);
    expect(months).not.toContain(5);
    for (const row of byMonth.rows) if (row.students !== null) expect(Number(row.students) % 5).toBe(0);
    expect(res.body.disclosure.rules.length).toBeGreaterThan(0);
  });

  it('gives the attendance rate as a share, and respects the window', async () => {
    const res = await run({ method: 'case_before_after', outcome: 'attendance_rate', window: 3 }).expect(200);
    const months = (res.body.tables.by_month as Table).rows.map((r) => r.relative_month);
    expect(months).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const row of (res.body.tables.before_after as Table).rows.slice(0, 2)) {
      expect(row.estimate).toBeGreaterThan(0);
      expect(row.estimate).toBeLessThanOrEqual(1);
    }
  });

  it('redacts a group of too few students (the cases referred to a medical institution)', async () => {
    const res = await run({ method: 'case_before_after', outcome: 'absence_days', agencies: ['medical'] }).expect(200);
    const rows = (res.body.tables.before_after as Table).rows;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.students).toBeNull();
      expect(row.estimate).toBeNull();
      expect(row.lower).toBeNull();
    }
    expect(res.body.disclosure.cellsRedacted).toBeGreaterThan(0);
    // No case is in status "closed": nothing to count at all, and no error.
    const none = await run({ method: 'case_before_after', outcome: 'absence_days', statuses: ['closed'] }).expect(200);
    expect((none.body.tables.before_after as Table).rows.every((r) => r.estimate === null)).toBe(true);
  });

  it('never shows a note, the responsible person, a case id or a pseudonym, and leaves nothing in the warehouse', async () => {
    const res = await run({ method: 'case_before_after', outcome: 'absence_days' }).expect(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(NOTE.slice(0, 8));
    expect(text).not.toContain('7f3a');
    expect(text).not.toContain('school_nurse');
    for (const c of opened) {
      expect(text).not.toContain(c.id);
      expect(text).not.toContain(c.student);
    }
    const [audit] = await t.dataSource.query(
      `SELECT after::text AS after FROM audit_events WHERE action = 'cohort.run' ORDER BY id DESC LIMIT 1`,
    );
    for (const c of opened) expect(audit.after).not.toContain(c.student);
    expect(audit.after).not.toContain('7f3a');
    const tables = await t.warehouse.all<{ name: string }>(
      `SELECT table_name AS name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal`,
    );
    expect(tables.map((r) => r.name).filter((n) => /case|cohort/i.test(n))).toEqual([]);
  });

  it('keeps the cases themselves closed to an analyst (403): only the aggregate reaches one', async () => {
    await t.http().get(`/api/watch/cases/${opened[0].id}`).set(bearer(t.tokens.analyst)).expect(403);
    await t.http().get(`/api/watch/cases/schools/${opened[0].schoolCode}`).set(bearer(t.tokens.analyst)).expect(403);
  });

  it('runs from the cohort page in Chromium: the method and its settings in words, a chart, axe-clean', async () => {
    const { base, browser } = await serveToChromium(t);
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/login`);
      await page.type('#token', t.tokens.analyst);
      await Promise.all([page.waitForNavigation(), page.click('#token-submit')]);
      await page.goto(`${base}/cohorts`);
      await page.click('#f-method-case_before_after');
      await page.select('#f-outcome', 'absence_days');
      await page.select('#f-caseWindow', '4');
      await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click('#run')]);
      const text = (selector: string) =>
        page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent ?? '');
      expect(await text('#result-method')).toContain('見守りケース');
      const sides = await page.$$eval(
        '#table-before_after tbody tr th, #table-before_after tbody tr td:first-child',
        (cells) => cells.map((c) => (c as unknown as { textContent: string }).textContent.trim()),
      );
      expect(sides.join(' ')).toContain('開始前');
      expect(sides.join(' ')).not.toMatch(/\bbefore\b/);
      const months = await page.$$eval('#table-by_month tbody tr', (rows) => rows.length);
      expect(months).toBe(9);
      const chart = await page.$eval('#chart-case-months svg', (svg) => ({
        role: svg.getAttribute('role'),
        marks: svg.querySelectorAll('path, line').length,
      }));
      expect(chart.role).toBe('img');
      expect(chart.marks).toBeGreaterThan(3);
      const main = await page.$eval('main', (el) => el.innerHTML);
      expect(main).not.toContain('/api/');
      expect(main).not.toContain('7f3a');
      expect(codesIn(await text('main'))).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
