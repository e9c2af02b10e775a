import { backupUnusable } from './backup.errors.js';
import { invalidField } from '../common/common.errors.js';
/**
 * `shirube restore DIR`: both stores from a backup, into stores that hold nothing (or, with force, after
 * moving what they hold aside: nothing is deleted, the audit log least of all). The control plane is
 * migrated to the backup's version, its rows inserted (insert only: the audit log's trigger refuses
 * nothing else) and its sequences put back; the warehouse's copy is put in place; then both are migrated
 * to this version, counted against the manifest, and checked to agree on their ingest batches.
 */
import { backupTargetNotEmpty, restoreMismatch } from './backup.errors.js';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type QueryRunner } from 'typeorm';
import { controlPlaneMigrations } from '../../migrations/index.js';
import { AuditService } from '../audit/audit.service.js';
import { CLI_ACTOR, requestContext } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { closeControlPlane, dataSourceOptions, embeddedControlPlaneDir } from '../database/data-source.js';
import { acquireStoreLock, releaseStoreLock } from '../common/store-lock.js';
import { openControlPlane } from '../database/control-plane.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { loadWarehouseMigrations, migrateWarehouse } from '../warehouse/warehouse-migrator.js';
import {
  type BackupManifest,
  batchAgreement,
  type BatchAgreement,
  CONTROL_PLANE_DIR,
  KEY_NOT_INCLUDED,
  readManifest,
} from './backup-manifest.js';
import { MIGRATIONS_TABLE, nonEmptyTables, restoreSequences, restoreTable } from './control-plane-dump.js';
import { sha256File } from './take-backup.js';
import { type WarehouseFacts, warehouseFacts, warehouseFileFacts } from './warehouse-snapshot.js';

export interface RestoreResult {
  from: string;
  backupCreatedAt: string;
  controlPlane: { tables: { table: string; rows: number }[]; migrationsApplied: string[] };
  warehouse: { tables: { table: string; rows: number }[]; migrationsApplied: string[] };
  /** What force moved aside instead of deleting. */
  movedAside: string[];
  agreement: BatchAgreement;
  pseudonymKey: { fingerprint: string | null; note: string };
}

const stamp = () => new Date().toISOString().replace(/\D/g, '').slice(0, 14);

function checkVersions(manifest: BackupManifest): void {
  const known = controlPlaneMigrations.map((migration) => new migration().name);
  const theirs = manifest.controlPlane.migrations;
  if (theirs.some((name, i) => known[i] !== name))
    throw backupUnusable(
      `the backup's control plane was migrated by another version of Shirube (${theirs.at(-1)}); restore it with that version or later`,
    );
  const warehouseKnown = loadWarehouseMigrations().map((m) => `${String(m.id).padStart(3, '0')}-${m.name}`);
  if (manifest.warehouse.migrations.some((label, i) => warehouseKnown[i] !== label))
    throw backupUnusable(
      `the backup's warehouse was migrated by another version of Shirube (${manifest.warehouse.migrations.at(-1)}); restore it with that version or later`,
    );
}

/**
 * The warehouse file: absent, empty, or holding rows (refused unless forced). Only looks: nothing is
 * changed before the control plane has been found fit as well.
 */
async function inspectWarehouseTarget(path: string, force: boolean): Promise<'absent' | 'empty' | 'holding'> {
  if (!existsSync(path)) return 'absent';
  const facts = await warehouseFileFacts(path);
  const holding = facts.tables.filter((t) => t.rows > 0 && t.table !== 'warehouse_migrations');
  if (holding.length === 0) return 'empty';
  if (!force)
    throw backupTargetNotEmpty(
      `${path} is not empty (${holding.map((t) => t.table).join(', ')}); restore into an empty warehouse, or pass --force to move it aside first`,
    );
  return 'holding';
}

/** An empty warehouse file is removed; one holding rows is moved aside (force), never deleted. */
function clearWarehouseTarget(path: string, state: 'absent' | 'empty' | 'holding', movedAside: string[]): void {
  const files = [path, `${path}.wal`].filter((file) => existsSync(file));
  if (state === 'empty') for (const file of files) rmSync(file);
  if (state !== 'holding') return;
  const aside = `${path}.before-restore-${stamp()}`;
  for (const file of files) renameSync(file, file === path ? aside : `${aside}.wal`);
  movedAside.push(aside);
}

/**
 * The control plane, ready for the backup's rows: nothing there yet, or migrated by an earlier version
 * than the backup's and empty (then brought up to it), or empty at a later version (its schema is dropped
 * and made again at the backup's), or holding rows (with force, its schema is renamed aside).
 */
async function clearControlPlaneTarget(
  runner: QueryRunner,
  manifest: BackupManifest,
  force: boolean,
  movedAside: string[],
): Promise<void> {
  const [{ exists }] = (await runner.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [MIGRATIONS_TABLE])) as {
    exists: boolean;
  }[];
  if (!exists) return;
  const holding = await nonEmptyTables(runner);
  const applied = ((await runner.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)) as { name: string }[]).map(
    (row) => row.name,
  );
  const behind = applied.every((name, i) => manifest.controlPlane.migrations[i] === name);
  if (holding.length === 0 && behind) return;
  if (holding.length > 0 && !force)
    throw backupTargetNotEmpty(
      `the control plane is not empty (${holding.join(', ')}); restore into a new database, or pass --force to move its tables aside first`,
    );
  const [{ schema }] = (await runner.query('SELECT current_schema() AS schema')) as { schema: string }[];
  if (holding.length > 0) {
    const aside = `shirube_before_restore_${stamp()}`;
    await runner.query(`ALTER SCHEMA "${schema}" RENAME TO "${aside}"`);
    movedAside.push(`schema ${aside}`);
  } else {
    await runner.query(`DROP SCHEMA "${schema}" CASCADE`);
  }
  await runner.query(`CREATE SCHEMA "${schema}"`);
}

/** Opens the control plane with only the migrations the backup had applied, and restores its rows. */
async function restoreControlPlane(
  config: ShirubeConfig,
  dir: string,
  manifest: BackupManifest,
  force: boolean,
  movedAside: string[],
): Promise<void> {
  const embedded = embeddedControlPlaneDir(config);
  if (embedded) acquireStoreLock(embedded);
  const migrations = controlPlaneMigrations.slice(0, manifest.controlPlane.migrations.length);
  // As the tables' owner when the application role is another (README, "Database roles"): a restore
  // migrates, empties and refills the tables and resets their sequences; the grants follow at the open below.
  const owner = { ...config, databaseUrl: config.databaseMigrationUrl ?? config.databaseUrl };
  const dataSource = new DataSource({ ...dataSourceOptions(owner), migrations });
  try {
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      await clearControlPlaneTarget(runner, manifest, force, movedAside);
      await dataSource.runMigrations();
      await runner.startTransaction();
      for (const table of manifest.controlPlane.tables) await restoreTable(runner, join(dir, CONTROL_PLANE_DIR), table);
      await restoreSequences(runner, manifest.controlPlane.sequences);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    if (embedded) releaseStoreLock(embedded);
  }
}

async function countRows(dataSource: DataSource, tables: string[]): Promise<{ table: string; rows: number }[]> {
  const counts: { table: string; rows: number }[] = [];
  for (const table of tables) {
    const [{ n }] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts.push({ table, rows: n });
  }
  return counts;
}

function checkCounts(
  store: string,
  expected: { table: string; rows: number }[],
  found: { table: string; rows: number }[],
) {
  const wrong = expected.filter((e) => found.find((f) => f.table === e.table)?.rows !== e.rows);
  if (wrong.length > 0)
    throw restoreMismatch(
      `the restored ${store} does not hold what the backup does: ${wrong.map((w) => `${w.table} (${w.rows} expected)`).join(', ')}`,
    );
}

export async function restoreBackup(
  config: ShirubeConfig,
  dir: string,
  options: { force?: boolean } = {},
): Promise<RestoreResult> {
  const manifest = readManifest(dir);
  checkVersions(manifest);
  const copy = join(dir, manifest.warehouse.file);
  if (!existsSync(copy)) throw backupUnusable(`${copy} is missing: the backup is not whole`);
  if ((await sha256File(copy)) !== manifest.warehouse.sha256)
    throw backupUnusable(`${copy} does not match the digest in the manifest: the backup is damaged`);
  const movedAside: string[] = [];
  if (config.duckdbPath === ':memory:') throw invalidField('DUCKDB_PATH', 'DUCKDB_PATH must be a file to restore into');
  const warehouseState = await inspectWarehouseTarget(config.duckdbPath, !!options.force);
  // Refuses a control plane that holds data (unless forced) before changing anything.
  await restoreControlPlane(config, dir, manifest, !!options.force, movedAside);
  clearWarehouseTarget(config.duckdbPath, warehouseState, movedAside);

  copyFileSync(copy, `${config.duckdbPath}.restoring`);
  renameSync(`${config.duckdbPath}.restoring`, config.duckdbPath);
  const warehouse = await Warehouse.open(config.duckdbPath, { memoryLimit: config.duckdbMemoryLimit });
  let restoredFacts: WarehouseFacts;
  let warehouseApplied: string[];
  try {
    checkCounts('warehouse', manifest.warehouse.tables, (await warehouse.read(warehouseFacts)).tables);
    warehouseApplied = await migrateWarehouse(warehouse);
    restoredFacts = await warehouse.read(warehouseFacts);
  } finally {
    await warehouse.close();
  }

  const dataSource = await openControlPlane(config);
  try {
    const tables = manifest.controlPlane.tables.map((t) => t.table);
    const counts = await countRows(dataSource, tables);
    checkCounts('control plane', manifest.controlPlane.tables, counts);
    const applied = (await dataSource.query<{ name: string }[]>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`))
      .map((row) => row.name)
      .slice(manifest.controlPlane.migrations.length);
    const batches = await dataSource.query<
      {
        id: string;
        status: string;
      }[]
    >(`SELECT id::text AS id, status FROM ingest_batches`);
    const agreement = batchAgreement(batches, restoredFacts);
    if (manifest.consistency.agree && !agreement.agree)
      throw restoreMismatch(
        `the restored stores do not agree on their ingest batches (${[...agreement.unknownToControlPlane, ...agreement.missingFromWarehouse].join(', ')}), although the backup's did`,
      );
    await requestContext.run(CLI_ACTOR, () =>
      new AuditService(dataSource).record({
        action: 'backup.restore',
        targetType: 'backup',
        targetId: manifest.createdAt,
        after: { from: dir, shirubeVersion: manifest.shirubeVersion, movedAside, batchesAgree: agreement.agree },
      }),
    );
    return {
      from: dir,
      backupCreatedAt: manifest.createdAt,
      controlPlane: { tables: counts, migrationsApplied: applied },
      warehouse: { tables: restoredFacts.tables, migrationsApplied: warehouseApplied },
      movedAside,
      agreement,
      pseudonymKey: { fingerprint: manifest.pseudonymKey.fingerprint, note: KEY_NOT_INCLUDED },
    };
  } finally {
    await closeControlPlane(dataSource, config);
  }
}
