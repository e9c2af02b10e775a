import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/common/project-root.js';

const run = promisify(execFile);
const bin = join(projectRoot(), 'bin', 'shirube.js');

/** The compiled `shirube` command in `cwd` with `env` (npm test builds first). */
export function shirubeCli(env: NodeJS.ProcessEnv, cwd: string) {
  const shirube = (...args: string[]) => run(process.execPath, [bin, ...args], { env, cwd });
  /** The command's exit code and standard error; throws when it succeeds. */
  const failing = async (...args: string[]) => {
    try {
      await shirube(...args);
    } catch (error) {
      const { code, stderr } = error as { code: number; stderr: string };
      return { code, stderr };
    }
    throw new Error(`shirube ${args.join(' ')} succeeded`);
  };
  return { shirube, failing };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

/** `shirube serve --json` as a child process on a free port; resolves once it prints where it listens. */
export async function startServerProcess(env: NodeJS.ProcessEnv, cwd: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--json'], {
    env: { ...env, PORT: '0' },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const listening = () => /"url": "([^"]+)"/.exec(out)?.[1];
  for (let i = 0; i < 600 && !listening(); i++) {
    if (child.exitCode !== null) throw new Error(`the server stopped: ${err}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = listening();
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`the server did not listen within a minute: ${err}`);
  }
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A server that a test starts and stops again and again on the same stores; `start` resolves with its URL. */
export function serverProcess(env: NodeJS.ProcessEnv, cwd: string) {
  let server: ServerProcess | null = null;
  return {
    start: async (): Promise<string> => {
      server = await startServerProcess(env, cwd);
      return server.url;
    },
    stop: async (): Promise<void> => {
      const running = server;
      server = null;
      await running?.stop();
    },
  };
}
