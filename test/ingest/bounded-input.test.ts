import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { openWarehouse } from '../../src/warehouse/warehouse.module.js';
import { seedRoster } from '../factories/roster.factory.js';
import { writeZip, zeros } from '../factories/zip.factory.js';
import { runMeasuredCli } from '../support/measured-cli.js';
import { cliEnvironment, freshStores, type TestStores } from '../support/stores.js';
import { SCHOOL_A } from '../support/test-app.js';

const MB = 1024 * 1024;
/** The CLI's own footprint (Node, Nest, DuckDB, pg) peaks at ~190 MB here; refusing a file adds next to nothing. */
const PEAK_BOUND = 400 * MB;
const LIMITS = { killAboveBytes: 1500 * MB, timeoutMs: 90_000 };

/** Input that once grew memory without bound: refused early, and the process's peak memory measured (compiled CLI, real stores). */
describe('input refused before it can exhaust memory (real processes)', () => {
  let stores: TestStores;
  let env: NodeJS.ProcessEnv;
  const ingest = (path: string) => runMeasuredCli(['ingest', path, '--json'], env, LIMITS);

  beforeAll(async () => {
    stores = await freshStores();
    env = cliEnvironment(stores);
    const warehouse = await openWarehouse(stores.config.duckdbPath);
    await seedRoster(
      warehouse,
      stores.config.pseudonymKeyFile!,
      [{ code: SCHOOL_A, name: '中央小学校', type: 'elementary' }],
      [{ sourcedId: 'stu-1', schoolCode: SCHOOL_A, grade: 'P3' }],
    );
    await warehouse.close();
  });
  afterAll(async () => stores.cleanup());

  const expectRefused = (run: Awaited<ReturnType<typeof ingest>>, problem: Record<string, unknown>) => {
    expect({ killed: run.killed, code: run.code }).toEqual({ killed: false, code: 2 });
    expect(run.stderr).not.toMatch(/FATAL|INTERNAL/);
    const report = JSON.parse(run.stdout) as { status: string; problems: unknown[] };
    expect(report.status).toBe('rejected');
    expect(report.problems).toEqual([expect.objectContaining(problem)]);
    expect(run.peakRssBytes).not.toBeNull();
    expect(run.peakRssBytes!).toBeLessThan(PEAK_BOUND);
  };

  it('refuses an attendance file with 5,000 extra header columns', async () => {
    const path = join(stores.dir, 'wide-attendance.csv');
    const extra = Array.from({ length: 5000 }, (_, i) => `extra_${i}`);
    const out = createWriteStream(path);
    out.write(`school_code,student_id,date,status,reason,${extra.join(',')}\n`);
    const row = `${SCHOOL_A},stu-1,2025-05-12,present,${','.repeat(5000)}\n`;
    for (let i = 0; i < 750; i++) if (!out.write(row)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    expectRefused(await ingest(path), {
      file: 'wide-attendance.csv',
      row: 1,
      rule: 'the header has 5005 columns; an attendance file has at most 50',
    });
  });

  it('refuses a OneRoster demographics.csv with 20,000 extra header columns (a header past 64 KB)', async () => {
    const pkg = join(stores.dir, 'wide-roster');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'manifest.csv'), 'propertyName,value\noneroster.version,1.2\nfile.demographics,bulk\n');
    const extra = Array.from({ length: 20_000 }, (_, i) => `metadata.x${i}`);
    writeFileSync(join(pkg, 'demographics.csv'), `sourcedId,sex,${extra.join(',')}\nstu-1,male${','.repeat(20_000)}\n`);
    expectRefused(await ingest(pkg), {
      file: 'wide-roster/demographics.csv',
      row: 1,
      rule: 'the header line is longer than 64 KB: no oneroster file has such a header',
    });
  });

  it('refuses a header line longer than 64 KB instead of truncating it', async () => {
    const path = join(stores.dir, 'long-header.csv');
    writeFileSync(path, `school_code,student_id,date,status,${'r'.repeat(70_000)}\n`);
    expectRefused(await ingest(path), {
      file: 'long-header.csv',
      row: 1,
      rule: 'the header line is longer than 64 KB: no feed has such a header',
    });
  });

  it('refuses a zip of 1 GB of zeros, and one that lies about its sizes, without unpacking them', async () => {
    const manifest = Buffer.from('propertyName,value\noneroster.version,1.2\nfile.users,bulk\n');
    const bomb = join(stores.dir, 'bomb.zip');
    await writeZip(bomb, [
      { name: 'pkg/manifest.csv', chunks: [manifest] },
      { name: 'pkg/users.csv', chunks: zeros(1024) },
    ]);
    expectRefused(await ingest(bomb), {
      file: 'bomb.zip',
      rule: expect.stringMatching(/^entry pkg\/users\.csv unpacks \d+ times its packed size \(at most 200\)/),
    });

    const liar = join(stores.dir, 'liar.zip');
    await writeZip(liar, [
      { name: 'pkg/manifest.csv', chunks: [manifest] },
      { name: 'pkg/users.csv', chunks: zeros(256), declare: { uncompressedSize: 1000 } },
    ]);
    expectRefused(await ingest(liar), {
      file: 'liar.zip',
      rule: expect.stringMatching(/^entry pkg\/users\.csv cannot be unpacked|larger than it says/),
    });
  });

  it('refuses invalid UTF-8 in a student ID with exit code 2 and a report, never a DuckDB fatal error', async () => {
    const path = join(stores.dir, 'attendance.csv');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`school_code,student_id,date,status,reason\n${SCHOOL_A},abc`),
        Buffer.from([0xb7]),
        Buffer.from('def,2025-01-14,late,\n'),
      ]),
    );
    expectRefused(await ingest(path), { file: 'attendance.csv', row: 2, column: 'student_id' });
  });
});
