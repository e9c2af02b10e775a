import type { WarehouseSession } from '../warehouse/warehouse.js';
import { refreshDerivedTables } from './derived-tables.js';
import { LoadDeclined, type Feed, type StagedFeed } from './feed.js';
import type { FeedReport } from './ingest-report.js';
import type { FeedKind } from './ingest.types.js';
import type { Staging } from './staging.js';
import { ingestSql } from './sql/ingest-sql.js';
import { recordLoad } from './warehouse-ledger.js';

export interface StagedEntry {
  feed: StagedFeed;
  report: FeedReport;
}

const Q = {
  begin: ingestSql('batch/begin'),
  commit: ingestSql('batch/commit'),
  rollback: ingestSql('batch/rollback'),
};

/**
 * Loads every staged feed in one warehouse transaction, with the derived tables and each feed's
 * after-load step (Feed.afterLoad, once per kind), and records the batch (and, on the first load, the
 * key's fingerprint) as the warehouse's own: committed, or rolled back and thrown. A load that declines
 * (LoadDeclined) is rolled back too and returned (with the entry).
 */
export async function loadInTransaction(
  session: WarehouseSession,
  staging: Staging,
  feeds: Readonly<Record<FeedKind, Feed>>,
  batch: { batchId: string; staged: StagedEntry[]; fingerprint: string | null },
): Promise<{ entry: StagedEntry; reason: string } | null> {
  const { batchId, staged } = batch;
  let loading: StagedEntry | null = null;
  await session.run(Q.begin);
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
    const done = new Set<FeedKind>();
    for (const { feed, report } of staged) {
      const afterLoad = feeds[feed.input.kind].afterLoad;
      if (!afterLoad || done.has(feed.input.kind)) continue;
      done.add(feed.input.kind);
      await afterLoad(session, staging, report);
    }
    await recordLoad(session, batchId, batch.fingerprint);
    await session.run(Q.commit);
    return null;
  } catch (error) {
    await session.run(Q.rollback);
    for (const { report } of staged) {
      report.rowsLoaded = 0;
      delete report.loadedDirectly;
    }
    if (error instanceof LoadDeclined && loading) return { entry: loading, reason: error.message };
    throw error;
  }
}
