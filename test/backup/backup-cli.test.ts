import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupManifest } from '../../src/backup/backup-manifest.js';
import { serverProcess, shirubeCli } from '../support/server-process.js';
import { cliEnvironment, freshStores, type TestStores } from '../support/stores.js';

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
const rowsOf = (manifest: BackupManifest, table: string) =>
  manifest.controlPlane.tables.find((t) => t.table === table)?.rows;

/**
 * `shirube backup` and `shirube restore` as a board runs them: the nightly backup while the server runs
 * (through it), one without a server, a restore refused beside a running server and into stores that hold
 * data, and a restore into new stores that a server then serves. PGlite in a folder, or PostgreSQL.
 */
describe('shirube backup and restore on the command line', () => {
  let stores: TestStores;
  let target: TestStores;
  let cli: ReturnType<typeof shirubeCli>;
  let server: ReturnType<typeof serverProcess>;

  beforeAll(async () => {
    stores = await freshStores();
    target = await freshStores();
    cli = shirubeCli(cliEnvironment(stores), stores.dir);
    server = serverProcess(cliEnvironment(stores), stores.dir);
    await cli.shirube('migrate');
    await cli.shirube('user', 'create', '--role', 'board_admin', '--name', 'kyoiku-iinkai');
  });
  afterAll(async () => {
    await server.stop();
    await stores.cleanup();
    await target.cleanup();
  });

  it('backs up through the running server, and refuses a restore beside it', async () => {
    const url = await server.start();
    const out = join(stores.dir, 'backups', 'nightly');
    const { stdout, stderr } = await cli.shirube('backup', '--out', out);
    expect(stderr).toContain(
      `the server at ${url.replace('localhost', '127.0.0.1')} holds the stores; going through it`,
    );
    expect(stdout).toContain(`backup written to ${out}`);
    expect(stdout).toContain('both stores agree on the ingest batches they hold');
    expect(stdout).toContain('NOTE: The pseudonym key (PSEUDONYM_KEY_FILE) is not in this backup');
    expect(rowsOf(manifestOf(out), 'users')).toBe(1);

    const refused = await cli.failing('restore', out, '--force');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('in use by the Shirube server at');
    await server.stop();
  });

  it('backs up without a server, then restores into new stores that a server serves', async () => {
    const out = join(stores.dir, 'backups', 'direct');
    const { stderr } = await cli.shirube('backup', '--out', out, '--json');
    expect(stderr).not.toContain('going through it');
    const manifest = manifestOf(out);
    // The first backup's audit row is in the second.
    expect(rowsOf(manifest, 'audit_events')).toBe(
      rowsOf(manifestOf(join(stores.dir, 'backups', 'nightly')), 'audit_events')! + 1,
    );

    const restoreCli = shirubeCli(cliEnvironment(target), target.dir);
    const restored = JSON.parse((await restoreCli.shirube('restore', out, '--json')).stdout) as {
      controlPlane: { tables: { table: string; rows: number }[] };
      agreement: { agree: boolean };
    };
    expect(restored.agreement.agree).toBe(true);
    expect(restored.controlPlane.tables.find((t) => t.table === 'users')?.rows).toBe(1);
    const users = JSON.parse((await restoreCli.shirube('user', 'list', '--json')).stdout) as { name: string }[];
    expect(users.map((u) => u.name)).toEqual(['kyoiku-iinkai']);

    const again = await restoreCli.failing('restore', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /the control plane is not empty \(.*users.*\); restore into a new database, or pass --force/,
    );
    // Refused before anything changed: the restored stores still serve.

    const restoredServer = serverProcess(cliEnvironment(target), target.dir);
    try {
      const url = await restoredServer.start();
      const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string };
      expect(health.status).toBe('ok');
    } finally {
      await restoredServer.stop();
    }
  });
});
