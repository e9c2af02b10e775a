import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/common/project-root.js';

/** bench/fuzz.ts at a small count, so that it cannot rot: it runs through the CLI and finds nothing wrong. */
describe('bench/fuzz (a small run through the CLI)', () => {
  it('pushes mutated files through `shirube ingest --each` with no crash, hang, partial load or unlocated rejection', () => {
    const run = spawnSync(
      process.execPath,
      [
        join(projectRoot(), 'dist', 'bench', 'fuzz.js'),
        '--count',
        '24',
        '--per-process',
        '12',
        '--seed',
        '7',
        '--json',
      ],
      { encoding: 'utf8', timeout: 600_000, env: process.env },
    );
    const lines = run.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    expect(summary).toMatchObject({ files: 24, crashes: 0, hangs: 0, partial: 0, unlocated: 0, findings: [] });
    expect(summary.batchesChecked).toBe(24);
    expect(run.status).toBe(0);
  }, 600_000);
});
