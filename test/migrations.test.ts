import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneMigrations } from '../migrations/index.js';
import { DataSource } from 'typeorm';
import { ProvenanceBatchSets1764892800000 } from '../migrations/1764892800000-provenance-batch-sets.js';
import { createDataSource, dataSourceOptions } from '../src/database/data-source.js';
import { batchSetId } from '../src/surveys/batch-sets.js';
import { ANSWERS_OF_RESPONSE } from '../src/surveys/response-rows.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { loadWarehouseMigrations, migrateWarehouse } from '../src/warehouse/warehouse-migrator.js';
import { freshStores, type TestStores } from './support/stores.js';

describe('control-plane migrations (on the real PostgreSQL when DATABASE_URL is set, else PGlite)', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await freshStores();
  });
  afterAll(async () => stores.cleanup());

  it('apply from empty, record what ran, and are a no-op the second time', async () => {
    const dataSource = createDataSource(stores.config);
    await dataSource.initialize();
    try {
      const before: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(before).toEqual([]);
      const ran = await dataSource.runMigrations();
      expect(ran.map((m) => m.name)).toEqual(controlPlaneMigrations.map((m) => m.name));
      const tables: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'api_tokens',
        'audit_events',
        'cohort_definitions',
        'control_plane_migrations',
        'ingest_batches',
        'ingest_files',
        'provenance_batch_sets',
        'report_runs',
        'support_case_notes',
        'support_case_referrals',
        'support_cases',
        'survey_answers',
        'survey_questions',
        'survey_reminders',
        'survey_responses',
        'surveys',
        'teacher_homerooms',
        'users',
        'watch_thresholds',
        'web_sessions',
      ]);
      expect(await dataSource.runMigrations()).toEqual([]);
      // The schema's own checks hold: a school user needs a school code, other roles must not have one.
      await expect(
        dataSource.query(
          `INSERT INTO users (id, name, role) VALUES ('00000000-0000-4000-8000-000000000001', 'x', 'school')`,
        ),
      ).rejects.toThrow(/users_school_role/);
      await expect(
        dataSource.query(
          `INSERT INTO users (id, name, role, school_code) VALUES ('00000000-0000-4000-8000-000000000002', 'y', 'analyst', 'B113210000014')`,
        ),
      ).rejects.toThrow(/users_school_role/);
      for (let i = 0; i < controlPlaneMigrations.length; i++) await dataSource.undoLastMigration();
      const after: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(after.map((t) => t.table_name)).toEqual(['control_plane_migrations']);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('the batch-set migration (answers issued before it)', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await freshStores();
  });
  afterAll(async () => stores.cleanup());

  it('moves each stored answer’s batches into a set named as the code names it, read back as before, and back on revert', async () => {
    const store = new DataSource({
      ...dataSourceOptions(stores.config),
      migrations: controlPlaneMigrations.slice(0, -1),
    });
    await store.initialize();
    const b1 = '11111111-1111-4111-8111-111111111111';
    const b2 = '22222222-2222-4222-8222-222222222222';
    const ids = {
      survey: '00000000-0000-4000-8000-0000000000a1',
      question: '00000000-0000-4000-8000-0000000000b1',
      other: '00000000-0000-4000-8000-0000000000b2',
      third: '00000000-0000-4000-8000-0000000000b3',
      response: '00000000-0000-4000-8000-0000000000c1',
      second: '00000000-0000-4000-8000-0000000000c2',
    };
    const provenance = (batches: string[]) => ({
      metric: 'enrolment.students',
      filter: {},
      academicYear: 2025,
      batches,
      computedAt: '2026-12-05T00:00:00.000Z',
    });
    try {
      await store.runMigrations();
      await store.query(
        `INSERT INTO surveys (id, title, description, academic_year, as_of_date, deadline, targets, status, created_by)
         VALUES ($1, '{"ja":"調査","en":"Survey"}', '{"ja":"","en":""}', 2025, '2025-05-01', '2026-05-31', '{"kind":"all"}', 'issued', 'cli')`,
        [ids.survey],
      );
      for (const [n, id] of [ids.question, ids.other, ids.third].entries())
        await store.query(
          `INSERT INTO survey_questions (id, survey_id, position, code, text, type) VALUES ($1, $2, $3, $4, '{"ja":"問","en":"Q"}', 'integer')`,
          [id, ids.survey, n, `q${n}`],
        );
      for (const [n, id] of [ids.response, ids.second].entries())
        await store.query(
          `INSERT INTO survey_responses (id, survey_id, school_code, school_name, status) VALUES ($1, $2, $3, '学校', 'not_opened')`,
          [id, ids.survey, `B10000000000${n}`],
        );
      const answer = (response: string, question: string, stored: unknown) =>
        store.query(
          `INSERT INTO survey_answers (id, response_id, question_id, value, source, provenance) VALUES (gen_random_uuid(), $1, $2, '3', $3, $4::jsonb)`,
          [response, question, stored ? 'prefilled' : 'manual', stored === null ? null : JSON.stringify(stored)],
        );
      await answer(ids.response, ids.question, provenance([b2, b1]));
      await answer(ids.second, ids.question, provenance([b2, b1]));
      await answer(ids.response, ids.other, provenance([]));
      await answer(ids.response, ids.third, null);
      // The last migration by hand, on the same store (an in-memory PGlite is gone once its source closes).
      const migration = new ProvenanceBatchSets1764892800000();
      // Each on its own runner, released after: an embedded PGlite lends its one session to one runner at a time.
      const runner = store.createQueryRunner();
      await migration.up(runner);
      await runner.release();
      const sets = await store.query<{ id: string; batches: string[] }[]>(
        `SELECT id, batches FROM provenance_batch_sets ORDER BY jsonb_array_length(batches)`,
      );
      // The batches in their stored order, named as the code names them: one set for the two answers that share it.
      expect(sets).toEqual([
        { id: batchSetId([]), batches: [] },
        { id: batchSetId([b2, b1]), batches: [b2, b1] },
      ]);
      const stored = await store.query<{ provenance: Record<string, unknown> | null }[]>(
        `SELECT provenance FROM survey_answers WHERE response_id = $1 ORDER BY question_id`,
        [ids.response],
      );
      expect(stored.map((r) => r.provenance)).toEqual(
        [
          { ...provenance([]), batches: undefined, batchSet: batchSetId([b2, b1]) },
          { ...provenance([]), batches: undefined, batchSet: batchSetId([]) },
          null,
        ].map((p) => (p ? JSON.parse(JSON.stringify(p)) : null)),
      );
      // A response's answers read for a person: the batches back in the provenance, as they were.
      const read = await store.query<{ provenance: unknown }[]>(ANSWERS_OF_RESPONSE, [ids.response]);
      expect(read.map((r) => r.provenance)).toEqual(
        expect.arrayContaining([provenance([b2, b1]), provenance([]), null]),
      );

      const back = store.createQueryRunner();
      await migration.down(back);
      await back.release();
      const reverted = await store.query<{ provenance: unknown }[]>(
        `SELECT provenance FROM survey_answers WHERE response_id = $1 ORDER BY question_id`,
        [ids.response],
      );
      expect(reverted.map((r) => r.provenance)).toEqual([provenance([b2, b1]), provenance([]), null]);
    } finally {
      await store.destroy();
    }
  });
});

describe('warehouse migrations (a real DuckDB file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shirube-wh-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('apply from empty, record what ran, survive a reopen and are a no-op the second time', async () => {
    const path = join(dir, 'warehouse.duckdb');
    const first = await Warehouse.open(path);
    expect(await migrateWarehouse(first)).toEqual([
      '001-init',
      '002-roster',
      '003-metric-views',
      '004-attendance-summaries',
      '005-student-year-attendance',
      '006-grade-on-facts',
      '007-attendance-records',
      '008-school-and-batch-refs',
      '009-loaded-batches-and-key',
      '010-watch-lists',
      '011-special-needs-disability',
      '012-counted-present-place',
    ]);
    await first.close();
    const second = await Warehouse.open(path);
    try {
      expect(await migrateWarehouse(second)).toEqual([]);
      const recorded = await second.all<{ id: number; name: string }>(
        'SELECT id, name FROM warehouse_migrations ORDER BY id',
      );
      expect(recorded).toEqual([
        { id: 1, name: 'init' },
        { id: 2, name: 'roster' },
        { id: 3, name: 'metric-views' },
        { id: 4, name: 'attendance-summaries' },
        { id: 5, name: 'student-year-attendance' },
        { id: 6, name: 'grade-on-facts' },
        { id: 7, name: 'attendance-records' },
        { id: 8, name: 'school-and-batch-refs' },
        { id: 9, name: 'loaded-batches-and-key' },
        { id: 10, name: 'watch-lists' },
        { id: 11, name: 'special-needs-disability' },
        { id: 12, name: 'counted-present-place' },
      ]);
      const tables = await second.all<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      const views = await second.all<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'VIEW' ORDER BY 1`,
      );
      expect(views.map((v) => v.table_name)).toEqual(['attendance_days']);
      expect(tables.map((t) => t.table_name)).toEqual([
        'academic_years',
        'assessment_results',
        'attendance_records',
        'attendance_student_year',
        'batch_refs',
        'enrolments',
        'guidance_records',
        'homerooms',
        'learning_activity',
        'loaded_batches',
        'programme_participation',
        'programmes',
        'pseudonym_key',
        'roster_classes',
        'roster_courses',
        'roster_demographics',
        'roster_enrollments',
        'roster_orgs',
        'roster_roles',
        'roster_sessions',
        'roster_users',
        'school_days',
        'school_refs',
        'school_year_days',
        'schools',
        'staff_counts',
        'student_identities',
        'student_refs',
        'student_year_attendance',
        'students',
        'warehouse_migrations',
        'watch_flags',
        'watch_refreshes',
      ]);
    } finally {
      await second.close();
    }
  });

  it('fills what 005 and 006 derive from the rows an older warehouse already holds, and 007 keeps its daily attendance', async () => {
    const warehouse = await Warehouse.open(join(dir, 'older.duckdb'));
    try {
      const migrations = loadWarehouseMigrations();
      await migrateWarehouse(warehouse, migrations.slice(0, 4));
      await warehouse.transaction(async (session) => {
        await session.script(`
          INSERT INTO students VALUES ('s1', 'female', NULL, 'b1'), ('s2', 'male', NULL, 'b1');
          INSERT INTO enrolments VALUES ('s1', 'A', 2025, 'P3', NULL, false, 'b1'), ('s2', 'A', 2025, NULL, NULL, false, 'b1');
          INSERT INTO school_year_days VALUES ('A', 2025, 200, 40, true);
          INSERT INTO attendance_student_year VALUES ('s1', 'A', 2025, 2, 31, 'illness');
          INSERT INTO assessment_results VALUES ('s1', 'A', 2025, 't1', 'math', DATE '2025-05-20', 70, 100, 'b2'), ('s3', 'A', 2025, 't1', 'math', DATE '2025-05-20', 80, 100, 'b2');
          INSERT INTO guidance_records VALUES ('r1', 's2', 'A', 2025, DATE '2025-06-01', 'bullying', '1', 'survey', true, false, 'b3');
          INSERT INTO attendance_days VALUES ('s2', 'A', DATE '2025-05-12', 2025, 'absent', 'illness', '0a9c1d7e-3b2f-4c55-9e61-0d2b8f7a4c13'),
                                             ('s1', 'A', DATE '2025-05-12', 2025, 'late', NULL, '0a9c1d7e-3b2f-4c55-9e61-0d2b8f7a4c13'),
                                             ('s1', 'A', DATE '2025-05-13', 2025, 'absent', NULL, '0a9c1d7e-3b2f-4c55-9e61-0d2b8f7a4c13');`);
      });
      expect(await migrateWarehouse(warehouse, migrations)).toEqual([
        '005-student-year-attendance',
        '006-grade-on-facts',
        '007-attendance-records',
        '008-school-and-batch-refs',
        '009-loaded-batches-and-key',
        '010-watch-lists',
        '011-special-needs-disability',
        '012-counted-present-place',
      ]);
      const batch = '0a9c1d7e-3b2f-4c55-9e61-0d2b8f7a4c13';
      expect(
        await warehouse.all(
          'SELECT student_pid, school_code, CAST(day AS VARCHAR) AS day, academic_year, status, reason, batch_id FROM attendance_days ORDER BY student_pid, day',
        ),
      ).toEqual([
        {
          student_pid: 's1',
          school_code: 'A',
          day: '2025-05-12',
          academic_year: 2025,
          status: 'late',
          reason: null,
          batch_id: batch,
        },
        {
          student_pid: 's1',
          school_code: 'A',
          day: '2025-05-13',
          academic_year: 2025,
          status: 'absent',
          reason: null,
          batch_id: batch,
        },
        {
          student_pid: 's2',
          school_code: 'A',
          day: '2025-05-12',
          academic_year: 2025,
          status: 'absent',
          reason: 'illness',
          batch_id: batch,
        },
      ]);
      expect(await warehouse.all('SELECT student_ref, student_pid FROM student_refs ORDER BY student_ref')).toEqual([
        { student_ref: 1, student_pid: 's1' },
        { student_ref: 2, student_pid: 's2' },
      ]);
      expect(await warehouse.all('SELECT * FROM student_year_attendance ORDER BY student_pid')).toEqual([
        {
          academic_year: 2025,
          school_code: 'A',
          student_pid: 's1',
          grade: 'P3',
          homeroom_id: null,
          special_needs: false,
          sex: 'female',
          school_days: 200,
          excused_days: 2,
          required_days: 198,
          absent_days: 31,
          attended_days: 167,
          main_reason: 'illness',
        },
        {
          academic_year: 2025,
          school_code: 'A',
          student_pid: 's2',
          grade: null,
          homeroom_id: null,
          special_needs: false,
          sex: 'male',
          school_days: 200,
          excused_days: 0,
          required_days: 200,
          absent_days: 0,
          attended_days: 200,
          main_reason: null,
        },
      ]);
      expect(
        await warehouse.all('SELECT student_pid, grade, enrolled FROM assessment_results ORDER BY student_pid'),
      ).toEqual([
        { student_pid: 's1', grade: 'P3', enrolled: true },
        { student_pid: 's3', grade: null, enrolled: false },
      ]);
      expect(await warehouse.all('SELECT student_pid, grade, enrolled FROM guidance_records')).toEqual([
        { student_pid: 's2', grade: null, enrolled: true },
      ]);
    } finally {
      await warehouse.close();
    }
  });

  it('008 numbers the schools and batches and keeps the daily rows of a warehouse at 007, read as before', async () => {
    const warehouse = await Warehouse.open(join(dir, 'at-007.duckdb'));
    try {
      const migrations = loadWarehouseMigrations();
      await migrateWarehouse(warehouse, migrations.slice(0, 7));
      const batch = '0a9c1d7e-3b2f-4c55-9e61-0d2b8f7a4c13';
      await warehouse.transaction(async (session) => {
        await session.script(`
          INSERT INTO schools (school_code, name, school_type, prefecture_code) VALUES ('B', '中央中学校', 'junior_high', '13'), ('C', '東小学校', 'elementary', '13');
          INSERT INTO student_refs VALUES (1, 's1'), (2, 's2');
          INSERT INTO attendance_records VALUES (1, 'B', DATE '2025-05-12', 2025, 'late', NULL, '${batch}'),
                                                (2, 'A', DATE '2025-05-12', 2025, 'absent', 'illness', '${batch}'),
                                                (2, 'B', DATE '2025-05-13', 2025, 'absent', NULL, NULL);`);
      });
      const before = await warehouse.all('SELECT * FROM attendance_days ORDER BY ALL');
      expect(await migrateWarehouse(warehouse, migrations)).toEqual([
        '008-school-and-batch-refs',
        '009-loaded-batches-and-key',
        '010-watch-lists',
        '011-special-needs-disability',
        '012-counted-present-place',
      ]);
      // 009: the batch the stored rows name is one the warehouse holds.
      expect(await warehouse.all('SELECT CAST(batch_id AS VARCHAR) AS batch_id FROM loaded_batches')).toEqual([
        { batch_id: batch },
      ]);
      // Every school the warehouse knows, and one only the daily rows name (A), numbered in code order.
      expect(await warehouse.all('SELECT school_ref, school_code FROM school_refs ORDER BY school_ref')).toEqual([
        { school_ref: 1, school_code: 'A' },
        { school_ref: 2, school_code: 'B' },
        { school_ref: 3, school_code: 'C' },
      ]);
      expect(await warehouse.all('SELECT batch_ref, CAST(batch_id AS VARCHAR) AS batch_id FROM batch_refs')).toEqual([
        { batch_ref: 1, batch_id: batch },
      ]);
      // 012 adds the place of a day counted present: none for the rows before it.
      expect(await warehouse.all('SELECT * EXCLUDE (place) FROM attendance_days ORDER BY ALL')).toEqual(before);
      expect(await warehouse.all('SELECT DISTINCT place FROM attendance_days')).toEqual([{ place: null }]);
      expect(before).toHaveLength(3);
      expect(
        await warehouse.all(
          `SELECT column_name FROM information_schema.columns WHERE table_name = 'attendance_records' ORDER BY ordinal_position`,
        ),
      ).toEqual(
        ['student_ref', 'school_ref', 'day', 'academic_year', 'status', 'reason', 'batch_ref', 'place'].map(
          (column_name) => ({
            column_name,
          }),
        ),
      );
    } finally {
      await warehouse.close();
    }
  });

  it('refuses a migration edited after it was applied, and a misnamed or missing number', async () => {
    const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const [init] = loadWarehouseMigrations();
      await migrateWarehouse(warehouse, [init]);
      await expect(migrateWarehouse(warehouse, [{ ...init, checksum: 'edited' }])).rejects.toThrow(
        /001-init was changed after it was applied/,
      );
    } finally {
      await warehouse.close();
    }
    const bad = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(bad, '001-first.sql'), 'SELECT 1;');
    writeFileSync(join(bad, '003-third.sql'), 'SELECT 1;');
    expect(() => loadWarehouseMigrations(bad)).toThrow(/003-third.sql: expected number 002/);
    const misnamed = mkdtempSync(join(dir, 'misnamed-'));
    writeFileSync(join(misnamed, 'init.sql'), 'SELECT 1;');
    expect(() => loadWarehouseMigrations(misnamed)).toThrow(/init.sql: name must look like 001-some-name.sql/);
  });

  it('opens the warehouse with the memory limit asked for (SHIRUBE_DUCKDB_MEMORY_LIMIT)', async () => {
    const warehouse = await Warehouse.open(join(dir, 'limited.duckdb'), { memoryLimit: '512MB' });
    try {
      expect(await warehouse.all(`SELECT current_setting('memory_limit') AS m`)).toEqual([{ m: '488.2 MiB' }]);
    } finally {
      await warehouse.close();
    }
  });

  it('rolls a failing write transaction back completely and keeps serving', async () => {
    const warehouse = await Warehouse.open(join(dir, 'tx.duckdb'));
    try {
      await migrateWarehouse(warehouse);
      const insert = `INSERT INTO schools (school_code, name, school_type, prefecture_code) VALUES ($1, $2, 'elementary', '13')`;
      await expect(
        warehouse.transaction(async (session) => {
          await session.run(insert, ['B113210000014', '一小']);
          await session.run(insert, ['B113210000014', '重複']);
        }),
      ).rejects.toThrow(/Duplicate key|PRIMARY KEY|constraint/i);
      expect(await warehouse.all('SELECT * FROM schools')).toEqual([]);
      // Writes queued behind the failed one still run, and concurrent reads see committed data only.
      await Promise.all([
        warehouse.transaction((session) => session.run(insert, ['B113210000014', '一小'])),
        warehouse.transaction((session) => session.run(insert, ['C113210000012', '一中'])),
      ]);
      const counts = await Promise.all(
        [1, 2, 3].map(() => warehouse.all<{ n: bigint }>('SELECT count(*) AS n FROM schools')),
      );
      expect(counts.map((c) => Number(c[0].n))).toEqual([2, 2, 2]);
    } finally {
      await warehouse.close();
    }
  });
});
