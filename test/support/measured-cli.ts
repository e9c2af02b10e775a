import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../src/common/project-root.js';

export interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The child's peak resident memory (getrusage), in bytes; null if it was killed before it could say. */
  peakRssBytes: number | null;
  /** Killed by the watchdog for passing `killAboveBytes`. */
  killed: boolean;
}

const residentBytes = (pid: number): number => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

/**
 * Runs the compiled `shirube` command in a child process and measures its peak memory (its own rusage,
 * printed as it exits). A watchdog kills it when its resident memory passes `killAboveBytes` (or it
 * runs past `timeoutMs`): a run that grows without bound fails the test instead of the machine.
 */
export async function runMeasuredCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  limits: { killAboveBytes: number; timeoutMs: number },
): Promise<MeasuredRun> {
  const preload = pathToFileURL(join(projectRoot(), 'test', 'support', 'peak-rss.mjs')).href;
  const child = spawn(process.execPath, ['--import', preload, join(projectRoot(), 'bin', 'shirube.js'), ...args], {
    env,
  });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = () => {
    killed = true;
    child.kill('SIGKILL');
  };
  const watchdog = setInterval(() => {
    if (child.pid && residentBytes(child.pid) > limits.killAboveBytes) stop();
  }, 50);
  const timeout = setTimeout(stop, limits.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
  clearInterval(watchdog);
  clearTimeout(timeout);
  const peak = /\[peak-rss-kb\] (\d+)/.exec(stderr);
  return { code, stdout, stderr, peakRssBytes: peak ? Number(peak[1]) * 1024 : null, killed };
}
