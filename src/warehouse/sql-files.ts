import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';

/**
 * SQL lives in files under queries/. A domain names its files once (at module load), so a missing or
 * empty file stops the start with its name instead of failing on the first request.
 */
export function sqlFile(name: string): string {
  const path = join(projectRoot(), 'queries', `${name}.sql`);
  if (!existsSync(path)) throw new Error(`SQL file queries/${name}.sql is missing`);
  const sql = readFileSync(path, 'utf8').trim();
  if (!sql) throw new Error(`SQL file queries/${name}.sql is empty`);
  return sql;
}
