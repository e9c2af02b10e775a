import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey, readPseudonymKey } from '../../src/config/pseudonym-key.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { enrollmentId, townBulk, townRows, writeOneRosterPackage, type Row } from '../factories/oneroster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';
import { textOf } from '../../src/common/text-of.js';

// A type, not an interface: the warehouse's row type wants an index signature.
type YearRecord = {
  academic_year: number;
  school_code: string;
  student_pid: string;
  grade: string | null;
  homeroom_id: string | null;
  special_needs: boolean;
  sex: string | null;
  school_days: number;
  excused_days: number;
  required_days: number;
  absent_days: number;
  attended_days: number;
  main_reason: string | null;
};

/**
 * The same record recomputed here from the daily rows, as DOMAIN.md defines it (and as migration 003's
 * views did): the table the ingest keeps must equal it after every kind of batch.
 */
const FROM_DAILY_ROWS = `
WITH days AS (
  SELECT school_code, academic_year, count(*) AS school_days FROM school_days GROUP BY ALL
  UNION ALL
  SELECT a.school_code, a.academic_year, count(DISTINCT a.day) FROM attendance_days a
  WHERE NOT EXISTS (SELECT 1 FROM school_days d WHERE d.school_code = a.school_code AND d.academic_year = a.academic_year)
  GROUP BY ALL
),
by_reason AS (
  SELECT student_pid, school_code, academic_year, coalesce(reason, 'other') AS reason, count(*) AS days
  FROM attendance_days WHERE status = 'absent' GROUP BY ALL
),
absences AS (
  SELECT student_pid, school_code, academic_year, sum(days) AS absent_days,
         CASE WHEN count(*) FILTER (WHERE days = (SELECT max(days) FROM by_reason m WHERE m.student_pid = r.student_pid AND m.school_code = r.school_code AND m.academic_year = r.academic_year)) > 1
              THEN 'other' ELSE arg_max(reason, days) END AS main_reason
  FROM by_reason r GROUP BY ALL
),
excused AS (
  SELECT student_pid, school_code, academic_year, count(*) AS excused_days
  FROM attendance_days WHERE status IN ('suspension', 'mourning', 'closure') GROUP BY ALL
)
SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.homeroom_id, e.special_needs, s.sex,
       d.school_days::INTEGER AS school_days,
       coalesce(x.excused_days, 0)::INTEGER AS excused_days,
       (d.school_days - coalesce(x.excused_days, 0))::INTEGER AS required_days,
       coalesce(a.absent_days, 0)::INTEGER AS absent_days,
       (d.school_days - coalesce(x.excused_days, 0) - coalesce(a.absent_days, 0))::INTEGER AS attended_days,
       a.main_reason
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
JOIN days d ON d.school_code = e.school_code AND d.academic_year = e.academic_year
LEFT JOIN absences a ON a.student_pid = e.student_pid AND a.school_code = e.school_code AND a.academic_year = e.academic_year
LEFT JOIN excused x ON x.student_pid = e.student_pid AND x.school_code = e.school_code AND x.academic_year = e.academic_year`;

const ORDER = 'ORDER BY academic_year, school_code, student_pid';

/** Assessment and guidance rows whose grade or enrolled differs from their enrolment's (none, when in step). */
const FACTS_OUT_OF_STEP = ['assessment_results', 'guidance_records']
  .map(
    (
      table,
    ) => `SELECT '${table}' AS facts, f.student_pid, f.school_code, f.academic_year, f.grade, f.enrolled, e.grade AS enrolment_grade
                FROM ${table} f LEFT JOIN enrolments e ON e.student_pid = f.student_pid AND e.school_code = f.school_code AND e.academic_year = f.academic_year
                WHERE f.enrolled IS DISTINCT FROM (e.student_pid IS NOT NULL) OR f.grade IS DISTINCT FROM e.grade`,
  )
  .join(' UNION ALL ');

/** The figures by grade as they were computed before grades were kept on the rows: joined to enrolments. */
const BY_GRADE_JOINED: Record<string, string> = {
  'assessment.mean_score': `SELECT a.school_code, e.grade, a.subject, round(avg(a.score)::DECIMAL(18, 6), 2)::DOUBLE AS value
    FROM assessment_results a JOIN enrolments e ON e.student_pid = a.student_pid AND e.school_code = a.school_code AND e.academic_year = a.academic_year
    WHERE a.academic_year = $1 GROUP BY ALL ORDER BY ALL`,
  'guidance.bullying_cases': `SELECT g.school_code, e.grade, g.type_code AS type, count(*)::DOUBLE AS value
    FROM guidance_records g JOIN enrolments e ON e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
    WHERE g.academic_year = $1 AND g.category = 'bullying' GROUP BY ALL ORDER BY ALL`,
};

/** Weekdays from 12 to 23 May of a year: ten school days. */
const MAY_DAYS = (fy: number) => [12, 13, 14, 15, 16, 19, 20, 21, 22, 23].map((d) => `${fy}-05-${d}`);

describe('tables the ingest derives (the per-student year record, the grade on fact rows), kept in step batch by batch (real DuckDB, real control plane)', () => {
  let t: TestApp;
  let pid: (rawId: string) => string;
  let dir: string;
  let folders = 0;

  const ingest = (path: string) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR));
  /** One batch of CSV files (name → lines). */
  const ingestFiles = (files: Record<string, string[]>) => {
    const folder = mkdtempSync(join(dir, `batch-${folders++}-`));
    for (const [name, lines] of Object.entries(files)) writeFileSync(join(folder, name), `${lines.join('\n')}\n`);
    return ingest(folder);
  };
  const kept = () => t.warehouse.all<YearRecord>(`SELECT * FROM student_year_attendance ${ORDER}`);
  const recomputed = () => t.warehouse.all<YearRecord>(`SELECT * FROM (${FROM_DAILY_ROWS}) ${ORDER}`);
  /** Every derived table equals what it is derived from; returns the per-student records. */
  const inStep = async () => {
    const rows = await kept();
    expect(rows).toEqual(await recomputed());
    expect(await t.warehouse.all(FACTS_OUT_OF_STEP)).toEqual([]);
    const metrics = t.app.get(MetricsService);
    for (const [metric, joined] of Object.entries(BY_GRADE_JOINED)) {
      for (const year of [2025, 2026]) {
        const expected = (
          await t.warehouse.all<{ school_code: string; value: number } & Record<string, unknown>>(joined, [year])
        ).map(({ school_code, value, ...dims }) => ({
          schoolCode: school_code,
          dims: Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, textOf(v)])),
          value,
        }));
        expect({ metric, year, rows: await metrics.values(metric, { academicYear: year }) }).toEqual({
          metric,
          year,
          rows: expected,
        });
      }
    }
    return rows;
  };
  const enrolledFacts = async (table: string, id: string, school: string) =>
    t.warehouse.all<{ grade: string | null; enrolled: boolean }>(
      `SELECT grade, enrolled FROM ${table} WHERE student_pid = $1 AND school_code = $2 ORDER BY ALL`,
      [pid(id), school],
    );
  const recordOf = (rows: YearRecord[], id: string, school: string, year = 2025) =>
    rows.find((r) => r.student_pid === pid(id) && r.school_code === school && r.academic_year === year);

  beforeAll(async () => {
    t = await startTestApp();
    const keyFile = t.stores.config.pseudonymKeyFile!;
    ensurePseudonymKey(keyFile);
    const pseudonymizer = new Pseudonymizer(readPseudonymKey(keyFile));
    pid = (rawId) => pseudonymizer.pseudonym(rawId);
    dir = mkdtempSync(join(t.stores.dir, 'student-years-'));
  });
  afterAll(async () => t?.close());

  it('has no record for a school and year without school days, even with enrolments', async () => {
    expect(await ingest(writeOneRosterPackage(dir, 'fy2025', townBulk(2025)))).toMatchObject({
      status: 'loaded',
      errors: 0,
    });
    expect(await t.warehouse.all('SELECT count(*)::INTEGER AS n FROM enrolments')).toEqual([{ n: 7 }]);
    expect(await inStep()).toEqual([]);
  });

  it('follows calendars and attendance: a record per enrolled student, with days and the main reason', async () => {
    const report = await ingestFiles({
      'school_calendar.csv': [
        'school_code,date',
        ...MAY_DAYS(2025).flatMap((day) => [`${SCHOOL_A},${day}`, `${SCHOOL_B},${day}`]),
      ],
      'attendance.csv': [
        'school_code,student_id,date,status,reason',
        `${SCHOOL_A},stu-0001,2025-05-12,absent,illness`,
        `${SCHOOL_A},stu-0001,2025-05-13,absent,illness`,
        `${SCHOOL_A},stu-0001,2025-05-14,mourning,`,
        `${SCHOOL_A},stu-0003,2025-05-12,absent,illness`,
        `${SCHOOL_A},stu-0003,2025-05-13,absent,`,
        `${SCHOOL_B},stu-0004,2025-05-12,absent,non_attendance`,
        `${SCHOOL_B},stu-0004,2025-05-13,absent,non_attendance`,
        `${SCHOOL_B},stu-0004,2025-05-14,late,`,
      ],
      'assessments.csv': [
        'school_code,student_id,assessment_id,subject,administered_on,score,max_score',
        `${SCHOOL_A},stu-0001,gakuryoku-2025,math,2025-05-20,70,100`,
        `${SCHOOL_A},stu-0002,gakuryoku-2025,math,2025-05-20,81,100`,
        `${SCHOOL_A},stu-0003,gakuryoku-2025,math,2025-05-20,64,100`,
        `${SCHOOL_B},stu-0002,tsukyu-2025,japanese,2025-05-21,55,100`,
        `${SCHOOL_B},stu-0004,gakuryoku-2025,math,2025-05-20,90,100`,
      ],
      'guidance_records.csv': [
        'school_code,student_id,recorded_on,category,type_code,discovered_by,resolved,serious',
        `${SCHOOL_A},stu-0001,2025-05-15,bullying,1,survey,true,false`,
        `${SCHOOL_B},stu-0002,2025-05-16,bullying,2,teacher,false,false`,
        `${SCHOOL_B},stu-0004,2025-05-16,violence,,teacher,true,false`,
      ],
    });
    expect(report).toMatchObject({ status: 'loaded', errors: 0 });
    const rows = await inStep();
    expect(rows).toHaveLength(7);
    expect(recordOf(rows, 'stu-0001', SCHOOL_A)).toMatchObject({
      grade: 'P1',
      sex: 'male',
      school_days: 10,
      excused_days: 1,
      required_days: 9,
      absent_days: 2,
      attended_days: 7,
      main_reason: 'illness',
    });
    // A tie between two reasons (an empty one counting as other) is other.
    expect(recordOf(rows, 'stu-0003', SCHOOL_A)).toMatchObject({ absent_days: 2, main_reason: 'other' });
    expect(recordOf(rows, 'stu-0004', SCHOOL_B)).toMatchObject({
      sex: 'female',
      absent_days: 2,
      attended_days: 8,
      main_reason: 'non_attendance',
    });
    expect(recordOf(rows, 'stu-0005', SCHOOL_B)).toMatchObject({
      absent_days: 0,
      attended_days: 10,
      main_reason: null,
    });
    expect(await enrolledFacts('assessment_results', 'stu-0001', SCHOOL_A)).toEqual([{ grade: 'P1', enrolled: true }]);
    expect(await enrolledFacts('guidance_records', 'stu-0002', SCHOOL_B)).toEqual([{ grade: 'P2', enrolled: true }]);
  });

  it('follows roster deltas: a grade corrected and an enrolment ended, then only a sex changed', async () => {
    const at = '2025-06-01T09:00:00.000Z';
    const town = townRows(2025);
    const active = (row: Row) => ({ ...row, status: 'active', dateLastModified: at });
    const changes = await ingest(
      writeOneRosterPackage(dir, 'delta', {
        files: {
          users: {
            mode: 'delta',
            rows: [active({ ...town.users.find((u) => u.sourcedId === 'stu-0001')!, grades: 'P2' })],
          },
          enrollments: {
            mode: 'delta',
            rows: [
              {
                ...town.enrollments.find((e) => e.sourcedId === enrollmentId(2025, 'stu-0002', 'B-TSUKYU'))!,
                status: 'tobedeleted',
                dateLastModified: at,
              },
            ],
          },
        },
      }),
    );
    expect(changes).toMatchObject({ status: 'loaded', errors: 0 });
    let rows = await inStep();
    expect(recordOf(rows, 'stu-0001', SCHOOL_A)).toMatchObject({ grade: 'P2', absent_days: 2 });
    expect(recordOf(rows, 'stu-0002', SCHOOL_B)).toBeUndefined();
    expect(rows).toHaveLength(6);
    // The rows follow their enrolment: the corrected grade, and out of the figures once the enrolment ended.
    expect(await enrolledFacts('assessment_results', 'stu-0001', SCHOOL_A)).toEqual([{ grade: 'P2', enrolled: true }]);
    expect(await enrolledFacts('assessment_results', 'stu-0002', SCHOOL_B)).toEqual([{ grade: null, enrolled: false }]);
    expect(await enrolledFacts('guidance_records', 'stu-0002', SCHOOL_B)).toEqual([{ grade: null, enrolled: false }]);
    // Demographics alone change no enrolment: the student's records follow all the same.
    const sex = await ingest(
      writeOneRosterPackage(dir, 'delta-sex', {
        files: {
          demographics: {
            mode: 'delta',
            rows: [active({ ...town.demographics.find((d) => d.sourcedId === 'stu-0004')!, sex: 'male' })],
          },
        },
      }),
    );
    expect(sex).toMatchObject({ status: 'loaded', errors: 0 });
    rows = await inStep();
    expect(recordOf(rows, 'stu-0004', SCHOOL_B)).toMatchObject({ sex: 'male', absent_days: 2 });
  });

  it('follows a new year: school days from attendance where no calendar came, replaced rows, a school whose students all left', async () => {
    expect(
      await ingest(writeOneRosterPackage(dir, 'fy2026', townBulk(2026, { without: ['stu-0002', 'stu-0006'] }))),
    ).toMatchObject({ status: 'loaded', errors: 0 });
    const before2025 = (await inStep()).filter((r) => r.academic_year === 2025);
    expect(before2025).toHaveLength(6);
    // School B sends attendance without a calendar: its school days are the dates seen.
    const attendance = await ingestFiles({
      'attendance.csv': [
        'school_code,student_id,date,status,reason',
        `${SCHOOL_B},stu-0004,2026-05-12,absent,illness`,
        `${SCHOOL_B},stu-0005,2026-05-13,suspension,`,
      ],
      'assessments.csv': [
        'school_code,student_id,assessment_id,subject,administered_on,score,max_score',
        `${SCHOOL_B},stu-0005,gakuryoku-2026,math,2026-05-20,77,100`,
      ],
      'guidance_records.csv': [
        'school_code,student_id,recorded_on,category,type_code,discovered_by,resolved,serious',
        `${SCHOOL_B},stu-0004,2026-05-18,bullying,8,parent,false,false`,
      ],
    });
    expect(attendance).toMatchObject({ status: 'loaded', errors: 0 });
    let rows = await inStep();
    expect(rows.filter((r) => r.academic_year === 2025)).toEqual(before2025);
    expect(rows.filter((r) => r.academic_year === 2026).map((r) => [r.school_code, r.school_days])).toEqual([
      [SCHOOL_B, 2],
      [SCHOOL_B, 2],
    ]);
    // A newer row for the same student and day replaces the older one.
    expect(
      await ingestFiles({
        'attendance.csv': ['school_code,student_id,date,status,reason', `${SCHOOL_B},stu-0004,2026-05-12,late,`],
      }),
    ).toMatchObject({ status: 'loaded' });
    rows = await inStep();
    expect(recordOf(rows, 'stu-0004', SCHOOL_B, 2026)).toMatchObject({
      absent_days: 0,
      attended_days: 2,
      main_reason: null,
    });
    // The FY2026 roster sent again without school B's students: their enrolments go, and so do their records.
    const again = await ingest(
      writeOneRosterPackage(
        dir,
        'fy2026-again',
        townBulk(2026, { without: ['stu-0002', 'stu-0006', 'stu-0004', 'stu-0005'] }),
      ),
    );
    expect(again).toMatchObject({ status: 'loaded', errors: 0 });
    expect(
      await t.warehouse.all(
        `SELECT count(*)::INTEGER AS n FROM enrolments WHERE academic_year = 2026 AND school_code = $1`,
        [SCHOOL_B],
      ),
    ).toEqual([{ n: 0 }]);
    rows = await inStep();
    expect(rows.filter((r) => r.academic_year === 2026)).toEqual([]);
    expect(rows.filter((r) => r.academic_year === 2025)).toEqual(before2025);
    expect(
      await t.warehouse.all(
        `SELECT count(*)::INTEGER AS n FROM guidance_records WHERE academic_year = 2026 AND enrolled`,
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await t.warehouse.all(
        `SELECT count(*)::INTEGER AS n FROM assessment_results WHERE academic_year = 2025 AND enrolled`,
      ),
    ).toEqual([{ n: 4 }]);
  });
});
