import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/common/project-root.js';
import { ensurePseudonymKey } from '../src/config/pseudonym-key.js';
import { townBulk, writeOneRosterPackage } from './factories/oneroster.factory.js';
import { serverProcess, shirubeCli } from './support/server-process.js';
import { cliEnvironment, freshStores, type TestStores } from './support/stores.js';

/**
 * One writer for the embedded stores: a command run while the server holds them goes through the server
 * (or refuses in a sentence), so nothing it writes is lost. Runs on PGlite in a folder, and on PostgreSQL
 * when DATABASE_URL is set (then the warehouse file is still the server's alone).
 */
describe('a command run beside the server', () => {
  let stores: TestStores;
  let env: NodeJS.ProcessEnv;
  let shirube: ReturnType<typeof shirubeCli>['shirube'];
  let failing: ReturnType<typeof shirubeCli>['failing'];
  let server: ReturnType<typeof serverProcess>;
  const startServer = () => server.start();
  const stopServer = () => server.stop();

  beforeAll(async () => {
    stores = await freshStores();
    env = cliEnvironment(stores);
    ({ shirube, failing } = shirubeCli(env, stores.dir));
    server = serverProcess(env, stores.dir);
  });
  afterAll(async () => {
    await stopServer();
    await stores.cleanup();
  });

  it('creates a user through the running server: usable at once, still there after a restart', async () => {
    const url = await startServer();
    const { stdout, stderr } = await shirube(
      'user',
      'create',
      '--role',
      'school',
      '--school',
      'B108291000011',
      '--name',
      'beside-the-server',
      '--json',
    );
    if (stores.kind === 'pglite') expect(stderr).toContain(`the server at ${url.replace('localhost', '127.0.0.1')}`);
    const token = (JSON.parse(stdout) as { token: { secret: string } }).token.secret;
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${url}/api/responses`, { headers })).status).toBe(200);

    const listed = JSON.parse((await shirube('user', 'list', '--json')).stdout) as { name: string }[];
    expect(listed.map((u) => u.name)).toContain('beside-the-server');

    await stopServer();
    expect(existsSync(`${join(stores.dir, 'pg')}.lock`)).toBe(false);
    const afterStop = JSON.parse((await shirube('user', 'list', '--json')).stdout) as { name: string }[];
    expect(afterStop.map((u) => u.name)).toContain('beside-the-server');

    const again = await startServer();
    expect((await fetch(`${again}/api/responses`, { headers })).status).toBe(200);
    await stopServer();
  });

  it('ingests a folder through the server with its subfolders kept (a OneRoster package inside stays one)', async () => {
    ensurePseudonymKey(stores.config.pseudonymKeyFile!);
    const batch = join(stores.dir, 'batch');
    mkdirSync(batch);
    writeOneRosterPackage(batch, 'fy2025', townBulk(2025));
    await startServer();
    const { stdout, stderr } = await shirube('ingest', batch, '--json');
    if (stores.kind === 'pglite') expect(stderr).toContain('going through it');
    const report = JSON.parse(stdout) as { status: string; feeds: { kind: string; rowsLoaded: number }[] };
    expect(report.status).toBe('loaded');
    expect(report.feeds.map((f) => f.kind)).toEqual(['oneroster']);
    expect(report.feeds[0].rowsLoaded).toBeGreaterThan(0);
    await stopServer();
  });

  it('refuses, in a sentence, a command that cannot go through the server', async () => {
    const url = await startServer();
    const refused = await failing('migrate');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('in use by the Shirube server at');
    expect(refused.stderr).toContain(url.replace('localhost', '127.0.0.1'));
    expect(refused.stderr).toContain('stop the server');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    await stopServer();
  });

  it('says in a sentence that another process holds the warehouse file, not in DuckDB’s words', async () => {
    // A process that is not Shirube holds DuckDB's own lock on the file.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const db = await DuckDBInstance.create(${JSON.stringify(stores.config.duckdbPath)});
         await db.connect(); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
      ],
      { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', () => reject(new Error('the process meant to hold the file stopped')));
      });
      const refused = await failing('metrics', 'values', 'enrolment.students', '--year', '2025');
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`${stores.config.duckdbPath} is in use by another process (pid ${holder.pid})`);
      expect(refused.stderr).not.toContain('Could not set lock');
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
    }
    // The file is free again: the command works.
    await shirube('metrics', 'values', 'enrolment.students', '--year', '2025', '--json');
  });
});
