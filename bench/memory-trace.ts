/** Peak and current memory of this process, and what DuckDB's buffer manager holds, for the benchmarks. */
import { readFileSync } from 'node:fs';
import type { Warehouse } from '../src/warehouse/warehouse.js';

const MB = 2 ** 20;
export const mb = (bytes: number) => `${Math.round(bytes / MB).toLocaleString('en')} MB`;

/** The process's peak resident set so far (VmHWM, as /usr/bin/time -v reports it), in bytes. */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** The process's resident set now (VmRSS), in bytes. */
export function currentRss(): number {
  const line = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return line ? Number(line[1]) * 1024 : 0;
}

/**
 * Prints, every `everyMs` while it runs, the process's RSS beside what DuckDB's buffer manager holds in
 * memory and in its temp files (duckdb_memory(), read on a reader connection while the writer works) and
 * what Node holds (its heap, and buffers outside it: PGlite's WebAssembly memory is one): RSS far above
 * the sum is memory that neither DuckDB's limit nor Node accounts for.
 */
export function traceMemory(warehouse: Warehouse, everyMs: number, label: () => string): () => void {
  const started = performance.now();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    warehouse
      .all<{ memory: bigint | null; temp: bigint | null }>(
        'SELECT sum(memory_usage_bytes) AS memory, sum(temporary_storage_bytes) AS temp FROM duckdb_memory()',
      )
      .then(([row]) => {
        const node = process.memoryUsage();
        console.log(
          `  ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s  RSS ${mb(currentRss()).padStart(9)}  DuckDB buffers ${mb(Number(row.memory ?? 0)).padStart(9)}  temp files ${mb(Number(row.temp ?? 0)).padStart(9)}  Node heap ${mb(node.heapTotal).padStart(7)} + ${mb(node.external).padStart(7)}  ${label()}`,
        );
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return () => clearInterval(timer);
}
