import { listValue } from '@duckdb/node-api';
import { pseudonymKeyMismatch } from './ingest.errors.js';
import type { Warehouse, WarehouseSession } from '../warehouse/warehouse.js';
import type { Problem } from './ingest.types.js';
import { ingestSql } from './sql/ingest-sql.js';
import { say } from './problems/problem-catalogue.js';

const Q = {
  keyFingerprint: ingestSql('ledger/key-fingerprint'),
  recordBatch: ingestSql('ledger/record-batch'),
  recordKey: ingestSql('ledger/record-key'),
  loadedBatches: ingestSql('ledger/loaded-batches'),
};

/**
 * What the warehouse says it holds (warehouse migration 009), checked against what the control plane
 * remembers: the batches whose load committed (loaded_batches) and the fingerprint of the pseudonym
 * key its rows were pseudonymised with (pseudonym_key).
 */

/** The fingerprint the warehouse was loaded with, or null before its first load under migration 009. */
export async function recordedFingerprint(warehouse: Pick<Warehouse, 'all'>): Promise<string | null> {
  const rows = await warehouse.all<{ fingerprint: string }>(Q.keyFingerprint);
  return rows[0]?.fingerprint ?? null;
}

/** Refuses a key other than the one the warehouse was loaded with: the same student would get two pseudonyms. */
export function assertSameKey(recorded: string | null, fingerprint: string, where: string): void {
  if (recorded === null || recorded === fingerprint) return;
  throw pseudonymKeyMismatch(
    `${where}: the pseudonym key (fingerprint ${fingerprint.slice(0, 16)}…) is not the key this warehouse was loaded with ` +
      `(fingerprint ${recorded.slice(0, 16)}…); its pseudonyms would not match the students already loaded. ` +
      'Set PSEUDONYM_KEY_FILE to the board’s key, or load into a new warehouse (DUCKDB_PATH).',
  );
}

/**
 * In the batch's transaction, before it commits: the batch is recorded as held, and the key's
 * fingerprint on the first load (checked again: nothing else can have been loaded meanwhile, the
 * writer being one).
 */
export async function recordLoad(
  session: WarehouseSession,
  batchId: string,
  fingerprint: string | null,
): Promise<void> {
  await session.run(Q.recordBatch, [batchId]);
  if (fingerprint === null) return;
  assertSameKey(await recordedFingerprint(session), fingerprint, 'ingest');
  await session.run(Q.recordKey, [fingerprint]);
}

/** Of these batches, the ones the warehouse holds. */
export async function heldBatches(warehouse: Pick<Warehouse, 'all'>, batchIds: string[]): Promise<Set<string>> {
  if (batchIds.length === 0) return new Set();
  const rows = await warehouse.all<{ batch_id: string }>(Q.loadedBatches, [listValue(batchIds)]);
  return new Set(rows.map((row) => row.batch_id));
}

/**
 * The files the control plane remembers as loaded whose batch (one of them, if several loaded the same
 * content) the warehouse holds: only those are skipped. Each other one (a new warehouse, or one restored
 * from before its batch) is loaded again, with a warning that says so.
 */
export async function confirmLoadedBefore(
  warehouse: Pick<Warehouse, 'all'>,
  loadedBefore: Map<string, string[]>,
  files: { name: string; sha256: string }[],
): Promise<{ loadedBefore: Map<string, string>; problems: Problem[] }> {
  const held = await heldBatches(warehouse, [...new Set([...loadedBefore.values()].flat())]);
  const confirmed = new Map<string, string>();
  for (const [sha256, batchIds] of loadedBefore) {
    const batchId = batchIds.find((id) => held.has(id));
    if (batchId) confirmed.set(sha256, batchId);
  }
  const problems = files
    .filter((file) => loadedBefore.has(file.sha256) && !confirmed.has(file.sha256))
    .map((file): Problem => ({
      severity: 'warning',
      file: file.name,
      row: null,
      column: null,
      value: null,
      ...say('ledger.batch_missing', { batches: loadedBefore.get(file.sha256)!.join(', ') }),
    }));
  return { loadedBefore: confirmed, problems };
}
