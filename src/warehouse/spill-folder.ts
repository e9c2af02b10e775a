import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where DuckDB writes what it spills past its memory limit: a folder beside the warehouse file, on the
 * data disk (a system temp folder may be memory itself, which would undo the limit).
 */
export const spillFolderOf = (path: string) => `${path}.tmp`;

/** DuckDB's own spill files (`duckdb_temp_storage_DEFAULT-0.tmp` ...); nothing else in the folder is touched. */
const SPILL_FILE = /^duckdb_temp_storage.*\.tmp$/;

/**
 * Removes the spill files a killed process left beside the warehouse file, and returns their names.
 * They may hold staging pages with raw IDs not yet pseudonymised: DuckDB deletes its files as the pages
 * are freed and at close, but neither a killed process nor the next one that opens the file does. Run
 * right after the file is opened, before any query: DuckDB's lock on the file keeps any other process
 * from spilling there, and this one has not spilled yet.
 */
export function removeLeftoverSpill(path: string): string[] {
  const folder = spillFolderOf(path);
  if (!existsSync(folder)) return [];
  const leftovers = readdirSync(folder).filter((name) => SPILL_FILE.test(name));
  for (const name of leftovers) rmSync(join(folder, name), { force: true });
  return leftovers;
}
