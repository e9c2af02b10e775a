import { spawn, execFile } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { projectRoot } from '../../src/common/project-root.js';
import { createDataSource } from '../../src/database/data-source.js';
import { openWarehouse } from '../../src/warehouse/warehouse.module.js';
import { seedRoster } from '../factories/roster.factory.js';
import { cliEnvironment, freshStores, type TestStores } from '../support/stores.js';
import { SCHOOL_A } from '../support/test-app.js';

const bin = join(projectRoot(), 'bin', 'shirube.js');
const run = promisify(execFile);
const STUDENTS = 8000;

/** The compiled CLI against a DuckDB file and a control plane on disk, as a board would run it. */
describe('a killed ingest, and the Parquet export (real stores, real processes)', () => {
  let stores: TestStores;
  let env: NodeJS.ProcessEnv;
  const count = async (sql: string) => {
    const warehouse = await openWarehouse(stores.config.duckdbPath);
    try {
      return Number((await warehouse.all<{ n: bigint }>(sql))[0].n);
    } finally {
      await warehouse.close();
    }
  };

  beforeAll(async () => {
    stores = await freshStores();
    env = cliEnvironment(stores);
    const warehouse = await openWarehouse(stores.config.duckdbPath);
    const students = Array.from({ length: STUDENTS }, (_, i) => ({
      sourcedId: `stu-${i}`,
      schoolCode: SCHOOL_A,
      grade: 'P3',
    }));
    await seedRoster(
      warehouse,
      stores.config.pseudonymKeyFile!,
      [{ code: SCHOOL_A, name: '中央小学校', type: 'elementary' }],
      students,
    );
    await warehouse.close();
    mkdirSync(join(stores.dir, 'small'));
    writeFileSync(
      join(stores.dir, 'small', 'attendance.csv'),
      `school_code,student_id,date,status,reason\n${SCHOOL_A},stu-1,2025-04-08,absent,illness\n${SCHOOL_A},stu-2,2025-04-08,late,\n`,
    );
    await run(process.execPath, [bin, 'ingest', join(stores.dir, 'small'), '--json'], { env });
  });
  afterAll(async () => stores.cleanup());

  it('leaves the warehouse exactly as before when the process is killed mid-ingest, and records the batch as interrupted', async () => {
    const big = join(stores.dir, 'big');
    mkdirSync(big);
    const out = createWriteStream(join(big, 'attendance.csv'));
    out.write('school_code,student_id,date,status,reason\n');
    const start = Date.UTC(2025, 3, 9);
    for (let day = 0; day < 250; day++) {
      const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
      let chunk = '';
      for (let s = 0; s < STUDENTS; s++) chunk += `${SCHOOL_A},stu-${s},${date},present,\n`;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const before = await count('SELECT count(*) AS n FROM attendance_days');
    expect(before).toBe(2);

    const child = spawn(process.execPath, [bin, 'ingest', big], { env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The file is read (2,000,000 rows); validation and the load are still to come: kill it now.
      if (stderr.includes('rows read')) child.kill('SIGKILL');
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal, read: stderr.includes('rows read') }).toEqual({ code: null, signal: 'SIGKILL', read: true });

    expect(await count('SELECT count(*) AS n FROM attendance_days')).toBe(before);
    expect(await count('SELECT count(*) AS n FROM attendance_days WHERE batch_id IS NULL')).toBe(0);

    // The next process finds the batch the killed one left running, and says what happened to it.
    await run(process.execPath, [bin, 'migrate'], { env });
    await run(process.execPath, [bin, 'ingest', join(stores.dir, 'small'), '--json'], { env });
    const dataSource = createDataSource({
      databaseUrl: env.DATABASE_URL || undefined,
      pgliteDir: join(stores.dir, 'pg'),
    });
    await dataSource.initialize();
    try {
      const statuses: { status: string }[] = await dataSource.query(
        `SELECT status FROM ingest_batches ORDER BY created_at`,
      );
      expect(statuses.map((s) => s.status)).toEqual(['loaded', 'interrupted', 'noop']);
    } finally {
      await dataSource.destroy();
    }
  });

  it('finds a batch the warehouse committed but the control plane never finished, and records it as loaded', async () => {
    const controlPlane = async <T>(
      work: (query: (sql: string, params?: unknown[]) => Promise<T[]>) => Promise<T[]>,
    ) => {
      const dataSource = createDataSource({
        databaseUrl: env.DATABASE_URL || undefined,
        pgliteDir: join(stores.dir, 'pg'),
      });
      await dataSource.initialize();
      try {
        return await work((sql, params) => dataSource.query(sql, params));
      } finally {
        await dataSource.destroy();
      }
    };
    // The first batch's rows are in the warehouse (attendance stored by student number); its record says it is still running.
    const [first] = await controlPlane<{ id: string }>((query) =>
      query(`SELECT id FROM ingest_batches ORDER BY created_at LIMIT 1`),
    );
    await controlPlane((query) => query(`UPDATE ingest_batches SET status = 'running' WHERE id = $1`, [first.id]));
    await run(process.execPath, [bin, 'ingest', join(stores.dir, 'small'), '--json'], { env });
    const [batch] = await controlPlane<{ status: string; report: { message: string } }>((query) =>
      query(`SELECT status, report FROM ingest_batches WHERE id = $1`, [first.id]),
    );
    expect(batch.status).toBe('loaded');
    expect(batch.report.message).toMatch(/after the warehouse committed this batch/);
  });

  it('exports the warehouse as Parquet partitioned by academic year and school', async () => {
    const out = join(stores.dir, 'parquet');
    const { stdout } = await run(process.execPath, [bin, 'warehouse', 'export', '--out', out, '--json'], { env });
    const tables = JSON.parse(stdout) as { table: string; rows: number; partitioned: boolean }[];
    expect(tables.find((t) => t.table === 'attendance_days')).toMatchObject({ rows: 2, partitioned: true });
    expect(tables.find((t) => t.table === 'students')).toMatchObject({ rows: STUDENTS, partitioned: false });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll(
        `SELECT academic_year, school_code, count(*) AS n FROM read_parquet('${out}/attendance_days/*/*/*.parquet', hive_partitioning = true) GROUP BY ALL`,
      )
    ).getRowObjectsJS();
    expect(rows).toEqual([{ academic_year: 2025n, school_code: SCHOOL_A, n: 2n }]);
    connection.closeSync();
    instance.closeSync();
  });
});
