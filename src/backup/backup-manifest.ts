import { backupUnusable } from './backup.errors.js';
/**
 * A backup's manifest (`manifest.json`): what is in the folder, from which versions, and what each
 * store said it held when it was copied, so that a restore can check the two stores still agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import type { DumpedSequence, DumpedTable } from './control-plane-dump.js';
import type { WarehouseFacts } from './warehouse-snapshot.js';

export const BACKUP_FORMAT = 'shirube-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const CONTROL_PLANE_DIR = 'control-plane';
export const WAREHOUSE_FILE = 'warehouse.duckdb';

export const KEY_NOT_INCLUDED =
  'The pseudonym key (PSEUDONYM_KEY_FILE) is not in this backup, on purpose: back it up separately. ' +
  'Restored without the same key, data loaded afterwards no longer links to the students already in the warehouse.';

export interface ControlPlaneBatch {
  id: string;
  status: string;
}

/** How the ingest batches the two stores know compare (see batchAgreement). */
export interface BatchAgreement {
  agree: boolean;
  /** Batches the warehouse holds that the control plane does not know, or knows as not loaded. */
  unknownToControlPlane: string[];
  /** Batches the control plane records as loaded that the warehouse does not hold (known only when batchesExact). */
  missingFromWarehouse: string[];
  /** Batches whose load was still running: the next start records them as loaded or interrupted. */
  running: string[];
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  shirubeVersion: string;
  controlPlane: {
    engine: 'postgresql' | 'pglite';
    migrations: string[];
    tables: DumpedTable[];
    sequences: DumpedSequence[];
    batches: ControlPlaneBatch[];
  };
  warehouse: WarehouseFacts & { file: string; bytes: number; sha256: string; duckdbVersion: string };
  consistency: BatchAgreement & { method: string };
  pseudonymKey: { included: false; fingerprint: string | null; note: string };
}

export function shirubeVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Compares what the control plane records of each batch with what the warehouse holds. */
export function batchAgreement(controlPlane: ControlPlaneBatch[], warehouse: WarehouseFacts): BatchAgreement {
  const status = new Map(controlPlane.map((batch) => [batch.id, batch.status]));
  const held = new Set(warehouse.batches);
  const counted = ['loaded', 'partial'];
  const unknownToControlPlane = warehouse.batches.filter(
    (id) => !counted.includes(status.get(id) ?? '') && status.get(id) !== 'running',
  );
  const missingFromWarehouse = warehouse.batchesExact
    ? controlPlane.filter((batch) => counted.includes(batch.status) && !held.has(batch.id)).map((batch) => batch.id)
    : [];
  const running = controlPlane.filter((batch) => batch.status === 'running').map((batch) => batch.id);
  return {
    agree: unknownToControlPlane.length === 0 && missingFromWarehouse.length === 0,
    unknownToControlPlane,
    missingFromWarehouse,
    running,
  };
}

export function readManifest(dir: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw backupUnusable(
      code === 'ENOENT'
        ? `${dir} holds no ${MANIFEST_FILE}: not a Shirube backup, or one that did not finish`
        : `${join(dir, MANIFEST_FILE)} cannot be read (${code ?? (error as Error).message})`,
    );
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw backupUnusable(`${dir}: ${MANIFEST_FILE} is not a Shirube backup's manifest`);
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION)
    throw backupUnusable(
      `${dir} was written by a newer Shirube (backup format ${manifest.formatVersion}); restore it with that version or later`,
    );
  return manifest;
}
