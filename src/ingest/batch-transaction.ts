import type { WarehouseSession } from '../warehouse/warehouse.js';
import { refreshDerivedTables } from './derived-tables.js';
import { DirectLoadDeclined } from './feeds/attendance-direct.js';
import { linkUnlinkedActivity } from './feeds/xapi.feed.js';
import type { FeedReport } from './ingest.service.js';
import type { StagedFeed } from './ingest.types.js';
import type { Staging } from './staging.js';
import { recordLoad } from './warehouse-ledger.js';

export interface StagedEntry {
  feed: StagedFeed;
  report: FeedReport;
}

/**
 * Loads every staged feed in one warehouse transaction, with the derived tables, and records the batch
 * (and, on the first load, the key's fingerprint) as the warehouse's own: committed, or rolled back and
 * thrown. A direct load that declines is rolled back too and returned (with the entry).
 */
export async function loadInTransaction(
  session: WarehouseSession,
  staging: Staging,
  batch: { batchId: string; staged: StagedEntry[]; fingerprint: string | null },
): Promise<{ entry: StagedEntry; reason: string } | null> {
  const { batchId, staged } = batch;
  let loading: StagedEntry | null = null;
  await session.run('BEGIN TRANSACTION');
  try {
    for (const entry of staged) {
      loading = entry;
      entry.report.rowsLoaded = await entry.feed.load(session);
      if (entry.feed.direct) entry.report.loadedDirectly = true;
    }
    loading = null;
    await refreshDerivedTables(
      session,
      batchId,
      staged.map(({ feed }) => feed),
    );
    const roster = staged.find(({ feed }) => feed.input.kind === 'oneroster');
    if (roster) {
      const links = await linkUnlinkedActivity(session, staging);
      if (links.linkedStatements > 0)
        roster.report.notes = { ...roster.report.notes, linkedLearningActivity: links.linkedStatements };
    }
    await recordLoad(session, batchId, batch.fingerprint);
    await session.run('COMMIT');
    return null;
  } catch (error) {
    await session.run('ROLLBACK');
    for (const { report } of staged) {
      report.rowsLoaded = 0;
      delete report.loadedDirectly;
    }
    if (error instanceof DirectLoadDeclined && loading) return { entry: loading, reason: error.message };
    throw error;
  }
}
