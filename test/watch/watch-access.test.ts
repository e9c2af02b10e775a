import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { parseCsv } from '../../src/watch/roster-identities.js';
import { loadMunicipality } from '../support/municipality.js';
import { findInCells, findInText, identifiersOf } from '../support/privacy-scan.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const AS_OF = '2026-03-19';

function csvRows(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return rows.map((cells) => Object.fromEntries(header.map((name, k) => [name, cells[k] ?? ''])));
}

/** Acceptance 2 of issue 17: who sees whom, every view audited, nothing identifying stored. */
describe('watch lists: who sees whom (real stores)', () => {
  let t: TestApp;
  let schools: string[];
  let tokens: Record<'own' | 'other' | 'teacher' | 'rosterTeacher', string>;
  let teacherId: string;
  let rosterTeacherUserId: string;
  let rosterDir: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 3, students: 600, years: 2, seed: 7 });
    rosterDir = join(t.stores.dir, 'municipality', 'oneroster', '2025');
    schools = (await t.warehouse.all<{ school_code: string }>('SELECT school_code FROM schools ORDER BY 1')).map(
      (row) => row.school_code,
    );
    const users = t.app.get(UsersService);
    const create = async (name: string, role: 'school' | 'teacher', schoolCode: string) =>
      requestContext.run(CLI_ACTOR, () => users.createUser({ name, role, schoolCode }));
    const own = await create('own-school', 'school', schools[0]);
    const other = await create('other-school', 'school', schools[1]);
    const teacher = await create('teacher-1', 'teacher', schools[0]);
    const rosterTeacher = await create('teacher-2', 'teacher', schools[0]);
    teacherId = teacher.user.id;
    rosterTeacherUserId = rosterTeacher.user.id;
    tokens = {
      own: own.token.secret,
      other: other.token.secret,
      teacher: teacher.token.secret,
      rosterTeacher: rosterTeacher.token.secret,
    };
  }, 600_000);
  afterAll(() => t?.close());

  const list = (token: string, school: string, asOf = AS_OF) =>
    t.http().get(`/api/watch/schools/${school}?asOf=${asOf}&limit=1000`).set(bearer(token));
  const auditCount = async (action: string) =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_events WHERE action = $1`, [action]))[0].n);

  it('refreshed the lists of every school the ingest touched, and a school reads its own (audited)', async () => {
    const refreshed = await t.warehouse.all<{ school_code: string }>(
      'SELECT school_code FROM watch_refreshes ORDER BY 1',
    );
    expect(refreshed.map((row) => row.school_code)).toEqual(schools);
    const before = await auditCount('watch.list.view');
    const stored = await t.http().get(`/api/watch/schools/${schools[0]}`).set(bearer(tokens.own)).expect(200);
    expect(stored.body.items.length).toBeGreaterThan(0);
    expect(stored.body.items[0].asOf).toMatch(/^2026-03-\d\d$/);
    const onDemand = await list(tokens.own, schools[0]).expect(200);
    expect(onDemand.body.items.length).toBeGreaterThan(0);
    const urgencies = onDemand.body.items.map((item: { urgency: number }) => item.urgency);
    expect(urgencies).toEqual([...urgencies].sort((a, b) => b - a));
    for (const item of onDemand.body.items) {
      expect(item.student).toMatch(/^[0-9a-f]{64}$/);
      expect(item.indicators.length).toBeGreaterThan(0);
      expect(item.weeklyAbsences).toHaveLength(12);
    }
    expect(await auditCount('watch.list.view')).toBe(before + 2);
  });

  it("refuses another school's list (403, audited)", async () => {
    const denied = await auditCount('access.denied');
    const response = await list(tokens.own, schools[1]).expect(403);
    expect(response.body.error.code).toBe('FORBIDDEN_SCHOOL');
    await list(tokens.teacher, schools[1]).expect(403);
    expect(await auditCount('access.denied')).toBe(denied + 2);
  });

  it('refuses an analyst every list and case (403), and gives counts only through disclosure control', async () => {
    const analyst = bearer(t.tokens.analyst);
    for (const school of schools) await list(t.tokens.analyst, school).expect(403);
    await t.http().post(`/api/watch/schools/${schools[0]}/identify`).set(analyst).expect(403);
    await t.http().get(`/api/watch/cases/schools/${schools[0]}`).set(analyst).expect(403);
    await t.http().get('/api/watch/cases/counts').set(analyst).expect(403);
    await t.http().get('/api/watch/cases/00000000-0000-4000-8000-000000000000').set(analyst).expect(403);
    await t.http().post('/api/watch/cases').set(analyst).send({}).expect(403);
    const summary = await t.http().get(`/api/watch/summary?asOf=${AS_OF}`).set(analyst).expect(200);
    expect(summary.body.exact).toBe(false);
    for (const school of summary.body.schools) {
      for (const value of [school.students, school.flagged]) expect(value === null || value % 5 === 0).toBe(true);
    }
    const board = await t.http().get(`/api/watch/summary?asOf=${AS_OF}`).set(bearer(t.tokens.board)).expect(200);
    expect(board.body.exact).toBe(true);
    const exact = board.body.schools.find((s: { schoolCode: string }) => s.schoolCode === schools[0]);
    const own = await list(tokens.own, schools[0]).expect(200);
    expect(exact.flagged).toBe(own.body.total);
  });

  it("lets the board open a school's list by pseudonym only, never re-identified", async () => {
    const response = await list(t.tokens.board, schools[0]).expect(200);
    expect(response.body.total).toBeGreaterThan(0);
    await t
      .http()
      .post(`/api/watch/schools/${schools[0]}/identify`)
      .set(bearer(t.tokens.board))
      // A small file, sent whole before the refusal: a large one would still be on its way when the server answers
      // 403 and closes the connection (EPIPE in the client, not a fault of the server).
      .attach('files', readFileSync(join(rosterDir, 'users.csv')).subarray(0, 200), 'users.csv')
      .expect(403);
  });

  it('shows a teacher only the homerooms bound to it (by the board, or from its OneRoster enrollments)', async () => {
    const whole = (await list(tokens.own, schools[0]).expect(200)).body.items as { homeroomId: string }[];
    const homeroom = whole[0].homeroomId;
    await t
      .http()
      .put(`/api/watch/teachers/${teacherId}/homerooms`)
      .set(bearer(t.tokens.board))
      .send({ academicYear: 2025, homeroomIds: [homeroom] })
      .expect(200);
    const mine = (await list(tokens.teacher, schools[0]).expect(200)).body.items as { homeroomId: string }[];
    expect(mine.length).toBe(whole.filter((item) => item.homeroomId === homeroom).length);
    expect(mine.every((item) => item.homeroomId === homeroom)).toBe(true);

    // The roster's teacher enrollment of another homeroom with flagged students binds the second teacher.
    const other = whole.find((item) => item.homeroomId !== homeroom)!.homeroomId;
    const enrollment = csvRows(join(rosterDir, 'enrollments.csv')).find(
      (row) => row.classSourcedId === other && row.role === 'teacher',
    )!;
    const bound = await t
      .http()
      .put(`/api/watch/teachers/${rosterTeacherUserId}/homerooms`)
      .set(bearer(t.tokens.board))
      .send({ academicYear: 2025, rosterTeacherId: enrollment.userSourcedId })
      .expect(200);
    expect(bound.body).toMatchObject({ homeroomIds: [other], source: 'oneroster' });
    const theirs = (await list(tokens.rosterTeacher, schools[0]).expect(200)).body.items as { homeroomId: string }[];
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((item) => item.homeroomId === other)).toBe(true);
  });

  it("re-identifies a school's own students from the roster files it sends, storing none of them", async () => {
    const response = await t
      .http()
      .post(`/api/watch/schools/${schools[0]}/identify`)
      .set(bearer(tokens.own))
      .field('asOf', AS_OF)
      .attach('files', join(rosterDir, 'users.csv'))
      .attach('files', join(rosterDir, 'enrollments.csv'))
      .attach('files', join(rosterDir, 'classes.csv'))
      .expect(200);
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.body.students.length).toBeGreaterThan(0);
    expect(response.body.unmatched).toBe(0);
    const pseudonymizer = new Pseudonymizer(readPseudonymKey(t.stores.config.pseudonymKeyFile!));
    const enrollments = csvRows(join(rosterDir, 'enrollments.csv'));
    for (const student of response.body.students) {
      expect(pseudonymizer.pseudonym(student.identity.localId)).toBe(student.student);
      const homeroom = enrollments.find(
        (row) => row.userSourcedId === student.identity.localId && row.classSourcedId === student.homeroomId,
      )!;
      expect(student.identity.shussekiNo).toBe(homeroom['metadata.jp.ShussekiNo']);
      expect(student.identity.homeroomTitle).toBe(student.homeroom);
    }
    expect(await auditCount('watch.list.identify')).toBe(1);
  });

  it('stores no raw ID or name in any warehouse or control-plane table', async () => {
    const identifiers = await identifiersOf(join(t.stores.dir, 'municipality'));
    expect(identifiers.tokens.size).toBeGreaterThan(100);
    const columns = await t.warehouse.all<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND (data_type LIKE 'VARCHAR%' OR data_type = 'DATE')`,
    );
    const cells: string[] = [];
    for (const { table_name, column_name, data_type } of columns) {
      const expression =
        data_type === 'VARCHAR[]' ? `array_to_string("${column_name}", ',')` : `CAST("${column_name}" AS VARCHAR)`;
      const rows = await t.warehouse.all<{ v: string }>(
        `SELECT DISTINCT ${expression} AS v FROM "${table_name}" WHERE "${column_name}" IS NOT NULL`,
      );
      for (const row of rows) cells.push(row.v);
    }
    expect(cells.some((cell) => /^[0-9a-f]{64}$/.test(cell))).toBe(true);
    expect(findInCells(cells, identifiers)).toEqual([]);
    const tables: { table_name: string }[] = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(['teacher_homerooms', 'support_cases']));
    for (const { table_name } of tables) {
      const text = JSON.stringify(await t.dataSource.query(`SELECT * FROM "${table_name}"`));
      expect({ table_name, found: findInText(text, identifiers) }).toEqual({ table_name, found: [] });
    }
  });
});
