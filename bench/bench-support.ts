/** What the benchmarks share: timing, medians, and the machine line every run prints first. */
import { cpus, totalmem } from 'node:os';

export const log = (line: string) => console.log(line);
export const int = (n: number) => n.toLocaleString('en');
export const sec = (ms: number, digits = 3) => `${(ms / 1000).toFixed(digits)} s`;
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export async function timed<T>(job: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await job();
  return { result, ms: performance.now() - started };
}

export function machineLine(): string {
  return `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
}
