import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { IngestService, type IngestOptions } from '../../src/ingest/ingest.service.js';
import type { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { seedCentralRoster } from '../factories/roster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A clean daily attendance file goes straight from the file into the warehouse (attendance-direct.ts);
 * any row that needs a row-by-row check sends the batch the row-by-row way, with the same outcome as
 * before. Real DuckDB and PostgreSQL.
 */
describe('attendance loaded straight from the file', () => {
  let t: TestApp;
  let pseudonymizer: Pseudonymizer;
  let fileCount = 0;

  const HEADER = 'school_code,student_id,date,status,reason';
  const write = (lines: string[], trailer = '') => {
    const folder = mkdtempSync(join(t.stores.dir, `direct-${fileCount++}-`));
    const path = join(folder, 'attendance.csv');
    writeFileSync(path, [HEADER, ...lines].join('\n') + trailer);
    return path;
  };
  const ingest = (path: string, options: IngestOptions = {}) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options));
  const snapshot = async () => ({
    days: await t.warehouse.all(
      `SELECT student_pid, school_code, CAST(day AS VARCHAR) AS day, academic_year, status, reason FROM attendance_days ORDER BY ALL`,
    ),
    refs: await t.warehouse.all(`SELECT * FROM student_refs ORDER BY ALL`),
    schoolRefs: await t.warehouse.all(`SELECT * FROM school_refs ORDER BY ALL`),
    schoolDays: await t.warehouse.all(`SELECT * FROM school_year_days ORDER BY ALL`),
    summaries: await t.warehouse.all(`SELECT * FROM attendance_student_year ORDER BY ALL`),
    records: await t.warehouse.all(`SELECT * FROM student_year_attendance ORDER BY ALL`),
  });

  beforeAll(async () => {
    t = await startTestApp();
    pseudonymizer = await seedCentralRoster(t, [
      { sourcedId: 'stu-0001', schoolCode: SCHOOL_A, grade: 'P4', userIds: { LearningApp: 'la-0001' } },
      { sourcedId: 'stu-0002', schoolCode: SCHOOL_A, grade: 'P4' },
      { sourcedId: 'stu-0003', schoolCode: SCHOOL_B, grade: 'J1' },
    ]);
  });
  afterAll(async () => t.close());

  const clean = [
    `${SCHOOL_A},stu-0001,2025-05-12,absent,illness`,
    `${SCHOOL_A},la-0001,2025-05-13,absent,`,
    `${SCHOOL_A},stu-0001,2025-05-14,present,`,
    `${SCHOOL_A},stu-0002,2025-05-12,late,`,
    `${SCHOOL_A},stu-0002,2025-05-13,suspension,`,
    `${SCHOOL_A},stu-0002,2025-06-02,absent,non_attendance`,
    `${SCHOOL_B},stu-0003,2025-05-12,counted_present,`,
    `${SCHOOL_B},stu-0003,2025-05-13,absent,economic`,
  ];

  it('writes the same rows, numbers and summaries as the row-by-row way', async () => {
    const direct = await ingest(write(clean));
    expect(direct).toMatchObject({
      status: 'loaded',
      rowsRead: 8,
      rowsLoaded: 8,
      rowsRejected: 0,
      errors: 0,
      warnings: 0,
    });
    expect(direct.feeds[0].loadedDirectly).toBe(true);
    const one = pseudonymizer.pseudonym('stu-0001');
    expect(await t.warehouse.all(`SELECT count(*) AS n FROM attendance_days WHERE student_pid = $1`, [one])).toEqual([
      { n: 3n },
    ]);
    const afterDirect = await snapshot();
    expect(afterDirect.days).toHaveLength(8);
    expect(afterDirect.schoolRefs.map((s) => s.school_code)).toEqual([SCHOOL_A, SCHOOL_B]);

    // The same rows again (another file: a trailing newline), staged row by row: they replace the
    // direct load's rows by student and day, and everything derived comes out the same.
    const staged = await ingest(write(clean, '\n'), { directLoad: false });
    expect(staged).toMatchObject({ status: 'loaded', rowsLoaded: 8 });
    expect(staged.feeds[0].loadedDirectly).toBeUndefined();
    expect(await snapshot()).toEqual(afterDirect);

    // And directly once more over the row-by-row rows: replaced again, nothing added.
    const again = await ingest(write(clean, '\n\n'));
    expect(again.feeds[0].loadedDirectly).toBe(true);
    expect(await snapshot()).toEqual(afterDirect);
  });

  it('replaces a day sent again under another school directly, and refreshes both schools', async () => {
    const three = pseudonymizer.pseudonym('stu-0003');
    await t.warehouse.transaction((session) =>
      session.run(
        `INSERT INTO enrolments (student_pid, school_code, academic_year, grade, special_needs) VALUES ($1, $2, 2025, 'P6', false)`,
        [three, SCHOOL_A],
      ),
    );
    try {
      const moved = await ingest(write([`${SCHOOL_A},stu-0003,2025-05-13,absent,illness`]));
      expect(moved.feeds[0].loadedDirectly).toBe(true);
      expect(
        await t.warehouse.all(
          `SELECT school_code, status FROM attendance_days WHERE student_pid = $1 AND day = DATE '2025-05-13'`,
          [three],
        ),
      ).toEqual([{ school_code: SCHOOL_A, status: 'absent' }]);
      const summaries = await t.warehouse.all<{ school_code: string; absent_days: number }>(
        `SELECT school_code, absent_days FROM attendance_student_year WHERE student_pid = $1 ORDER BY school_code`,
        [three],
      );
      expect(summaries).toEqual([{ school_code: SCHOOL_A, absent_days: 1 }]);
    } finally {
      await t.warehouse.transaction((session) =>
        session.run(`DELETE FROM enrolments WHERE student_pid = $1 AND school_code = $2`, [three, SCHOOL_A]),
      );
    }
  });

  // Each file has one row the direct load cannot take as it is: the batch is checked row by row, and
  // reports (or cleans) that row exactly as the row-by-row way always has.
  const needsRowChecks: [string, string[], IngestOptions, { status: string; rule?: string }][] = [
    ['a capital and spaces (cleaned)', [`${SCHOOL_A},stu-0001,2025-07-07,Absent ,Illness`], {}, { status: 'loaded' }],
    [
      'a student no roster knows',
      [`${SCHOOL_A},stu-9999,2025-07-07,absent,`],
      {},
      { status: 'rejected', rule: 'student_id matches no roster student (sourcedId or userIds)' },
    ],
    [
      'a blank student_id',
      [`${SCHOOL_A},,2025-07-07,absent,`],
      {},
      { status: 'rejected', rule: 'student_id is required' },
    ],
    [
      'a day given twice',
      [`${SCHOOL_A},stu-0001,2025-07-07,absent,`, `${SCHOOL_A},la-0001,2025-07-07,present,`],
      {},
      { status: 'rejected', rule: 'repeats an earlier row for the same student and day' },
    ],
    [
      'a reason for a day present',
      [`${SCHOOL_A},stu-0001,2025-07-07,present,illness`],
      {},
      { status: 'rejected', rule: 'a reason is given only for an absence' },
    ],
    [
      'a student of another school',
      [`${SCHOOL_A},stu-0003,2025-07-07,absent,`],
      {},
      { status: 'rejected', rule: 'student is not enrolled at this school in that school year (roster)' },
    ],
    [
      'an unknown status',
      [`${SCHOOL_A},stu-0001,2025-07-07,away,`],
      {},
      {
        status: 'rejected',
        rule: 'status must be one of present, absent, late, early_leave, suspension, mourning, closure, counted_present',
      },
    ],
    ['no status', [`${SCHOOL_A},stu-0001,2025-07-07,,`], {}, { status: 'rejected', rule: 'status is required' }],
    [
      'not a date',
      [`${SCHOOL_A},stu-0001,2025-07-32,absent,`],
      {},
      { status: 'rejected', rule: 'not a date (YYYY-MM-DD)' },
    ],
    [
      'a date in the future',
      [`${SCHOOL_A},stu-0001,2099-07-07,absent,`],
      {},
      { status: 'rejected', rule: 'date is in the future' },
    ],
    [
      'days before 1970',
      [`${SCHOOL_A},stu-0001,1969-12-30,absent,`, `${SCHOOL_A},stu-0001,1969-12-31,absent,`],
      {},
      { status: 'rejected', rule: 'student is not enrolled at this school in that school year (roster)' },
    ],
    ['an unknown school', [`B199999999991,stu-0001,2025-07-07,absent,`], {}, { status: 'rejected' }],
    [
      'a malformed line',
      [`${SCHOOL_A},stu-0001`],
      {},
      { status: 'rejected', rule: 'malformed CSV line (missing columns)' },
    ],
    [
      'another school’s row in a school’s upload',
      [`${SCHOOL_B},stu-0003,2025-07-07,absent,`],
      { scopeSchool: SCHOOL_A },
      { status: 'rejected', rule: 'a school may upload rows of its own school only' },
    ],
  ];
  it.each(needsRowChecks)('checks row by row a file with %s', async (_what, lines, options, expected) => {
    const before = await snapshot();
    const report = await ingest(write([`${SCHOOL_A},stu-0002,2025-07-08,present,`, ...lines]), options);
    expect(report.status).toBe(expected.status);
    expect(report.feeds[0].loadedDirectly).toBeUndefined();
    if (expected.rule) expect(report.problems.map((p) => p.rule)).toContain(expected.rule);
    if (expected.status === 'rejected') expect(await snapshot()).toEqual(before);
  });

  it('stages again only the declined file of a batch, and loads the whole batch once', async () => {
    const folder = mkdtempSync(join(t.stores.dir, `direct-batch-`));
    writeFileSync(
      join(folder, 'attendance.csv'),
      [HEADER, `${SCHOOL_A},stu-0001,2025-10-06,Absent,illness`, `${SCHOOL_A},stu-0002,2025-10-06,present,`].join('\n'),
    );
    writeFileSync(
      join(folder, 'assessments.csv'),
      [
        'school_code,student_id,assessment_id,subject,administered_on,score,max_score',
        `${SCHOOL_A},stu-0001,t-direct,math,2025-10-07,70,100`,
        `${SCHOOL_A},stu-0002,t-direct,math,2025-10-07,80,100`,
      ].join('\n'),
    );
    const report = await ingest(folder);
    expect(report).toMatchObject({ status: 'loaded', rowsRead: 4, rowsLoaded: 4, errors: 0 });
    expect(report.feeds.map((f) => [f.kind, f.rowsLoaded, f.loadedDirectly])).toEqual([
      ['attendance', 2, undefined],
      ['assessments', 2, undefined],
    ]);
    expect(
      await t.warehouse.all(`SELECT status FROM attendance_days WHERE day = DATE '2025-10-06' ORDER BY status`),
    ).toEqual([{ status: 'absent' }, { status: 'present' }]);
    expect(
      await t.warehouse.all(`SELECT count(*) AS n FROM assessment_results WHERE assessment_id = 't-direct'`),
    ).toEqual([{ n: 2n }]);
  });

  it('names the problems of the attendance file too when another file of the batch has errors', async () => {
    const folder = mkdtempSync(join(t.stores.dir, `direct-rejected-`));
    writeFileSync(
      join(folder, 'attendance.csv'),
      [HEADER, `${SCHOOL_A},stu-0003,2025-10-13,absent,`, `${SCHOOL_A},stu-0001,2025-10-13,absent,`].join('\n'),
    );
    writeFileSync(
      join(folder, 'assessments.csv'),
      [
        'school_code,student_id,assessment_id,subject,administered_on,score,max_score',
        `${SCHOOL_A},stu-0001,t-rejected,math,2025-10-14,170,100`,
      ].join('\n'),
    );
    const report = await ingest(folder);
    expect(report.status).toBe('rejected');
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => [p.file, p.row])).toEqual([
      ['assessments.csv', 2],
      ['attendance.csv', 2],
    ]);
    expect(report.feeds.map((f) => [f.kind, f.rowsRejected])).toEqual([
      ['attendance', 1],
      ['assessments', 1],
    ]);
  });

  // A file over the turn of the school year (March and April) that moves a March day to another school,
  // while the old school has rows in April only: the old school's previous year is refreshed too.
  it.each([
    ['directly', true, 'stu-0003', '2025-03-17'],
    ['row by row', false, 'stu-0002', '2025-03-18'],
  ])(
    'refreshes the old school’s year when a day moves school across the turn of the year (%s)',
    async (_how, directLoad, student, day) => {
      const pid = pseudonymizer.pseudonym(student);
      await t.warehouse.transaction(async (session) => {
        for (const school of [SCHOOL_A, SCHOOL_B]) {
          await session.run(
            `INSERT INTO enrolments (student_pid, school_code, academic_year, grade, special_needs) VALUES ($1, $2, 2024, 'P3', false)`,
            [pid, school],
          );
        }
      });
      expect((await ingest(write([`${SCHOOL_A},${student},${day},absent,illness`]), { directLoad })).status).toBe(
        'loaded',
      );
      const summaries = () =>
        t.warehouse.all(
          `SELECT school_code, absent_days FROM attendance_student_year WHERE student_pid = $1 AND academic_year = 2024 ORDER BY school_code`,
          [pid],
        );
      expect(await summaries()).toEqual([{ school_code: SCHOOL_A, absent_days: 1 }]);
      const moved = await ingest(
        write([
          `${SCHOOL_B},${student},${day},absent,illness`,
          `${SCHOOL_A},stu-0001,2025-04-${directLoad ? '14' : '15'},present,`,
        ]),
        { directLoad },
      );
      expect(moved).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
      expect(moved.feeds[0].loadedDirectly).toBe(directLoad ? true : undefined);
      expect(await summaries()).toEqual([{ school_code: SCHOOL_B, absent_days: 1 }]);
    },
  );

  it('checks row by row a day off the school calendar (a warning), and loads it', async () => {
    const calendar = write([]).replace(/attendance\.csv$/, 'school_calendar.csv');
    writeFileSync(calendar, ['school_code,date', `${SCHOOL_B},2025-09-01`, `${SCHOOL_B},2025-09-02`].join('\n'));
    expect((await ingest(calendar)).status).toBe('loaded');
    const onCalendar = await ingest(write([`${SCHOOL_B},stu-0003,2025-09-01,absent,`]));
    expect(onCalendar.feeds[0].loadedDirectly).toBe(true);
    const offCalendar = await ingest(
      write([`${SCHOOL_B},stu-0003,2025-09-02,present,`, `${SCHOOL_B},stu-0003,2025-09-03,absent,`]),
    );
    expect(offCalendar).toMatchObject({ status: 'loaded', rowsLoaded: 2, warnings: 1 });
    expect(offCalendar.feeds[0].loadedDirectly).toBeUndefined();
    expect(offCalendar.problems).toEqual([
      expect.objectContaining({ severity: 'warning', row: 3, rule: 'not a school day in the school calendar' }),
    ]);
  });
});
