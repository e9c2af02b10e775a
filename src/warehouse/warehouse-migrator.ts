import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import type { Warehouse } from './warehouse.js';

export interface WarehouseMigration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_PATTERN = /^(\d{3})-([a-z0-9-]+)\.sql$/;

export function warehouseMigrationsDir(): string {
  return join(projectRoot(), 'migrations', 'warehouse');
}

/** Reads `NNN-name.sql` files in order; a file whose name does not fit, or a gap in the numbers, stops the start. */
export function loadWarehouseMigrations(dir = warehouseMigrationsDir()): WarehouseMigration[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return files.map((file, index) => {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`warehouse migration ${file}: name must look like 001-some-name.sql`);
    const id = Number(match[1]);
    if (id !== index + 1)
      throw new Error(`warehouse migration ${file}: expected number ${String(index + 1).padStart(3, '0')}`);
    const sql = readFileSync(join(dir, file), 'utf8');
    return { id, name: match[2], sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

const label = (migration: WarehouseMigration) => `${String(migration.id).padStart(3, '0')}-${migration.name}`;

/**
 * Applies the migrations not yet recorded, all in one transaction (one fails: none is applied, nor recorded);
 * refuses if an applied file was edited.
 */
export async function migrateWarehouse(
  warehouse: Warehouse,
  migrations = loadWarehouseMigrations(),
): Promise<string[]> {
  return warehouse.transaction(async (session) => {
    await session.run(`CREATE TABLE IF NOT EXISTS warehouse_migrations (
      id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const applied = await session.all<{ id: number; name: string; checksum: string }>(
      'SELECT id, name, checksum FROM warehouse_migrations',
    );
    const byId = new Map(applied.map((row) => [row.id, row]));
    const ran: string[] = [];
    for (const migration of migrations) {
      const done = byId.get(migration.id);
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new Error(
            `warehouse migration ${label(migration)} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await session.script(migration.sql);
      await session.run('INSERT INTO warehouse_migrations (id, name, checksum) VALUES ($1, $2, $3)', [
        migration.id,
        migration.name,
        migration.checksum,
      ]);
      ran.push(label(migration));
    }
    return ran;
  });
}
