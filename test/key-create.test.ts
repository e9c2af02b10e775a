import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/common/project-root.js';
import { readPseudonymKey } from '../src/config/pseudonym-key.js';

const run = promisify(execFile);
const bin = join(projectRoot(), 'bin', 'shirube.js');

/** `shirube key create`, the first step of a production start (README, "Production"). */
describe('shirube key create', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'shirube-key-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const shirube = (...args: string[]) =>
    run(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, PSEUDONYM_KEY_FILE: '' } });

  it('writes a 256-bit key readable by its owner only, says where and warns to back it up', async () => {
    const path = join(dir, 'secrets', 'pseudonym.key');
    const { stdout } = await shirube('key', 'create', '--out', path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readPseudonymKey(path)).toHaveLength(32);
    expect(stdout).toContain(`pseudonym key written to ${path}`);
    expect(stdout).toMatch(/WARNING: Back this key up now, separately from the database backups/);
    expect(stdout).toContain('every link between batches breaks');
    // The key itself is never printed.
    expect(stdout).not.toContain(readFileSync(path, 'utf8').trim());
  });

  it('refuses to replace an existing key, which stays as it was', async () => {
    const path = join(dir, 'kept.key');
    await shirube('key', 'create', '--out', path);
    const before = readFileSync(path, 'utf8');
    const failure = await shirube('key', 'create', '--out', path).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`${path} already holds a pseudonym key; it is never replaced`);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('writes to data/pseudonym.key by default and prints JSON with the warning', async () => {
    const { stdout } = await shirube('key', 'create', '--json');
    const printed = JSON.parse(stdout);
    expect(printed.path).toBe(join(dir, 'data', 'pseudonym.key'));
    expect(printed.mode).toBe('0600');
    expect(printed.warning).toMatch(/separately from the database backups/);
    expect(statSync(printed.path).mode & 0o777).toBe(0o600);
  });
});
