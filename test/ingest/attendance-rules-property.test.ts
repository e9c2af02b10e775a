import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { IngestService, type BatchReport, type IngestOptions } from '../../src/ingest/ingest.service.js';
import { seedCentralRoster } from '../factories/roster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * One rule set for attendance (queries/ingest/attendance/rules.sql): over generated files with random
 * defects, the direct load (which steps aside to the row-by-row way when a rule could fire) and the
 * row-by-row way give the same report and leave the same rows. Real DuckDB and PostgreSQL.
 */
describe('attendance: the direct and the row-by-row load agree (property)', () => {
  let t: TestApp;
  let fileCount = 0;
  const HEADER = 'school_code,student_id,date,status,reason,place';

  beforeAll(async () => {
    t = await startTestApp();
    await seedCentralRoster(t, [
      { sourcedId: 'stu-0001', schoolCode: SCHOOL_A, grade: 'P4', userIds: { LearningApp: 'la-0001' } },
      { sourcedId: 'stu-0002', schoolCode: SCHOOL_A, grade: 'P4' },
      { sourcedId: 'stu-0003', schoolCode: SCHOOL_B, grade: 'J1' },
    ]);
  });
  afterAll(async () => t.close());

  const ingest = (lines: string[], options: IngestOptions) => {
    const folder = mkdtempSync(join(t.stores.dir, `property-${++fileCount}-`));
    const path = join(folder, 'attendance.csv');
    // Blank lines at the end (which the reader skips) make each file new: a file loaded before is skipped.
    writeFileSync(path, [HEADER, ...lines].join('\n') + '\n'.repeat(fileCount));
    return requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR, options));
  };
  const snapshot = async () => ({
    days: await t.warehouse.all(
      `SELECT student_pid, school_code, CAST(day AS VARCHAR) AS day, academic_year, status, reason, place FROM attendance_days ORDER BY ALL`,
    ),
    summaries: await t.warehouse.all(`SELECT * FROM attendance_student_year ORDER BY ALL`),
    records: await t.warehouse.all(`SELECT * FROM student_year_attendance ORDER BY ALL`),
  });
  /** A report without what differs between two runs of the same rows (batch, timings, the file's bytes, which way it loaded). */
  const comparable = (report: BatchReport) => ({
    ...report,
    batchId: undefined,
    timingsMs: undefined,
    feeds: report.feeds.map((feed) => ({ ...feed, files: undefined, loadedDirectly: undefined })),
  });

  // A file: clean rows (each student and day once), with now and then a row that breaks one rule.
  const STUDENTS: [school: string, id: string, student: string][] = [
    [SCHOOL_A, 'stu-0001', '1'],
    [SCHOOL_A, 'la-0001', '1'],
    [SCHOOL_A, 'stu-0002', '2'],
    [SCHOOL_B, 'stu-0003', '3'],
  ];
  const DAYS = ['2025-05-12', '2025-05-13', '2025-05-14', '2025-06-02', '2025-06-03', '2026-01-13'];
  const clean = fc
    .uniqueArray(
      fc.record({
        who: fc.constantFrom(...STUDENTS),
        day: fc.constantFrom(...DAYS),
        status: fc.constantFrom('present', 'late', 'absent', 'suspension', 'counted_present'),
        reason: fc.constantFrom('', 'illness', 'economic', 'other'),
        place: fc.constantFrom('', 'external_facility', 'ict_home', 'other'),
      }),
      { minLength: 1, maxLength: 8, selector: (r) => `${r.who[2]}|${r.day}` },
    )
    .map((rows) =>
      rows.map(
        ({ who, day, status, reason, place }) =>
          `${who[0]},${who[1]},${day},${status},${status === 'absent' ? reason : ''},${status === 'counted_present' ? place : ''}`,
      ),
    );
  const defect = fc.constantFrom(
    `${SCHOOL_B},stu-0001,2025-05-15,absent,,`, // not enrolled there
    `B199999999991,stu-0001,2025-05-15,absent,,`, // unknown school
    `B113210000010,stu-0001,2025-05-15,absent,,`, // not a valid code
    `,stu-0001,2025-05-15,absent,,`, // no school
    `${SCHOOL_A},stu-9999,2025-05-15,absent,,`, // no such student
    `${SCHOOL_A},,2025-05-15,absent,,`, // no student
    `${SCHOOL_A}, stu-0002 ,2025-05-15,absent,,`, // spaces (cleaned)
    `${SCHOOL_A},stu-0002,2099-05-15,absent,,`, // in the future
    `${SCHOOL_A},stu-0002,2025-13-01,absent,,`, // not a date
    `${SCHOOL_A},stu-0002,2025/05/15,absent,,`, // another form of date (a warning)
    `${SCHOOL_A},stu-0002,,absent,,`, // no date
    `${SCHOOL_A},stu-0002,1969-12-31,absent,,`, // before 1970
    `${SCHOOL_A},stu-0002,2025-05-15,Absent,,`, // a capital (cleaned)
    `${SCHOOL_A},stu-0002,2025-05-15,away,,`, // outside the vocabulary
    `${SCHOOL_A},stu-0002,2025-05-15,,,`, // no status
    `${SCHOOL_A},stu-0002,2025-05-15,present,illness,`, // a reason for a day present
    `${SCHOOL_A},stu-0002,2025-05-15,absent,bogus,`, // a reason outside the vocabulary
    `${SCHOOL_A},stu-0002,2025-05-12,absent,,`, // the same day again (when drawn with it)
    `${SCHOOL_A},la-0001,2025-05-13,late,,`, // the same student and day under another ID (when drawn with it)
    `${SCHOOL_A},stu-0002,2025-05-15,counted_present,,home`, // a place outside the vocabulary
    `${SCHOOL_A},stu-0002,2025-05-15,counted_present,,ICT_Home`, // a place with capitals (cleaned)
    `${SCHOOL_A},stu-0002,2025-05-15,absent,,ict_home`, // a place for a day not counted present
    `${SCHOOL_A},stu-0002`, // a malformed line
  );
  const file = fc.tuple(clean, fc.array(fc.tuple(defect, fc.nat()), { maxLength: 2 })).map(([rows, defects]) => {
    const lines = [...rows];
    for (const [line, at] of defects) lines.splice(at % (lines.length + 1), 0, line);
    return lines;
  });

  it('gives the same report and rows for generated files with random defects', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.boolean(), async (lines, acceptPartial) => {
        const before = await snapshot();
        const direct = await ingest(lines, { acceptPartial });
        const afterDirect = await snapshot();
        const rowByRow = await ingest(lines, { acceptPartial, directLoad: false });
        expect(rowByRow.feeds[0].loadedDirectly).toBeUndefined();
        expect(comparable(direct)).toEqual(comparable(rowByRow));
        // The same rows: the row-by-row load of the same file replaces what the direct one wrote by
        // student and day, and leaves everything as it was; a rejected file left nothing.
        expect(await snapshot()).toEqual(afterDirect);
        if (direct.status === 'rejected') expect(afterDirect).toEqual(before);
      }),
      { numRuns: 25, seed: 20261203 },
    );
  });
});
