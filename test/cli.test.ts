import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { controlPlaneMigrations } from '../migrations/index.js';
import { projectRoot } from '../src/common/project-root.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { cliEnvironment, freshStores, type TestStores } from './support/stores.js';

const run = promisify(execFile);
const bin = join(projectRoot(), 'bin', 'shirube.js');

/** The compiled `shirube` command (npm test builds first), on fresh real stores. */
describe('shirube CLI', () => {
  let stores: TestStores;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stores = await freshStores();
    env = cliEnvironment(stores);
  });
  afterAll(async () => stores.cleanup());

  const shirube = (...args: string[]) => run(process.execPath, [bin, ...args], { env, cwd: stores.dir });

  it('prints help listing its domains', async () => {
    const { stdout } = await shirube('--help');
    for (const command of ['migrate', 'user', 'demo', 'serve']) expect(stdout).toContain(command);
  });

  it('migrates both stores, then reports them up to date', async () => {
    const first = JSON.parse((await shirube('migrate', '--json')).stdout);
    expect(first.controlPlane.applied).toEqual(controlPlaneMigrations.map((m) => m.name));
    expect(first.warehouse.applied).toEqual([
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
    const second = JSON.parse((await shirube('migrate', '--json')).stdout);
    expect(second.controlPlane.applied).toEqual([]);
    expect(second.warehouse.applied).toEqual([]);
  });

  it('creates a school user and prints its token once', async () => {
    const { stdout } = await shirube(
      'user',
      'create',
      '--role',
      'school',
      '--school',
      'B113210000014',
      '--name',
      '東小学校',
      '--json',
    );
    const created = JSON.parse(stdout);
    expect(created.user).toMatchObject({ name: '東小学校', role: 'school', schoolCode: 'B113210000014' });
    expect(created.token.secret).toMatch(/^shb_[A-Za-z0-9_-]{43}$/);
    const listed = JSON.parse((await shirube('user', 'list', '--json')).stdout);
    expect(listed).toEqual([expect.objectContaining({ name: '東小学校', disabled: false })]);
    expect(JSON.stringify(listed)).not.toContain(created.token.secret);
  });

  it('disables a user: its tokens are revoked, no new one is issued, and a second disable is refused', async () => {
    await shirube('user', 'create', '--role', 'analyst', '--name', '異動した職員');
    const { stdout } = await shirube('user', 'disable', '--name', '異動した職員', '--json');
    expect(JSON.parse(stdout)).toMatchObject({
      user: { name: '異動した職員', disabled: true },
      tokensRevoked: 1,
      sessionsEnded: 0,
    });
    const listed = JSON.parse((await shirube('user', 'list', '--json')).stdout);
    expect(listed.find((u: { name: string }) => u.name === '異動した職員').disabled).toBe(true);
    await expect(shirube('user', 'token', '--name', '異動した職員')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is disabled'),
    });
    await expect(shirube('user', 'disable', '--name', '異動した職員')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already disabled'),
    });
  });

  it('refuses a bad role or school code with a message naming it, and exit code 1', async () => {
    await expect(shirube('user', 'create', '--role', 'wizard', '--name', 'x')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("'wizard' is invalid"),
    });
    await expect(
      shirube('user', 'create', '--role', 'school', '--school', 'B113210000010', '--name', 'y'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('schoolCode'),
    });
  });

  it('stops with the variable named when the configuration is bad', async () => {
    await expect(run(process.execPath, [bin, 'migrate'], { env: { ...env, PORT: 'x' } })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('PORT: must be a whole number'),
    });
  });

  it('runs a cohort definition from a file: JSON with attrition, CSV of a table, and a 1 with the field named for a bad one', async () => {
    const muni = join(stores.dir, 'cohort-municipality');
    const keyEnv = { ...env, PSEUDONYM_KEY_FILE: join(stores.dir, 'pseudonym.key') };
    ensurePseudonymKey(keyEnv.PSEUDONYM_KEY_FILE);
    await shirube(
      'demo',
      'generate',
      '--schools',
      '4',
      '--students',
      '600',
      '--years',
      '2',
      '--seed',
      '3',
      '--out',
      muni,
    );
    await run(process.execPath, [bin, 'ingest', muni, '--json'], {
      env: keyEnv,
      cwd: stores.dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    const definition = join(stores.dir, 'def.json');
    writeFileSync(
      definition,
      JSON.stringify({
        population: { academicYears: [2024, 2025] },
        outcomes: ['attendance_rate', 'long_term_absence'],
        breakdowns: ['sex'],
      }),
    );
    const result = JSON.parse((await shirube('cohort', 'run', '--file', definition, '--json')).stdout);
    expect(result.method).toBe('descriptive');
    expect(result.attrition[0]).toMatchObject({ step: 'enrolled' });
    expect(result.tables.descriptive.rows.length).toBeGreaterThan(0);
    expect(result.disclosure.rules.length).toBeGreaterThan(0);
    const csvFile = join(stores.dir, 'out.csv');
    await shirube('cohort', 'run', '--file', definition, '--format', 'csv', '--out', csvFile);
    expect(readFileSync(csvFile, 'utf8').split('\r\n')[0]).toBe(`\uFEFF${result.tables.descriptive.columns.join(',')}`);
    writeFileSync(definition, JSON.stringify({ population: { academicYears: [2025] }, outcomes: ['happiness'] }));
    await expect(shirube('cohort', 'run', '--file', definition)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('outcomes[0]'),
    });
  });
});
