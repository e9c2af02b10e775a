import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import type { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { IngestService, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { seedCentralRoster } from '../factories/roster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('ingest of attendance, calendars, assessments, guidance and programmes (real stores)', () => {
  let t: TestApp;
  let pseudonymizer: Pseudonymizer;
  let dir: string;
  let fileCount = 0;

  const write = (name: string, text: string) => {
    const folder = mkdtempSync(join(dir, `f${fileCount++}-`));
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
  const ingest = (path: string, options: IngestOptions = {}) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options));
  const count = async (sql: string, params: string[] = []) =>
    Number((await t.warehouse.all<{ n: bigint }>(sql, params))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    dir = t.stores.dir;
    pseudonymizer = await seedCentralRoster(t, [
      {
        sourcedId: 'stu-0001',
        schoolCode: SCHOOL_A,
        grade: 'P4',
        userIds: { LearningApp: 'la-0001', ePortal: 'ep-0001' },
      },
      { sourcedId: 'stu-0002', schoolCode: SCHOOL_A, grade: 'P4' },
      { sourcedId: 'stu-0003', schoolCode: SCHOOL_B, grade: 'J1' },
    ]);
  });
  afterAll(async () => t.close());

  describe('attendance', () => {
    const good = [
      'school_code,student_id,date,status,reason',
      `${SCHOOL_A},stu-0001,2025-05-12,absent,illness`,
      `${SCHOOL_A},ep-0001,2025-05-13,absent,`,
      `${SCHOOL_A},stu-0002,2025-05-12,late,`,
      `${SCHOOL_B},stu-0003,2025-05-12,counted_present,`,
    ].join('\n');

    it('loads rows keyed by pseudonym, resolving userIds to the same student', async () => {
      const report = await ingest(write('attendance.csv', good));
      expect(report).toMatchObject({ status: 'loaded', rowsRead: 4, rowsLoaded: 4, rowsRejected: 0, errors: 0 });
      const rows = await t.warehouse.all<{ student_pid: string; n: bigint }>(
        `SELECT student_pid, count(*) AS n FROM attendance_days WHERE school_code = $1 GROUP BY 1 ORDER BY 1`,
        [SCHOOL_A],
      );
      const one = pseudonymizer.pseudonym('stu-0001');
      expect(rows.find((r) => r.student_pid === one)?.n).toBe(2n);
      expect(
        await count(
          `SELECT count(*) AS n FROM attendance_days WHERE student_pid = $1 AND reason IS NULL AND status = 'absent'`,
          [one],
        ),
      ).toBe(1);
    });

    it('treats the same file again as a no-op that says so', async () => {
      const report = await ingest(write('attendance.csv', good));
      expect(report.status).toBe('noop');
      expect(report.feeds[0].skipped).toMatch(/^already loaded in batch /);
      expect(await count('SELECT count(*) AS n FROM attendance_days')).toBe(4);
    });

    it('replaces older rows by student and day instead of adding duplicates', async () => {
      const report = await ingest(
        write(
          'attendance.csv',
          ['school_code,student_id,date,status,reason', `${SCHOOL_A},la-0001,2025-05-12,absent,non_attendance`].join(
            '\n',
          ),
        ),
      );
      expect(report.status).toBe('loaded');
      expect(await count('SELECT count(*) AS n FROM attendance_days')).toBe(4);
      const [row] = await t.warehouse.all<{ reason: string }>(
        `SELECT reason FROM attendance_days WHERE student_pid = $1 AND day = DATE '2025-05-12'`,
        [pseudonymizer.pseudonym('stu-0001')],
      );
      expect(row.reason).toBe('non_attendance');
    });

    it('replaces a day sent again under another school (a late transfer): one row, and both schools refreshed', async () => {
      // stu-0003 also enrolled at school A this year (a transfer), with a day recorded at A first.
      const three = pseudonymizer.pseudonym('stu-0003');
      await t.warehouse.transaction((session) =>
        session.run(
          `INSERT INTO enrolments (student_pid, school_code, academic_year, grade, special_needs) VALUES ($1, $2, 2025, 'P6', false)`,
          [three, SCHOOL_A],
        ),
      );
      expect(
        (
          await ingest(
            write(
              'attendance.csv',
              ['school_code,student_id,date,status,reason', `${SCHOOL_A},stu-0003,2025-05-20,absent,illness`].join(
                '\n',
              ),
            ),
          )
        ).status,
      ).toBe('loaded');
      // The correction: that day belongs to school B. The file holds school B only.
      expect(
        (
          await ingest(
            write(
              'attendance.csv',
              ['school_code,student_id,date,status,reason', `${SCHOOL_B},stu-0003,2025-05-20,absent,other`].join('\n'),
            ),
          )
        ).status,
      ).toBe('loaded');
      const rows = await t.warehouse.all<{ school_code: string; reason: string }>(
        `SELECT school_code, reason FROM attendance_days WHERE student_pid = $1 AND day = DATE '2025-05-20'`,
        [three],
      );
      expect(rows).toEqual([{ school_code: SCHOOL_B, reason: 'other' }]);
      const absences = await t.warehouse.all<{ school_code: string; absent_days: number }>(
        `SELECT school_code, absent_days FROM student_year_attendance WHERE student_pid = $1 AND academic_year = 2025 ORDER BY school_code`,
        [three],
      );
      expect(absences).toEqual([
        { school_code: SCHOOL_A, absent_days: 0 },
        { school_code: SCHOOL_B, absent_days: 1 },
      ]);
      await t.warehouse.transaction((session) =>
        session.run(
          `DELETE FROM attendance_records WHERE student_ref = (SELECT student_ref FROM student_refs WHERE student_pid = $1) AND day = DATE '2025-05-20'`,
          [three],
        ),
      );
      await t.warehouse.transaction((session) =>
        session.run(`DELETE FROM enrolments WHERE student_pid = $1 AND school_code = $2`, [three, SCHOOL_A]),
      );
    });

    it('reads values with spaces at either end (U+3000 too) and capitals as the plain values; a blank student_id is missing', async () => {
      const lines = [
        'school_code,student_id,date,status,reason',
        ` ${SCHOOL_A} , stu-0002\u3000,2025-05-21 ,Absent, ILLNESS`,
        `${SCHOOL_A},   ,2025-05-22,present,`,
      ];
      const rejected = await ingest(write('attendance.csv', lines.join('\n')));
      expect(rejected.status).toBe('rejected');
      expect(rejected.problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.column, p.rule])).toEqual([
        [3, 'student_id', 'student_id is required'],
      ]);
      expect((await ingest(write('attendance.csv', lines.slice(0, 2).join('\n')))).status).toBe('loaded');
      const two = pseudonymizer.pseudonym('stu-0002');
      const rows = await t.warehouse.all(
        `SELECT school_code, status, reason FROM attendance_days WHERE student_pid = $1 AND day = DATE '2025-05-21'`,
        [two],
      );
      expect(rows).toEqual([{ school_code: SCHOOL_A, status: 'absent', reason: 'illness' }]);
      await t.warehouse.transaction((session) =>
        session.run(
          `DELETE FROM attendance_records WHERE student_ref = (SELECT student_ref FROM student_refs WHERE student_pid = $1) AND day = DATE '2025-05-21'`,
          [two],
        ),
      );
    });

    it('finds a day repeated for a student under two schools in one file', async () => {
      const three = pseudonymizer.pseudonym('stu-0003');
      await t.warehouse.transaction((session) =>
        session.run(
          `INSERT INTO enrolments (student_pid, school_code, academic_year, grade, special_needs) VALUES ($1, $2, 2025, 'P6', false)`,
          [three, SCHOOL_A],
        ),
      );
      const report = await ingest(
        write(
          'attendance.csv',
          [
            'school_code,student_id,date,status,reason',
            `${SCHOOL_A},stu-0003,2025-05-26,absent,illness`,
            `${SCHOOL_B},stu-0003,2025-05-26,present,`,
          ].join('\n'),
        ),
      );
      await t.warehouse.transaction((session) =>
        session.run(`DELETE FROM enrolments WHERE student_pid = $1 AND school_code = $2`, [three, SCHOOL_A]),
      );
      expect(report.status).toBe('rejected');
      expect(report.problems.map((p) => [p.row, p.column, p.rule])).toEqual([
        [3, 'date', 'repeats an earlier row for the same student and day'],
      ]);
    });

    const bad = [
      '\uFEFFschool_code,student_id,date,status,reason',
      `${SCHOOL_A},stu-0001,2025-06-01,absent,sick`, // 2: reason outside the vocabulary
      `${SCHOOL_A},stu-9999,2025-06-02,absent,illness`, // 3: unknown student
      `${SCHOOL_A},stu-0002,2025-13-01,present,`, // 4: not a date
      `${SCHOOL_A},stu-0002,2025-06-03,away,`, // 5: status outside the vocabulary
      `${SCHOOL_A},stu-0003,2025-06-03,absent,illness`, // 6: student of school B
      `B113210000010,stu-0001,2025-06-04,absent,`, // 7: check digit
      `${SCHOOL_A},stu-0002,2025-06-05,late,illness`, // 8: reason on a non-absence
      `${SCHOOL_A},stu-0002,2025-06-06,absent,other`, // 9: fine
      `${SCHOOL_A},stu-0002,2025-06-06,absent,other`, // 10: duplicate of 9
      `${SCHOOL_A},stu-0002`, // 11: malformed line
      `${SCHOOL_A},stu-0002,2025-06-09,absent,other`, // 12: fine
    ].join('\n');

    it('rejects a file with errors as a whole, naming file, row, column and rule, with person IDs withheld', async () => {
      const before = await count('SELECT count(*) AS n FROM attendance_days');
      const report = await ingest(write('attendance.csv', bad));
      expect(report.status).toBe('rejected');
      expect(report.rowsLoaded).toBe(0);
      expect(await count('SELECT count(*) AS n FROM attendance_days')).toBe(before);
      const found = report.problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.column, p.rule]);
      expect(found).toEqual(
        expect.arrayContaining([
          [2, 'reason', expect.stringContaining('reason must be one of')],
          [3, 'student_id', 'student_id matches no roster student (sourcedId or userIds)'],
          [4, 'date', 'not a date (YYYY-MM-DD)'],
          [5, 'status', expect.stringContaining('status must be one of')],
          [6, 'student_id', expect.stringContaining('not enrolled at this school')],
          [7, 'school_code', expect.stringContaining('not a valid MEXT school code')],
          [8, 'reason', 'a reason is given only for an absence'],
          [10, 'date', 'repeats an earlier row for the same student and day'],
          [11, null, expect.stringContaining('malformed CSV line')],
        ]),
      );
      expect(report.problems.every((p) => p.file === 'attendance.csv')).toBe(true);
      expect(report.problems.find((p) => p.row === 3)?.value).toBe('(withheld)');
      const text = JSON.stringify(report);
      for (const raw of ['stu-0001', 'stu-0002', 'stu-0003', 'stu-9999']) expect(text).not.toContain(raw);
    });

    it('with acceptPartial loads the valid rows and keeps the rejects in the report', async () => {
      const report = await ingest(write('attendance.csv', bad), { acceptPartial: true });
      expect(report.status).toBe('partial');
      expect(report.rowsLoaded).toBe(2);
      expect(
        await count(`SELECT count(*) AS n FROM attendance_days WHERE day IN (DATE '2025-06-06', DATE '2025-06-09')`),
      ).toBe(2);
      expect(report.rowsRejected).toBe(8);
    });
  });

  it('loads a school calendar and warns about attendance on a day that is not a school day', async () => {
    const calendar = await ingest(
      write(
        'school_calendar.csv',
        ['school_code,date', `${SCHOOL_A},2025-07-01`, `${SCHOOL_A},2025-07-02`, `${SCHOOL_A},2025-07-05`].join('\n'),
      ),
    );
    expect(calendar).toMatchObject({ status: 'loaded', rowsLoaded: 3, warnings: 1 });
    expect(calendar.problems[0]).toMatchObject({
      severity: 'warning',
      row: 4,
      rule: 'a Saturday or Sunday listed as a school day',
    });
    const attendance = await ingest(
      write(
        'attendance.csv',
        ['school_code,student_id,date,status,reason', `${SCHOOL_A},stu-0001,2025-07-03,absent,illness`].join('\n'),
      ),
    );
    expect(attendance).toMatchObject({ status: 'loaded', warnings: 1 });
    expect(attendance.problems[0]).toMatchObject({
      severity: 'warning',
      row: 2,
      column: 'date',
      rule: 'not a school day in the school calendar',
    });
  });

  it('loads assessments and refuses a score above max_score', async () => {
    const header = 'school_code,student_id,assessment_id,subject,administered_on,score,max_score';
    const ok = await ingest(
      write(
        'assessments.csv',
        [
          header,
          `${SCHOOL_A},ep-0001,muni-2025-P4-math,math,2025-04-22,78,100`,
          `${SCHOOL_A},stu-0002,muni-2025-P4-math,math,2025-04-22,64.5,100`,
        ].join('\n'),
      ),
    );
    expect(ok).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
    const [mean] = await t.warehouse.all<{ m: number }>(
      `SELECT avg(score) AS m FROM assessment_results WHERE assessment_id = 'muni-2025-P4-math'`,
    );
    expect(mean.m).toBeCloseTo(71.25);
    const bad = await ingest(
      write(
        'assessments.csv',
        [header, `${SCHOOL_A},stu-0002,muni-2025-P4-japanese,japanese,2025-04-22,120,100`].join('\n'),
      ),
    );
    expect(bad.status).toBe('rejected');
    expect(bad.problems).toEqual([
      expect.objectContaining({ row: 2, column: 'score', rule: 'score must be between 0 and max_score', value: '120' }),
    ]);
  });

  it('loads guidance records and requires a MEXT type code for bullying', async () => {
    const header = 'school_code,student_id,recorded_on,category,type_code,discovered_by,resolved,serious';
    const ok = await ingest(
      write(
        'guidance_records.csv',
        [
          header,
          `${SCHOOL_A},stu-0001,2025-06-10,bullying,1,survey,true,false`,
          `${SCHOOL_B},stu-0003,2025-06-11,violence,,teacher,false,false`,
        ].join('\n'),
      ),
    );
    expect(ok).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
    expect(
      await count(
        `SELECT count(*) AS n FROM guidance_records WHERE category = 'bullying' AND resolved AND NOT serious`,
      ),
    ).toBe(1);
    const bad = await ingest(
      write(
        'guidance_records.csv',
        [header, `${SCHOOL_A},stu-0002,2025-06-12,bullying,,teacher,maybe,false`].join('\n'),
      ),
    );
    expect(bad.problems.map((p) => p.column).sort()).toEqual(['discovered_by', 'resolved', 'type_code']);
    expect(bad.problems.find((p) => p.column === 'discovered_by')).toMatchObject({ severity: 'warning', row: 2 });

    // MEXT's categories in the existing columns (README): a value outside them loads, with a warning naming it.
    const odd = await ingest(
      write(
        'guidance_records.csv',
        [
          header,
          `${SCHOOL_A},stu-0001,2025-07-01,bullying,2,principal,false,false`,
          `${SCHOOL_B},stu-0003,2025-07-02,violence,student_in,,false,false`,
          `${SCHOOL_B},stu-0003,2025-07-03,violence,kick,,false,false`,
        ].join('\n'),
      ),
    );
    expect(odd).toMatchObject({ status: 'loaded', rowsLoaded: 3 });
    expect(odd.problems).toEqual([
      expect.objectContaining({ severity: 'warning', row: 2, column: 'discovered_by', value: 'principal' }),
      expect.objectContaining({ severity: 'warning', row: 4, column: 'type_code', value: 'kick' }),
    ]);
  });

  it('loads programme participation and refuses an unknown school', async () => {
    const header = 'programme_id,programme_name,school_code,start_date,end_date';
    const ok = await ingest(
      write(
        'programmes.csv',
        [
          header,
          `ict-home,ICT家庭学習支援,${SCHOOL_A},2025-04-01,`,
          `ict-home,ICT家庭学習支援,${SCHOOL_B},2024-04-01,2025-03-31`,
        ].join('\n'),
      ),
    );
    expect(ok).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
    const bad = await ingest(
      write('programmes.csv', [header, `reading,読書推進,B113210000023,2025-04-01,`].join('\n')),
    );
    expect(bad.problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'school_code',
        rule: 'school is not in the warehouse or in this batch’s rosters',
      }),
    ]);
  });

  describe('over HTTP', () => {
    it('lets a school upload its own attendance, and makes another school’s rows errors', async () => {
      const own = await t
        .http()
        .post('/api/ingest')
        .set(bearer(t.tokens.schoolA))
        .attach(
          'files',
          Buffer.from(
            ['school_code,student_id,date,status,reason', `${SCHOOL_A},stu-0002,2025-09-01,absent,illness`].join('\n'),
          ),
          'attendance.csv',
        )
        .expect(201);
      expect(own.body).toMatchObject({ status: 'loaded', rowsLoaded: 1 });
      const fetched = await t
        .http()
        .get(`/api/ingest/batches/${own.body.batchId}`)
        .set(bearer(t.tokens.schoolA))
        .expect(200);
      expect(fetched.body.status).toBe('loaded');
      await t.http().get(`/api/ingest/batches/${own.body.batchId}`).set(bearer(t.tokens.schoolB)).expect(403);

      const other = await t
        .http()
        .post('/api/ingest')
        .set(bearer(t.tokens.schoolA))
        .attach(
          'files',
          Buffer.from(
            ['school_code,student_id,date,status,reason', `${SCHOOL_B},stu-0003,2025-09-01,absent,illness`].join('\n'),
          ),
          'attendance.csv',
        )
        .expect(422);
      expect(other.body.error.report.status).toBe('rejected');
      expect(other.body.error.report.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            row: 2,
            column: 'school_code',
            rule: 'a school may upload rows of its own school only',
          }),
        ]),
      );
    });

    it('keeps schools from uploading programmes, and analysts from uploading at all', async () => {
      const file = Buffer.from(
        ['programme_id,programme_name,school_code,start_date,end_date', `x,X,${SCHOOL_A},2025-04-01,`].join('\n'),
      );
      await t
        .http()
        .post('/api/ingest')
        .set(bearer(t.tokens.schoolA))
        .attach('files', file, 'programmes.csv')
        .expect(403);
      await t
        .http()
        .post('/api/ingest')
        .set(bearer(t.tokens.analyst))
        .attach('files', file, 'programmes.csv')
        .expect(403);
    });

    it('answers an upload without files with 400 naming the field', async () => {
      const response = await t
        .http()
        .post('/api/ingest')
        .set(bearer(t.tokens.board))
        .field('acceptPartial', 'true')
        .expect(400);
      expect(response.body.error.fields).toEqual([expect.objectContaining({ field: 'files' })]);
    });
  });
});
