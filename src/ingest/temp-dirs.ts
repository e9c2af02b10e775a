import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders of raw input: HTTP uploads and unpacked zips hold files not yet pseudonymised, so
 * none may outlive the ingest that made it. Each is named with the process's id; the process removes
 * its own on every way out (the ingest's finally, the response's close, the process's exit), and at
 * start removes those a crashed process left.
 */
export type TempPrefix = 'shirube-upload-' | 'shirube-zip-' | 'shirube-utf8-';
const PREFIXES: TempPrefix[] = ['shirube-upload-', 'shirube-zip-', 'shirube-utf8-'];

const live = new Set<string>();
process.once('exit', () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
});

export function makeTempDir(prefix: TempPrefix): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}${process.pid}-`));
  live.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  live.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A folder named before the process id was part of the name: left alone while it may still be in use. */
const LEGACY_AGE_MS = 60 * 60 * 1000;

/**
 * Removes the temporary folders of processes that are gone (a crash, a kill), and returns them. A folder
 * of a running process (a CLI ingest beside the server) is left to it.
 */
export function sweepStaleTempDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const prefix = PREFIXES.find((p) => name.startsWith(p));
    if (!prefix) continue;
    const full = join(root, name);
    const pid = /^(\d+)-/.exec(name.slice(prefix.length));
    try {
      const stale = pid
        ? Number(pid[1]) !== process.pid && !isRunning(Number(pid[1]))
        : Date.now() - statSync(full).mtimeMs > LEGACY_AGE_MS;
      if (!stale) continue;
      rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      // Removed meanwhile, or not ours to remove: the next start tries again.
    }
  }
  return removed;
}
