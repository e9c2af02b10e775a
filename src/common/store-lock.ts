/**
 * One writer for each embedded store. PGlite (the embedded control plane) is single-process: a second
 * process opening the same folder neither sees the first's writes nor keeps its own. DuckDB locks its
 * file itself, but says so in its own words. So every process that opens an embedded store first takes
 * a lock file beside it (`<store>.lock`, mode 0600) naming itself; a process that finds the lock held by
 * a live process is told who holds it. A running server also writes there where it listens and a
 * token for this machine's command line (the file is readable by the server's OS user only), so that a
 * command run beside it goes through the server instead of opening the store behind its back.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

export interface StoreHolder {
  pid: number;
  /** 'server': `shirube serve` or `shirube demo run`; 'command': any other command; 'other': not Shirube. */
  kind: 'server' | 'command' | 'other';
  command: string;
  startedAt: string;
  /** Set once the server listens. */
  url?: string;
  /** A token for the command line of this machine, valid while this server runs. */
  cliToken?: string;
}

/** The embedded store is held by another live process. */
export class StoreInUseError extends Error {
  constructor(
    readonly store: string,
    readonly holder: StoreHolder,
  ) {
    super(describeHolder(store, holder));
    this.name = 'StoreInUseError';
  }
}

function describeHolder(store: string, holder: StoreHolder): string {
  if (holder.kind === 'server')
    return holder.url
      ? `${store} is in use by the Shirube server at ${holder.url} (pid ${holder.pid}), and this command cannot go through the server: stop the server, then run it again`
      : `${store} is in use by a Shirube server that is starting (pid ${holder.pid}); try again in a few seconds`;
  if (holder.kind === 'other')
    return `${store} is in use by another process${holder.pid ? ` (pid ${holder.pid})` : ''}; stop it, then try again`;
  return `${store} is in use by another shirube command (pid ${holder.pid}: ${holder.command}); wait for it to finish, then try again`;
}

const held = new Map<string, { count: number; holder: StoreHolder }>();
let processHolder: Omit<StoreHolder, 'pid' | 'startedAt'> = {
  kind: 'command',
  command: ['shirube', ...process.argv.slice(2)].join(' ').slice(0, 200),
};

/** What this process says of itself in the locks it takes (the CLI sets 'server' for serve and demo run). */
export function describeThisProcess(kind: 'server' | 'command', command: string): void {
  processHolder = { kind, command };
}

export function lockPathOf(store: string): string {
  return `${resolve(store)}.lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): StoreHolder | null {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as StoreHolder;
  } catch {
    return null;
  }
}

/** The live holder of a store's lock other than this process, if any (a stale lock is not a holder). */
export function storeHolder(store: string): StoreHolder | null {
  const holder = readHolder(lockPathOf(store));
  if (!holder || holder.pid === process.pid || !alive(holder.pid)) return null;
  return holder;
}

/**
 * Takes the lock of an embedded store for this process (re-entrant within the process), or throws
 * StoreInUseError naming the live holder. A lock left by a process that no longer runs is taken over.
 */
export function acquireStoreLock(store: string): void {
  const path = lockPathOf(store);
  const mine = held.get(path);
  if (mine) {
    mine.count++;
    return;
  }
  const holder: StoreHolder = { pid: process.pid, startedAt: new Date().toISOString(), ...processHolder };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(holder));
      } finally {
        closeSync(fd);
      }
      held.set(path, { count: 1, holder });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = readHolder(path);
    if (other && other.pid !== process.pid && alive(other.pid)) throw new StoreInUseError(store, other);
    // Stale (its process is gone) or unreadable half-written: remove it and try again.
    try {
      unlinkSync(path);
    } catch {
      /* another process removed it first */
    }
  }
  const other = readHolder(path);
  throw new StoreInUseError(store, other ?? { pid: 0, kind: 'command', command: 'unknown', startedAt: '' });
}

export function releaseStoreLock(store: string): void {
  const path = lockPathOf(store);
  const mine = held.get(path);
  if (!mine) return;
  if (--mine.count > 0) return;
  held.delete(path);
  const current = readHolder(path);
  if (current?.pid === process.pid) {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
}

/** A server now listening: every lock this process holds says where, with the command line's token. */
export function announceServer(url: string, cliToken: string): void {
  for (const [path, entry] of held) {
    entry.holder = { ...entry.holder, kind: 'server', url, cliToken };
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entry.holder), { mode: 0o600 });
    renameSync(temporary, path);
  }
}

/** The locks this process holds are removed when it exits, however it exits short of a kill. */
process.once('exit', () => {
  for (const [path, entry] of held) {
    if (readHolder(path)?.pid === entry.holder.pid) {
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    }
  }
});
