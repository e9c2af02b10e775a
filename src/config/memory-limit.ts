import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/**
 * The share of the machine's memory the warehouse (DuckDB's memory_limit) gets when
 * SHIRUBE_DUCKDB_MEMORY_LIMIT is unset. DuckDB's own default, 80 % of RAM, counts neither the rest of
 * this process nor its neighbours. Measured on bench/cohort's one-batch ingest, the process goes up to
 * 1.5 GB above the limit (Node and the embedded PGlite, DuckDB's allocations outside its buffer pool);
 * beside it run the analyst sandbox (its own 1 GB), Chromium printing PDFs, often PostgreSQL, a
 * CLI ingest in another process, and the page cache that reads the warehouse file and the input. Half
 * leaves them the other half: 12 GB of 24 GB.
 */
export const DEFAULT_MEMORY_SHARE = 0.5;

/** Never less than this, even on a very small machine: DuckDB cannot do much below it. */
const MIN_DEFAULT_BYTES = 256 * 2 ** 20;

/** What this process may use: the machine's RAM, and the memory limit of its control group if it has one. */
export interface MachineMemory {
  totalBytes: number;
  /** The control group's limit (a container's memory limit); undefined when none is set or it cannot be read. */
  cgroupBytes: number | undefined;
}

/** The cgroup v2 file (`memory.max`), then v1 (`memory.limit_in_bytes`), as a container sees its own group. */
const CGROUP_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];

/**
 * A control group's memory limit from the text of its file: a number of bytes, or `max` for none (v2).
 * cgroup v1 writes a huge number for none, which is more than the RAM and so changes nothing.
 */
export function parseCgroupLimit(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (!value || !/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  return bytes > 0 ? bytes : undefined;
}

export function machineMemory(files: readonly string[] = CGROUP_FILES): MachineMemory {
  let cgroupBytes: number | undefined;
  for (const file of files) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // no such controller here (not Linux, another cgroup version)
    }
    cgroupBytes = parseCgroupLimit(text);
    break;
  }
  return { totalBytes: totalmem(), cgroupBytes };
}

/** DuckDB's memory_limit for the warehouse on this machine when none is configured, in whole MiB ('12288MiB'). */
export function defaultMemoryLimit(machine: MachineMemory): string {
  const available = Math.min(machine.totalBytes, machine.cgroupBytes ?? Infinity);
  const bytes = Math.max(MIN_DEFAULT_BYTES, available * DEFAULT_MEMORY_SHARE);
  return `${Math.floor(bytes / 2 ** 20)}MiB`;
}
