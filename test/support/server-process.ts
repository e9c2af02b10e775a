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

/** `shirube serve` as a child process on a free port; `start` resolves with its URL once it listens. */
export function serverProcess(env: NodeJS.ProcessEnv, cwd: string) {
  let server: ChildProcess | null = null;

  async function start(): Promise<string> {
    const child = spawn(process.execPath, [bin, 'serve', '--json'], {
      env: { ...env, PORT: '0' },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // The server's log lines share standard output with the JSON it prints once it listens.
    const listening = () => /"url": "([^"]+)"/.exec(out)?.[1];
    for (let i = 0; i < 600 && !listening(); i++) {
      if (child.exitCode !== null) throw new Error(`the server stopped: ${err}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const url = listening();
    if (!url) throw new Error(`the server did not listen within a minute: ${err}`);
    return url;
  }

  async function stop(): Promise<void> {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  return { start, stop };
}
