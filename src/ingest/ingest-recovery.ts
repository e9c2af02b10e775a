import { existsSync } from 'node:fs';
import { readPseudonymKey } from '../config/pseudonym-key.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { IngestRepository } from './ingest.repository.js';
import { Pseudonymizer } from './pseudonymizer.js';
import { assertSameKey, recordedFingerprint } from './warehouse-ledger.js';
import { ingestSql, quoteIdent, render } from './sql/ingest-sql.js';

const Q = { batchTables: ingestSql('recovery/batch-tables'), batchInTable: ingestSql('recovery/batch-in-table') };

/**
 * A batch left 'running' by a stopped process: if its warehouse transaction never committed, nothing
 * of it is in the warehouse ('interrupted'); if it committed just before the stop, its rows (or
 * loaded_batches) carry its id.
 */
export async function finishStoppedBatches(warehouse: Warehouse, repository: IngestRepository): Promise<void> {
  const running = await repository.runningBatches();
  if (running.length === 0) return;
  // Base tables only: a view (attendance_days) shows the rows its storage table holds.
  const tables = await warehouse.all<{ table_name: string }>(Q.batchTables);
  for (const batch of running) {
    let committed = false;
    for (const { table_name } of tables) {
      const found = await warehouse.all(render(Q.batchInTable, { table: quoteIdent(table_name) }), [batch.id]);
      committed ||= found.length > 0;
      if (committed) break;
    }
    const message = committed
      ? 'the process stopped after the warehouse committed this batch; its counts were not recorded'
      : 'the process stopped before the batch finished; the warehouse was left exactly as it was';
    await repository.finishBatch(
      batch.id,
      {
        status: committed ? 'loaded' : 'interrupted',
        rowsRead: 0,
        rowsLoaded: 0,
        rowsRejected: 0,
        errors: 0,
        warnings: 0,
        report: { batchId: batch.id, message },
      },
      new Map(),
    );
  }
}

/**
 * At start, the pseudonym key against the fingerprint the warehouse was loaded with: a process with
 * another key does not start (each ingest checks it again). No key file yet: nothing to check.
 */
export async function checkKeyAtBoot(warehouse: Warehouse, keyPath: string): Promise<void> {
  if (!existsSync(keyPath)) return;
  let fingerprint: string | null;
  try {
    fingerprint = new Pseudonymizer(readPseudonymKey(keyPath)).fingerprint();
  } catch {
    return; // an unreadable key is refused by the ingest that needs it, with its reason
  }
  if (fingerprint) assertSameKey(await recordedFingerprint(warehouse), fingerprint, `PSEUDONYM_KEY_FILE ${keyPath}`);
}
