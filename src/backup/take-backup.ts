/**
 * One backup of both stores, consistent with each other: the warehouse is copied on its writer
 * connection, so no ingest batch can commit meanwhile; while that connection is still held, the control
 * plane is read in one REPEATABLE READ transaction, once every batch the warehouse holds is recorded as
 * finished there. The two copies then describe the same batches, which the manifest lists from both
 * sides. The backup is written to a folder beside the target and renamed into place when complete:
 * a folder with a manifest is a whole backup.
 */
import { backupTargetNotEmpty } from './backup.errors.js';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  batchAgreement,
  CONTROL_PLANE_DIR,
  type BackupManifest,
  type ControlPlaneBatch,
  KEY_NOT_INCLUDED,
  MANIFEST_FILE,
  shirubeVersion,
  WAREHOUSE_FILE,
} from './backup-manifest.js';
import { appliedMigrations, dumpTables, sequencePositions } from './control-plane-dump.js';
import { copyWarehouse, warehouseFacts } from './warehouse-snapshot.js';

const CONSISTENCY_METHOD =
  'the warehouse copied on its writer connection (no batch commits meanwhile); the control plane read in one ' +
  'REPEATABLE READ transaction while that connection was still held, once every batch the warehouse holds was recorded as finished';

/** How long a backup waits for a batch the warehouse committed to be recorded as finished by the control plane. */
const FINISH_WAIT_MS = 10_000;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The target must not hold anything yet: a backup never overwrites another. */
function checkTarget(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory() || readdirSync(out).length > 0)
    throw backupTargetNotEmpty(`${out} already exists and is not an empty folder; a backup never overwrites one`);
}

async function controlPlaneBatches(runner: QueryRunner | DataSource): Promise<ControlPlaneBatch[]> {
  return (await runner.query(`SELECT id::text AS id, status FROM ingest_batches ORDER BY id`)) as ControlPlaneBatch[];
}

/** Waits (a few seconds at most) until no batch the warehouse holds is still 'running' in the control plane. */
async function untilHeldBatchesFinished(dataSource: DataSource, held: string[]): Promise<void> {
  const heldSet = new Set(held);
  const deadline = Date.now() + FINISH_WAIT_MS;
  for (;;) {
    const running = (await controlPlaneBatches(dataSource)).filter(
      (batch) => batch.status === 'running' && heldSet.has(batch.id),
    );
    if (running.length === 0 || Date.now() > deadline) return;
    await new Promise((done) => setTimeout(done, 50));
  }
}

export async function takeBackup(
  dataSource: DataSource,
  warehouse: Warehouse,
  outDir: string,
  engine: 'postgresql' | 'pglite',
): Promise<BackupManifest> {
  const out = resolve(outDir);
  checkTarget(out);
  mkdirSync(dirname(out), { recursive: true });
  const work = join(dirname(out), `.${basename(out)}.incomplete-${process.pid}-${Date.now()}`);
  mkdirSync(join(work, CONTROL_PLANE_DIR), { recursive: true, mode: 0o700 });
  try {
    const manifest = await warehouse.exclusive(async (session) => {
      const facts = await warehouseFacts(session);
      const [{ version }] = await session.all<{ version: string }>('SELECT version() AS version');
      await copyWarehouse(session, join(work, WAREHOUSE_FILE));
      await untilHeldBatchesFinished(dataSource, facts.batches);
      const runner = dataSource.createQueryRunner();
      try {
        await runner.startTransaction('REPEATABLE READ');
        const migrations = await appliedMigrations(runner);
        const tables = await dumpTables(runner, join(work, CONTROL_PLANE_DIR));
        const batches = await controlPlaneBatches(runner);
        const sequences = await sequencePositions(runner);
        await runner.commitTransaction();
        const created: BackupManifest = {
          format: BACKUP_FORMAT,
          formatVersion: BACKUP_FORMAT_VERSION,
          createdAt: new Date().toISOString(),
          shirubeVersion: shirubeVersion(),
          controlPlane: { engine, migrations, tables, sequences, batches },
          warehouse: { file: WAREHOUSE_FILE, bytes: 0, sha256: '', duckdbVersion: version, ...facts },
          consistency: { method: CONSISTENCY_METHOD, ...batchAgreement(batches, facts) },
          pseudonymKey: { included: false, fingerprint: facts.pseudonymKeyFingerprint, note: KEY_NOT_INCLUDED },
        };
        return created;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        throw error;
      } finally {
        await runner.release();
      }
    });
    const copy = join(work, WAREHOUSE_FILE);
    chmodSync(copy, 0o600);
    manifest.warehouse.bytes = statSync(copy).size;
    manifest.warehouse.sha256 = await sha256File(copy);
    writeFileSync(join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    if (existsSync(out)) rmdirSync(out);
    renameSync(work, out);
    return manifest;
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
