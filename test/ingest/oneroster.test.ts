import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey, readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { IngestService, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { pseudonymizeFiles } from '../../src/ingest/pseudonymize-tool.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import {
  classId,
  DISTRICT_NAME,
  enrollmentId,
  orgId,
  type PackageSpec,
  type Row,
  townBulk,
  townRows,
  townSecrets,
  writeOneRosterPackage,
} from '../factories/oneroster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

interface Harness {
  t: TestApp;
  pid: (rawId: string) => string;
  ingest: (path: string, options?: IngestOptions) => ReturnType<IngestService['ingest']>;
  rows: <T>(sql: string, params?: string[]) => Promise<T[]>;
  dir: string;
}

async function harness(): Promise<Harness> {
  const t = await startTestApp();
  const keyFile = t.stores.config.pseudonymKeyFile!;
  ensurePseudonymKey(keyFile);
  const pseudonymizer = new Pseudonymizer(readPseudonymKey(keyFile));
  return {
    t,
    pid: (rawId) => pseudonymizer.pseudonym(rawId),
    ingest: (path, options = {}) =>
      requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options)),
    rows: async <T>(sql: string, params: string[] = []) => (await t.warehouse.all(sql, params)) as T[],
    dir: mkdtempSync(join(t.stores.dir, 'oneroster-')),
  };
}

/** The order DuckDB's ORDER BY gives text (by code point, not by locale). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const enrolmentsOf = (h: Harness, year: number) =>
  h.rows<{
    student_pid: string;
    school_code: string;
    grade: string | null;
    homeroom_id: string | null;
    special_needs: boolean;
  }>(
    `SELECT student_pid, school_code, grade, homeroom_id, special_needs FROM enrolments WHERE academic_year = ${year} ORDER BY student_pid, school_code`,
  );

/** The enrolment rows a test expects, in the same order as enrolmentsOf. */
const expected = (h: Harness, rows: [string, 'A' | 'B', string | null, string | null, boolean][], year = 2025) =>
  rows
    .map(([id, school, grade, homeroom, specialNeeds]) => ({
      student_pid: h.pid(id),
      school_code: school === 'A' ? SCHOOL_A : SCHOOL_B,
      grade,
      homeroom_id: homeroom && classId(year, homeroom),
      special_needs: specialNeeds,
    }))
    .sort((a, b) => byText(a.student_pid, b.student_pid) || byText(a.school_code, b.school_code));

describe('OneRoster: a town loaded year by year, bulk then deltas (real DuckDB, real control plane)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => h?.t.close());

  const usersLine = (id: string) => townRows(2025).users.findIndex((u) => u.sourcedId === id) + 2;

  it('loads a FY2025 Japan-profile bulk package into schools, 年度, students, identities, homerooms, enrolments and staff counts', async () => {
    const report = await h.ingest(writeOneRosterPackage(h.dir, 'fy2025', townBulk(2025)));
    expect(report).toMatchObject({ status: 'loaded', errors: 0, warnings: 1, rowsRejected: 0 });
    expect(report.problems).toEqual([
      {
        severity: 'warning',
        file: 'fy2025/users.csv',
        row: usersLine('stu-0006'),
        column: 'grades',
        value: null,
        rule: 'student has no grade: the enrolment loads without one',
        code: 'oneroster.no_grade',
      },
    ]);

    expect(
      await h.rows(
        'SELECT school_code, name, school_type, prefecture_code, municipality, org_id FROM schools ORDER BY school_code',
      ),
    ).toEqual([
      {
        school_code: SCHOOL_A,
        name: '中央小学校',
        school_type: 'elementary',
        prefecture_code: '13',
        municipality: DISTRICT_NAME,
        org_id: orgId('A'),
      },
      {
        school_code: SCHOOL_B,
        name: '中央中学校',
        school_type: 'junior_high',
        prefecture_code: '13',
        municipality: DISTRICT_NAME,
        org_id: orgId('B'),
      },
    ]);
    expect(
      await h.rows(
        `SELECT academic_year, title, strftime(start_date, '%Y-%m-%d') AS s, strftime(end_date, '%Y-%m-%d') AS e FROM academic_years`,
      ),
    ).toEqual([{ academic_year: 2025, title: '2025年度', s: '2025-04-01', e: '2026-03-31' }]);
    const students = await h.rows<{ student_pid: string; sex: string | null; birth_year_month: string }>(
      'SELECT student_pid, sex, birth_year_month FROM students',
    );
    expect(students).toHaveLength(6);
    expect(students).toContainEqual({ student_pid: h.pid('stu-0001'), sex: 'male', birth_year_month: '2018-05' });
    expect(students).toContainEqual({ student_pid: h.pid('stu-0006'), sex: null, birth_year_month: '2018-08' });

    // userIds carry the IDs other feeds use; a student's e-mail links xAPI actors by mbox.
    expect(
      await h.rows('SELECT id_type, id_pid, student_pid FROM student_identities ORDER BY student_pid, id_type'),
    ).toEqual(
      [
        { id_type: 'LearningApp', id_pid: h.pid('la-0001'), student_pid: h.pid('stu-0001') },
        { id_type: 'ePortal', id_pid: h.pid('ep-0001'), student_pid: h.pid('stu-0001') },
        { id_type: 'mbox', id_pid: h.pid('mailto:taro.yamada@example.jp'), student_pid: h.pid('stu-0001') },
        { id_type: 'LearningApp', id_pid: h.pid('la-0002'), student_pid: h.pid('stu-0002') },
        { id_type: 'mbox', id_pid: h.pid('mailto:misaki@example.jp'), student_pid: h.pid('stu-0004') },
      ].sort((a, b) => byText(a.student_pid, b.student_pid) || byText(a.id_type, b.id_type)),
    );

    expect(
      await h.rows(
        'SELECT homeroom_id, school_code, academic_year, title, grades, special_needs FROM homerooms ORDER BY homeroom_id',
      ),
    ).toEqual([
      {
        homeroom_id: classId(2025, 'A-1-1'),
        school_code: SCHOOL_A,
        academic_year: 2025,
        title: '1年1組',
        grades: ['P1'],
        special_needs: false,
      },
      {
        homeroom_id: classId(2025, 'A-2-1'),
        school_code: SCHOOL_A,
        academic_year: 2025,
        title: '2年1組',
        grades: ['P2'],
        special_needs: false,
      },
      {
        homeroom_id: classId(2025, 'A-SN'),
        school_code: SCHOOL_A,
        academic_year: 2025,
        title: 'ひまわり学級',
        grades: ['P1', 'P2', 'P3'],
        special_needs: true,
      },
      {
        homeroom_id: classId(2025, 'B-1-1'),
        school_code: SCHOOL_B,
        academic_year: 2025,
        title: '1年1組',
        grades: ['J1'],
        special_needs: false,
      },
    ]);
    expect(await enrolmentsOf(h, 2025)).toEqual(
      expected(h, [
        ['stu-0001', 'A', 'P1', 'A-1-1', false],
        ['stu-0002', 'A', 'P2', 'A-2-1', false],
        // 通級指導教室 at the junior high: an enrolment there too, without a homeroom.
        ['stu-0002', 'B', 'P2', null, false],
        // On the regular and the special-needs roster: metadata.jp.homeClass decides.
        ['stu-0003', 'A', 'P2', 'A-SN', true],
        ['stu-0004', 'B', 'J1', 'B-1-1', false],
        ['stu-0005', 'B', 'J1', null, false],
        ['stu-0006', 'A', null, null, false],
      ]),
    );
    expect(
      await h.rows(
        'SELECT school_code, role, staff FROM staff_counts WHERE academic_year = 2025 ORDER BY school_code, role',
      ),
    ).toEqual([
      { school_code: SCHOOL_A, role: 'administrator', staff: 1 },
      { school_code: SCHOOL_A, role: 'teacher', staff: 2 },
      { school_code: SCHOOL_B, role: 'aide', staff: 1 },
      { school_code: SCHOOL_B, role: 'teacher', staff: 1 },
    ]);
    // The guardian is read and dropped: 6 students and 5 staff in the mirror, nobody else.
    expect(await h.rows('SELECT count(*)::INTEGER AS n FROM roster_users')).toEqual([{ n: 11 }]);
  });

  it('keeps no name, kana, username, e-mail, phone, password, raw ID or birth date in the warehouse or the batch report', async () => {
    const columns = await h.rows<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND data_type LIKE 'VARCHAR%'`,
    );
    let text = '';
    for (const { table_name, column_name } of columns) {
      const [{ v }] = await h.rows<{ v: string | null }>(
        `SELECT string_agg(CAST("${column_name}" AS VARCHAR), '|') AS v FROM "${table_name}"`,
      );
      text += `${v ?? ''}\n`;
    }
    const reports: { report: unknown }[] = await h.t.dataSource.query('SELECT report FROM ingest_batches');
    const reportText = JSON.stringify(reports);
    expect(reportText.length).toBeGreaterThan(100);
    const leaks = townSecrets().filter((secret) => text.includes(secret) || reportText.includes(secret));
    expect(leaks).toEqual([]);
    // The check can fail: the pseudonyms and org IDs it expects to find are there.
    expect(text).toContain(h.pid('stu-0001'));
    expect(text).toContain(orgId('A'));
  });

  it('applies a delta: a grade corrected, enrollments deleted, a student transferring in, another deleted', async () => {
    const at = '2025-06-01T09:00:00.000Z';
    const town = townRows(2025);
    const active = (row: Row) => ({ ...row, status: 'active', dateLastModified: at });
    const deleted = (row: Row) => ({ ...row, status: 'tobedeleted', dateLastModified: at });
    const user = (id: string) => town.users.find((u) => u.sourcedId === id)!;
    const enrollment = (id: string) => town.enrollments.find((e) => e.sourcedId === id)!;
    const newcomer = {
      ...user('stu-0001'),
      sourcedId: 'stu-0007',
      userIds: '{LearningApp:la-0007}',
      email: '',
      grades: 'P1',
      'metadata.jp.homeClass': classId(2025, 'A-1-1'),
    };
    const delta: PackageSpec = {
      files: {
        users: {
          mode: 'delta',
          rows: [active({ ...user('stu-0001'), grades: 'P2' }), deleted(user('stu-0006')), active(newcomer)],
        },
        roles: {
          mode: 'delta',
          rows: [
            active({
              sourcedId: 'role-stu-0007',
              userSourcedId: 'stu-0007',
              roleType: 'primary',
              role: 'student',
              orgSourcedId: orgId('A'),
            }),
          ],
        },
        enrollments: {
          mode: 'delta',
          rows: [
            deleted(enrollment(enrollmentId(2025, 'stu-0002', 'B-TSUKYU'))),
            deleted(enrollment(enrollmentId(2025, 'stu-0004', 'B-1-1'))),
            active({
              sourcedId: enrollmentId(2025, 'stu-0007', 'A-1-1'),
              classSourcedId: classId(2025, 'A-1-1'),
              schoolSourcedId: orgId('A'),
              userSourcedId: 'stu-0007',
              role: 'student',
            }),
          ],
        },
        demographics: {
          mode: 'delta',
          rows: [active({ sourcedId: 'stu-0007', birthDate: '2018-11-20', sex: 'female' })],
        },
        // The special-needs class closes: its homeroom goes, and its student falls back to the regular one.
        classes: {
          mode: 'delta',
          rows: [{ sourcedId: classId(2025, 'A-SN'), status: 'tobedeleted', dateLastModified: at }],
        },
      },
    };
    const report = await h.ingest(writeOneRosterPackage(h.dir, 'delta-1', delta));
    expect(report).toMatchObject({ status: 'loaded', errors: 0, warnings: 0, rowsRead: 9, rowsLoaded: 9 });
    expect(await enrolmentsOf(h, 2025)).toEqual(
      expected(h, [
        ['stu-0001', 'A', 'P2', 'A-1-1', false],
        // The 通級 enrollment deleted: nothing else places the student at the junior high.
        ['stu-0002', 'A', 'P2', 'A-2-1', false],
        ['stu-0003', 'A', 'P2', 'A-2-1', false],
        // The homeroom enrollment deleted: still at the school (英語, and the user's org), no homeroom.
        ['stu-0004', 'B', 'J1', null, false],
        ['stu-0005', 'B', 'J1', null, false],
        ['stu-0007', 'A', 'P1', 'A-1-1', false],
      ]),
    );
    expect(await h.rows('SELECT homeroom_id FROM homerooms ORDER BY 1')).toEqual(
      ['A-1-1', 'A-2-1', 'B-1-1'].map((k) => ({ homeroom_id: classId(2025, k) })),
    );
    // A deleted user keeps the student row other years' facts point at; the mirror keeps a tombstone.
    expect(
      await h.rows('SELECT count(*)::INTEGER AS n FROM students WHERE student_pid = $1', [h.pid('stu-0006')]),
    ).toEqual([{ n: 1 }]);
    expect(await h.rows('SELECT status FROM roster_users WHERE user_pid = $1', [h.pid('stu-0006')])).toEqual([
      { status: 'tobedeleted' },
    ]);
    expect(
      await h.rows('SELECT sex, birth_year_month FROM students WHERE student_pid = $1', [h.pid('stu-0007')]),
    ).toEqual([{ sex: 'female', birth_year_month: '2018-11' }]);
    expect(
      await h.rows('SELECT id_type FROM student_identities WHERE id_pid = $1 AND student_pid = $2', [
        h.pid('la-0007'),
        h.pid('stu-0007'),
      ]),
    ).toEqual([{ id_type: 'LearningApp' }]);
  });

  it('ignores a delta row older than the one loaded, with a warning naming it', async () => {
    const town = townRows(2025);
    const old = { ...town.users[0], grades: 'P3', status: 'active', dateLastModified: '2025-05-01T00:00:00.000Z' };
    const report = await h.ingest(
      writeOneRosterPackage(h.dir, 'delta-2', { files: { users: { mode: 'delta', rows: [old] } } }),
    );
    expect(report).toMatchObject({ status: 'loaded', errors: 0, warnings: 1 });
    expect(report.problems).toEqual([
      {
        severity: 'warning',
        file: 'delta-2/users.csv',
        row: 2,
        column: 'dateLastModified',
        value: '2025-05-01T00:00:00.000Z',
        rule: 'older than the row already loaded for this sourcedId: ignored',
        code: 'oneroster.older_ignored',
      },
    ]);
    expect(
      await h.rows('SELECT grade FROM enrolments WHERE student_pid = $1 AND academic_year = 2025', [h.pid('stu-0001')]),
    ).toEqual([{ grade: 'P2' }]);
  });

  it('a FY2025 bulk sent again replaces FY2025: a student it no longer lists leaves that year, the deltas are overridden', async () => {
    const report = await h.ingest(
      writeOneRosterPackage(h.dir, 'fy2025-again', townBulk(2025, { without: ['stu-0005'] })),
    );
    expect(report).toMatchObject({ status: 'loaded', errors: 0 });
    expect(await enrolmentsOf(h, 2025)).toEqual(
      expected(h, [
        ['stu-0001', 'A', 'P1', 'A-1-1', false],
        ['stu-0002', 'A', 'P2', 'A-2-1', false],
        ['stu-0002', 'B', 'P2', null, false],
        ['stu-0003', 'A', 'P2', 'A-SN', true],
        ['stu-0004', 'B', 'J1', 'B-1-1', false],
        ['stu-0006', 'A', null, null, false],
      ]),
    );
    expect(await h.rows('SELECT count(*)::INTEGER AS n FROM homerooms WHERE academic_year = 2025')).toEqual([{ n: 4 }]);
  });

  it('a FY2026 bulk adds the new year and leaves FY2025 exactly as it was (students who left keep their history)', async () => {
    const before = await h.rows('SELECT * EXCLUDE (batch_id) FROM enrolments WHERE academic_year = 2025 ORDER BY ALL');
    const homeroomsBefore = await h.rows(
      'SELECT * EXCLUDE (batch_id) FROM homerooms WHERE academic_year = 2025 ORDER BY ALL',
    );
    const report = await h.ingest(
      writeOneRosterPackage(h.dir, 'fy2026', townBulk(2026, { without: ['stu-0002', 'stu-0006'] })),
    );
    expect(report).toMatchObject({ status: 'loaded', errors: 0 });
    expect(await h.rows('SELECT * EXCLUDE (batch_id) FROM enrolments WHERE academic_year = 2025 ORDER BY ALL')).toEqual(
      before,
    );
    expect(await h.rows('SELECT * EXCLUDE (batch_id) FROM homerooms WHERE academic_year = 2025 ORDER BY ALL')).toEqual(
      homeroomsBefore,
    );
    expect(await enrolmentsOf(h, 2026)).toEqual(
      expected(
        h,
        [
          ['stu-0001', 'A', 'P2', 'A-2-1', false],
          ['stu-0003', 'A', 'P3', 'A-SN', true],
          ['stu-0004', 'B', 'J2', 'B-2-1', false],
          ['stu-0005', 'B', 'J2', null, false],
        ],
        2026,
      ),
    );
    expect(await h.rows('SELECT academic_year, title FROM academic_years ORDER BY 1')).toEqual([
      { academic_year: 2025, title: '2025年度' },
      { academic_year: 2026, title: '2026年度' },
    ]);
    expect(await h.rows('SELECT count(*)::INTEGER AS n FROM staff_counts WHERE academic_year = 2025')).toEqual([
      { n: 4 },
    ]);
  });
});

describe('OneRoster: defects are named by file, row, column and rule', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => h?.t.close());

  const defective = (): {
    spec: PackageSpec;
    line: (file: keyof ReturnType<typeof townRows>, pick: (row: Row) => boolean) => number;
  } => {
    const rows = townRows(2025);
    const edit = (file: keyof typeof rows, pick: (row: Row) => boolean, change: Row) =>
      Object.assign(rows[file].find(pick)!, change);
    edit('orgs', (o) => o.sourcedId === orgId('B'), { identifier: 'C113210000013' });
    edit('classes', (c) => c.sourcedId === classId(2025, 'A-SN'), { classType: 'Scheduled' });
    edit('classes', (c) => c.sourcedId === classId(2025, 'A-2-1'), { courseSourcedId: 'crs-missing' });
    edit('users', (u) => u.sourcedId === 'stu-0001', { status: 'active' });
    edit('users', (u) => u.sourcedId === 'stu-0003', { grades: 'G7' });
    edit('demographics', (d) => d.sourcedId === 'stu-0006', { sex: 'M' });
    rows.enrollments.push({
      sourcedId: 'enr-stu-9999',
      classSourcedId: classId(2025, 'A-1-1'),
      schoolSourcedId: orgId('A'),
      userSourcedId: 'stu-9999',
      role: 'student',
    });
    return {
      spec: {
        files: Object.fromEntries(Object.entries(rows).map(([file, r]) => [file, { mode: 'bulk' as const, rows: r }])),
      },
      line: (file, pick) => rows[file].findIndex(pick) + 2,
    };
  };

  it('rejects the package, names each defect (person IDs withheld) and loads nothing', async () => {
    const { spec, line } = defective();
    const report = await h.ingest(writeOneRosterPackage(h.dir, 'bad', spec));
    expect(report).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
    const problem = (file: string, row: number, column: string, value: string | null, rule: string) =>
      expect.objectContaining({ severity: 'error', file: `bad/${file}`, row, column, value, rule });
    expect(report.problems).toEqual(
      expect.arrayContaining([
        problem(
          'orgs.csv',
          line('orgs', (o) => o.sourcedId === orgId('B')),
          'identifier',
          'C113210000013',
          'not a valid MEXT school code (13 characters, check digit)',
        ),
        problem(
          'classes.csv',
          line('classes', (c) => c.sourcedId === classId(2025, 'A-SN')),
          'classType',
          'Scheduled',
          'classType must be homeroom or scheduled (the vocabulary is case-sensitive)',
        ),
        problem(
          'classes.csv',
          line('classes', (c) => c.sourcedId === classId(2025, 'A-2-1')),
          'courseSourcedId',
          'crs-missing',
          'courseSourcedId names no course in courses.csv or earlier rosters',
        ),
        problem(
          'classes.csv',
          line('classes', (c) => c.sourcedId === classId(2025, 'B-1-1')),
          'schoolSourcedId',
          orgId('B'),
          'schoolSourcedId names an org whose row in orgs.csv was rejected',
        ),
        problem(
          'users.csv',
          line('users', (u) => u.sourcedId === 'stu-0001'),
          'status',
          'active',
          'status must be blank in a bulk file',
        ),
        problem(
          'users.csv',
          line('users', (u) => u.sourcedId === 'stu-0003'),
          'grades',
          'G7',
          "a student's first grade must be a Japan profile grade code (P1, P2, P3, P4, P5, P6, J1, J2, J3, H1, H2, H3, E1, E2, E3)",
        ),
        problem(
          'enrollments.csv',
          line('enrollments', (e) => e.sourcedId === 'enr-stu-9999'),
          'userSourcedId',
          '(withheld)',
          'userSourcedId names no user in users.csv or earlier rosters',
        ),
        problem(
          'demographics.csv',
          line('demographics', (d) => d.sourcedId === 'stu-0006'),
          'sex',
          'M',
          'sex must be one of male, female, other, unspecified or empty',
        ),
      ]),
    );
    for (const table of ['schools', 'students', 'enrolments', 'homerooms', 'roster_users', 'roster_orgs']) {
      expect(await h.rows(`SELECT count(*)::INTEGER AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }
    expect(JSON.stringify(report)).not.toContain('stu-9999');
  });

  it('with acceptPartial loads the valid rows only', async () => {
    const report = await h.ingest(writeOneRosterPackage(h.dir, 'bad-partial', defective().spec), {
      acceptPartial: true,
    });
    expect(report.status).toBe('partial');
    // School B's org was rejected: nothing of B loads, and A's valid students do.
    expect(await h.rows('SELECT school_code FROM schools')).toEqual([{ school_code: SCHOOL_A }]);
    const students = await h.rows<{ student_pid: string; sex: string | null }>(
      'SELECT student_pid, sex FROM students ORDER BY student_pid',
    );
    expect(students).toEqual(
      [
        { student_pid: h.pid('stu-0002'), sex: 'female' },
        // Its demographics row was rejected: the student loads without them.
        { student_pid: h.pid('stu-0006'), sex: null },
      ].sort((a, b) => byText(a.student_pid, b.student_pid)),
    );
    expect(await h.rows('SELECT homeroom_id FROM homerooms ORDER BY 1')).toEqual([
      { homeroom_id: classId(2025, 'A-1-1') },
    ]);
    expect(await enrolmentsOf(h, 2025)).toEqual(
      expected(h, [
        ['stu-0002', 'A', 'P2', null, false],
        ['stu-0006', 'A', null, null, false],
      ]),
    );
  });

  it('checks the manifest and the delta rules: version, declared files, status and dateLastModified, vocabularies, dates', async () => {
    const bad = writeOneRosterPackage(h.dir, 'v10', {
      files: { orgs: { mode: 'bulk', rows: townRows(2025).orgs } },
      manifest: { 'oneroster.version': '1.0' },
    });
    const refused = await h.ingest(bad);
    expect(refused).toMatchObject({ status: 'rejected', rowsRead: 0 });
    expect(refused.problems).toEqual([
      {
        severity: 'error',
        file: 'v10/manifest.csv',
        row: 3,
        column: 'value',
        value: '1.0',
        rule: 'oneroster.version must be 1.1 or 1.2',
        code: 'oneroster.either',
        params: { column: 'oneroster.version', values: ['1.1', '1.2'] },
      },
    ]);

    const at = '2025-06-01T09:00:00.000Z';
    const town = townRows(2025);
    const pkg = writeOneRosterPackage(h.dir, 'delta', {
      files: {
        orgs: {
          mode: 'delta',
          rows: [
            { ...town.orgs[0], status: 'active', dateLastModified: at },
            { ...town.orgs[1], type: 'campus', dateLastModified: at },
          ],
        },
        academicSessions: {
          mode: 'delta',
          rows: [
            { ...town.academicSessions[0], status: 'active', dateLastModified: 'yesterday', type: 'quarter' },
            { ...town.academicSessions[1], status: 'inactive', dateLastModified: at, endDate: '2025-04-01' },
          ],
        },
        demographics: { mode: 'delta', rows: town.demographics },
      },
      manifest: { 'file.courses': 'delta', 'file.demographics': 'absent' },
    });
    const report = await h.ingest(pkg);
    expect(report.status).toBe('rejected');
    expect(report.problems.map((p) => [p.severity, p.file, p.row, p.column, p.value, p.rule])).toEqual([
      [
        'error',
        'delta/academicSessions.csv',
        2,
        'dateLastModified',
        'yesterday',
        'not a date-time (YYYY-MM-DDTHH:MM:SS.sssZ)',
      ],
      [
        'error',
        'delta/academicSessions.csv',
        2,
        'type',
        'quarter',
        'type must be one of schoolYear, term, semester, gradingPeriod',
      ],
      ['error', 'delta/academicSessions.csv', 3, 'endDate', '2025-04-01', 'endDate is before startDate'],
      ['error', 'delta/academicSessions.csv', 3, 'status', 'inactive', 'status must be active or tobedeleted'],
      [
        'error',
        'delta/manifest.csv',
        6,
        'value',
        'delta',
        'the manifest marks courses.csv delta, but the package has no courses.csv',
      ],
      ['error', 'delta/orgs.csv', 3, 'status', null, 'status is required in a delta file'],
      [
        'error',
        'delta/orgs.csv',
        3,
        'type',
        'campus',
        'type must be one of school, district, department, local, state, national',
      ],
      ['warning', 'delta/demographics.csv', null, null, null, 'manifest.csv marks this file absent: ignored'],
    ]);
  });
});

describe('OneRoster 1.1 (role and orgSourcedIds on users.csv), with attendance in the same batch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => h?.t.close());

  it('loads the same town from a 1.1 package, and attendance of the same batch resolves against it', async () => {
    const rows = townRows(2025);
    const roleOf = new Map(rows.roles.map((r) => [r.userSourcedId, r]));
    const users = rows.users.map((u) => ({
      ...u,
      role: roleOf.get(u.sourcedId)!.role,
      orgSourcedIds: roleOf.get(u.sourcedId)!.orgSourcedId,
    }));
    const files = Object.fromEntries(
      Object.entries({ ...rows, users })
        .filter(([file]) => file !== 'roles')
        .map(([file, r]) => [file, { mode: 'bulk' as const, rows: r }]),
    );
    const batch = join(h.dir, 'batch');
    mkdirSync(batch);
    writeOneRosterPackage(batch, 'oneroster', { version: '1.1', files });
    writeFileSync(
      join(batch, 'attendance.csv'),
      [
        'school_code,student_id,date,status,reason',
        `${SCHOOL_A},la-0001,2025-05-12,absent,illness`,
        `${SCHOOL_B},stu-0004,2025-05-12,late,`,
      ].join('\n'),
    );
    const report = await h.ingest(batch);
    expect(report).toMatchObject({ status: 'loaded', errors: 0 });
    expect(report.feeds.map((f) => [f.kind, f.rowsLoaded])).toEqual([
      ['oneroster', expect.any(Number)],
      ['attendance', 2],
    ]);
    expect(await enrolmentsOf(h, 2025)).toEqual(
      expected(h, [
        ['stu-0001', 'A', 'P1', 'A-1-1', false],
        ['stu-0002', 'A', 'P2', 'A-2-1', false],
        ['stu-0002', 'B', 'P2', null, false],
        ['stu-0003', 'A', 'P2', 'A-SN', true],
        ['stu-0004', 'B', 'J1', 'B-1-1', false],
        ['stu-0005', 'B', 'J1', null, false],
        ['stu-0006', 'A', null, null, false],
      ]),
    );
    expect(await h.rows('SELECT count(*)::INTEGER AS n FROM staff_counts')).toEqual([{ n: 4 }]);
    expect(await h.rows('SELECT student_pid, status FROM attendance_days ORDER BY status')).toEqual([
      { student_pid: h.pid('stu-0001'), status: 'absent' },
      { student_pid: h.pid('stu-0004'), status: 'late' },
    ]);
  });

  it('the same town as 1.2, pseudonymised beforehand with `shirube pseudonymize`, loads to the same rows', async () => {
    const snapshot = () =>
      Promise.all(
        ['schools', 'students', 'enrolments', 'homerooms', 'staff_counts', 'academic_years', 'student_identities'].map(
          (table) =>
            h.rows(
              `SELECT * EXCLUDE (${table.startsWith('academic_years') ? 'title' : 'batch_id'}) FROM ${table} ORDER BY ALL`,
            ),
        ),
      );
    const before = await snapshot();
    const raw = writeOneRosterPackage(h.dir, 'town', townBulk(2025));
    const out = mkdtempSync(join(h.dir, 'pseudonymised-'));
    await pseudonymizeFiles(raw, out, new Pseudonymizer(readPseudonymKey(h.t.stores.config.pseudonymKeyFile!)));
    const report = await h.ingest(join(out, 'town'), { prePseudonymized: true });
    expect(report).toMatchObject({ status: 'loaded', errors: 0 });
    expect(await snapshot()).toEqual(before);
    // The tool writes the pseudonym of each mbox in place of the address, so the e-mail identities survive too.
    expect(
      (
        (await h.rows(`SELECT count(*)::INTEGER AS n FROM student_identities WHERE id_type = 'mbox'`))[0] as {
          n: number;
        }
      ).n,
    ).toBeGreaterThan(0);

    // A raw ID slipped into a pre-pseudonymised package is refused, and never stored.
    const slipped = writeOneRosterPackage(h.dir, 'slipped', {
      files: {
        users: {
          mode: 'delta',
          rows: [
            {
              ...townRows(2025).users[0],
              sourcedId: h.pid('stu-0001'),
              userIds: '{LearningApp:la-raw-1}',
              email: '',
              status: 'active',
              dateLastModified: '2025-07-01T00:00:00.000Z',
            },
          ],
        },
      },
    });
    const refused = await h.ingest(slipped, { prePseudonymized: true, acceptPartial: true });
    expect(refused.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'slipped/users.csv',
        row: 2,
        column: 'userIds',
        value: '(withheld)',
      }),
    ]);
    expect(await h.rows(`SELECT count(*)::INTEGER AS n FROM student_identities WHERE id_pid LIKE '%raw%'`)).toEqual([
      { n: 0 },
    ]);
  });
});
