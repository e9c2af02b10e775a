import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { IngestService, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { problemMessage } from '../../src/ingest/problems/problem-messages.js';
import type { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { seedCentralRoster } from '../factories/roster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * attendance.csv's optional `place` (where a day counted present, 指導要録上出席扱い, was spent): loaded the
 * direct way and row by row alike, and a bad value named by file, row, column and value, in Japanese by
 * default. Real DuckDB and PostgreSQL.
 */
describe('attendance place of a day counted present', () => {
  let t: TestApp;
  let pseudonymizer: Pseudonymizer;
  let fileCount = 0;

  const HEADER = 'school_code,student_id,date,status,reason,place';
  const write = (lines: string[]) => {
    const folder = mkdtempSync(join(t.stores.dir, `place-${fileCount++}-`));
    const path = join(folder, 'attendance.csv');
    writeFileSync(path, [HEADER, ...lines].join('\n') + '\n');
    return path;
  };
  const ingest = (path: string, options: IngestOptions = {}) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options));
  const places = () =>
    t.warehouse.all(
      `SELECT student_pid, CAST(day AS VARCHAR) AS day, status, place FROM attendance_days WHERE place IS NOT NULL ORDER BY ALL`,
    );

  beforeAll(async () => {
    t = await startTestApp();
    pseudonymizer = await seedCentralRoster(t, [
      { sourcedId: 'stu-0001', schoolCode: SCHOOL_A, grade: 'P4' },
      { sourcedId: 'stu-0002', schoolCode: SCHOOL_A, grade: 'P4' },
      { sourcedId: 'stu-0003', schoolCode: SCHOOL_B, grade: 'J1' },
    ]);
  });
  afterAll(async () => t.close());

  it.each([
    ['directly', true, '2025-05'],
    ['row by row', false, '2025-06'],
  ])('loads the place of each day counted present (%s)', async (_how, directLoad, month) => {
    const report = await ingest(
      write([
        `${SCHOOL_A},stu-0001,${month}-12,counted_present,,external_facility`,
        `${SCHOOL_A},stu-0001,${month}-13,counted_present,,ict_home`,
        `${SCHOOL_A},stu-0002,${month}-12,counted_present,,`,
        `${SCHOOL_B},stu-0003,${month}-12,absent,non_attendance,`,
      ]),
      { directLoad },
    );
    expect(report).toMatchObject({ status: 'loaded', rowsLoaded: 4, errors: 0 });
    expect(report.feeds[0].loadedDirectly).toBe(directLoad ? true : undefined);
    const pid = pseudonymizer.pseudonym('stu-0001');
    expect((await places()).filter((r) => (r.day as string).startsWith(month))).toEqual([
      { student_pid: pid, day: `${month}-12`, status: 'counted_present', place: 'external_facility' },
      { student_pid: pid, day: `${month}-13`, status: 'counted_present', place: 'ict_home' },
    ]);
  });

  it('rejects a place outside the vocabulary, and a place on a day not counted present, naming file, row, column and value', async () => {
    const before = await places();
    const report = await ingest(
      write([
        `${SCHOOL_A},stu-0001,2025-07-01,counted_present,,home`,
        `${SCHOOL_A},stu-0001,2025-07-02,counted_present,,ict_home`,
        `${SCHOOL_A},stu-0002,2025-07-01,absent,illness,external_facility`,
      ]),
    );
    expect(report).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
    const errors = report.problems.filter((p) => p.column === 'place').sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'attendance.csv',
        row: 2,
        column: 'place',
        value: 'home',
        code: 'attendance/rules:place_vocabulary',
        rule: 'place must be one of external_facility, ict_home, other or empty',
      }),
      expect.objectContaining({
        severity: 'error',
        file: 'attendance.csv',
        row: 4,
        column: 'place',
        value: 'external_facility',
        code: 'attendance/rules:place_not_counted_present',
        rule: 'a place is given only for a day counted present',
      }),
    ]);
    expect(problemMessage(errors[0], 'ja')).toBe(
      'place（出席扱いの場所）は external_facility（学校外の機関等）、ict_home（自宅でのICT等を活用した学習）、other（その他）のどれかか、空欄にしてください',
    );
    expect(problemMessage(errors[1], 'ja')).toBe(
      '出席扱いの場所（place）は出席扱い（counted_present）の行にだけ書けます',
    );
    expect(await places()).toEqual(before);
  });
});
