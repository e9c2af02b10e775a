import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import type { Pseudonymizer } from '../../src/ingest/pseudonymizer.js';
import { seedCentralRoster } from '../factories/roster.factory.js';
import { SCHOOL_A, SCHOOL_B, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Daily attendance is stored by student number (student_refs, migrations/warehouse/007) and read
 * through the attendance_days view: every student numbered once, across the files of a batch and
 * across batches, and every row read back under its own pseudonym.
 */
describe('attendance storage by student number (real DuckDB and PostgreSQL)', () => {
  let t: TestApp;
  let pseudonymizer: Pseudonymizer;

  const ingest = (path: string) =>
    requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(path, CLI_ACTOR));
  const folder = (files: Record<string, string[]>) => {
    const root = mkdtempSync(join(t.stores.dir, 'batch-'));
    for (const [name, lines] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), ['school_code,student_id,date,status,reason', ...lines].join('\n'));
    }
    return root;
  };
  const stored = () =>
    t.warehouse.all<{ student_pid: string; day: string; status: string }>(
      `SELECT student_pid, CAST(day AS VARCHAR) AS day, status FROM attendance_days ORDER BY day, student_pid`,
    );

  beforeAll(async () => {
    t = await startTestApp();
    pseudonymizer = await seedCentralRoster(t, [
      { sourcedId: 'stu-0001', schoolCode: SCHOOL_A, grade: 'P4' },
      { sourcedId: 'stu-0002', schoolCode: SCHOOL_A, grade: 'P4' },
      { sourcedId: 'stu-0003', schoolCode: SCHOOL_B, grade: 'J1' },
      { sourcedId: 'stu-0004', schoolCode: SCHOOL_B, grade: 'J1' },
      { sourcedId: 'stu-0005', schoolCode: SCHOOL_B, grade: 'J1' },
    ]);
  });
  afterAll(async () => t.close());

  it('numbers each new student once across the files of one batch and across batches', async () => {
    const pid = (id: string) => pseudonymizer.pseudonym(id);
    const first = await ingest(
      folder({
        'a/attendance.csv': [`${SCHOOL_A},stu-0001,2025-05-12,absent,illness`, `${SCHOOL_A},stu-0002,2025-05-12,late,`],
        'b/attendance.csv': [`${SCHOOL_B},stu-0003,2025-05-12,absent,`, `${SCHOOL_A},stu-0002,2025-05-13,present,`],
      }),
    );
    expect(first).toMatchObject({ status: 'loaded', rowsLoaded: 4 });
    expect(first.feeds.filter((f) => f.kind === 'attendance')).toHaveLength(2);
    const second = await ingest(
      folder({
        'attendance.csv': [`${SCHOOL_B},stu-0004,2025-05-14,absent,other`, `${SCHOOL_A},stu-0001,2025-05-14,present,`],
      }),
    );
    expect(second).toMatchObject({ status: 'loaded', rowsLoaded: 2 });

    const refs = await t.warehouse.all<{ student_ref: number; student_pid: string }>(
      'SELECT student_ref, student_pid FROM student_refs ORDER BY student_ref',
    );
    expect(refs.map((r) => r.student_ref)).toEqual([1, 2, 3, 4]);
    expect(new Set(refs.map((r) => r.student_pid))).toEqual(
      new Set(['stu-0001', 'stu-0002', 'stu-0003', 'stu-0004'].map(pid)),
    );
    expect(await stored()).toEqual(
      [
        { student_pid: pid('stu-0001'), day: '2025-05-12', status: 'absent' },
        { student_pid: pid('stu-0002'), day: '2025-05-12', status: 'late' },
        { student_pid: pid('stu-0003'), day: '2025-05-12', status: 'absent' },
        { student_pid: pid('stu-0002'), day: '2025-05-13', status: 'present' },
        { student_pid: pid('stu-0001'), day: '2025-05-14', status: 'present' },
        { student_pid: pid('stu-0004'), day: '2025-05-14', status: 'absent' },
      ].sort((x, y) => (x.day + x.student_pid).localeCompare(y.day + y.student_pid)),
    );
  });

  it('keeps the numbers of a rejected batch out of the warehouse', async () => {
    const before = await t.warehouse.all('SELECT * FROM student_refs ORDER BY student_ref');
    const rejected = await ingest(
      folder({
        'attendance.csv': [`${SCHOOL_B},stu-0005,2025-05-15,absent,`, `${SCHOOL_B},stu-9999,2025-05-15,absent,`],
      }),
    );
    expect(rejected.status).toBe('rejected');
    expect(await t.warehouse.all('SELECT * FROM student_refs ORDER BY student_ref')).toEqual(before);
    expect((await ingest(folder({ 'attendance.csv': [`${SCHOOL_B},stu-0005,2025-05-15,absent,`] }))).status).toBe(
      'loaded',
    );
    expect(
      await t.warehouse.all('SELECT student_ref FROM student_refs WHERE student_pid = $1', [
        pseudonymizer.pseudonym('stu-0005'),
      ]),
    ).toEqual([{ student_ref: 5 }]);
  });
});
