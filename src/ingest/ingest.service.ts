import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { pseudonymKeyPath, readPseudonymKey } from '../config/pseudonym-key.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { detectInputs } from './detect.js';
import type { BatchStatus, IngestBatch, IngestFile } from './entities/ingest-batch.entity.js';
import { FEEDS } from './feeds/index.js';
import { IngestEvents } from './ingest-events.js';
import { feedForbidden, pseudonymKeyUnavailable } from './ingest.errors.js';
import { Telemetry } from '../observability/telemetry.js';
import { IngestRepository } from './ingest.repository.js';
import { FEED_KINDS } from './ingest.types.js';
import type { BatchReport, IngestOptions } from './ingest-report.js';
import { runBatch, type BatchRun } from './batch-pipeline.js';
import { Pseudonymizer } from './pseudonymizer.js';
import { checkKeyAtBoot, finishStoppedBatches } from './ingest-recovery.js';
import { assertSameKey, confirmLoadedBefore, recordedFingerprint } from './warehouse-ledger.js';
import { sweepStaleTempDirs } from './temp-dirs.js';

export type { BatchReport, FeedReport, IngestOptions } from './ingest-report.js';

const EMPTY_COUNTS = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, errors: 0, warnings: 0 };
const FAILED = 'the ingest failed on an internal error; nothing of the batch was loaded';
/** Feeds a school may upload for its own school (Feed.schoolMayUpload); rosters, programmes and xAPI come from the board. */
const SCHOOL_FEEDS = FEED_KINDS.filter((kind) => FEEDS[kind].schoolMayUpload);

/**
 * Loads a batch of files into the warehouse: all or nothing. Everything is staged, validated and
 * pseudonymised in memory first; only a batch without errors (or, with acceptPartial, its valid rows)
 * is written, in one warehouse transaction.
 */
@Injectable()
export class IngestService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Ingest');

  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    private readonly repository: IngestRepository,
    private readonly audit: AuditService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
    private readonly events: IngestEvents,
    private readonly telemetry: Telemetry,
  ) {}

  /**
   * A batch left 'running' by a stopped process: if its warehouse transaction never committed, nothing
   * of it is in the warehouse ('interrupted'); if it committed just before the stop, its rows carry its id.
   */
  async onApplicationBootstrap(): Promise<void> {
    // Raw uploads and unpacked zips a crashed process left (they hold IDs not yet pseudonymised).
    const stale = sweepStaleTempDirs();
    if (stale.length > 0)
      this.logger.log(`removed ${stale.length} temporary folder(s) of raw input a stopped process left`);
    await checkKeyAtBoot(this.warehouse, pseudonymKeyPath(this.config));
    await finishStoppedBatches(this.warehouse, this.repository);
  }

  private pseudonymizer(prePseudonymized: boolean): Pseudonymizer {
    if (prePseudonymized) return new Pseudonymizer(null);
    const path = pseudonymKeyPath(this.config);
    try {
      return new Pseudonymizer(readPseudonymKey(path));
    } catch (error) {
      throw pseudonymKeyUnavailable((error as Error).message);
    }
  }

  async ingest(path: string, actor: Actor, options: IngestOptions = {}): Promise<BatchReport> {
    const started = performance.now();
    const pseudonymizer = this.pseudonymizer(!!options.prePseudonymized);
    let fingerprint = pseudonymizer.fingerprint();
    if (fingerprint) assertSameKey(await recordedFingerprint(this.warehouse), fingerprint, 'ingest');
    // A file whose feed reads it first (Feed.firstRead) is read while it is hashed.
    const firstReads = new Map<string, Promise<unknown>>();
    const detected = await detectInputs(path, {
      forced: options.feed,
      encoding: options.encoding,
      // Before any zip is unpacked or file hashed: a school may upload its own school's files only.
      authorize: (planned) => {
        if (!options.scopeSchool) return;
        const notAllowed = planned.filter((input) => !SCHOOL_FEEDS.includes(input.kind));
        if (notAllowed.length > 0) {
          throw feedForbidden(
            `a school may upload ${SCHOOL_FEEDS.join(', ')} only; ${notAllowed.map((i) => `${i.name} is ${i.kind}`).join(', ')}`,
          );
        }
      },
      beforeHash: (kind, file) => {
        const feed = FEEDS[kind];
        if (feed.firstRead && options.directLoad !== false)
          firstReads.set(file, feed.firstRead(this.warehouse, file, pseudonymizer));
      },
    }).catch(async (error: unknown) => {
      await Promise.allSettled(firstReads.values());
      throw error;
    });
    try {
      // Pre-pseudonymised files carry the fingerprint of the key `shirube pseudonymize` used, when they were sent with it.
      if (options.prePseudonymized && detected.keyFingerprint) {
        fingerprint = detected.keyFingerprint;
        assertSameKey(await recordedFingerprint(this.warehouse), fingerprint, 'the pseudonymised files');
      }
      const detectMs = performance.now() - started;
      const batchId = randomUUID();
      const allFiles = detected.inputs.flatMap((input) =>
        input.files.map((file) => ({
          name: file.name,
          feed: input.kind,
          sha256: file.sha256,
          bytes: String(file.bytes),
        })),
      );
      await this.repository.createBatch(
        {
          id: batchId,
          actorUserId: actor.userId,
          actorName: actor.name,
          options: {
            feed: options.feed ?? null,
            acceptPartial: !!options.acceptPartial,
            prePseudonymized: !!options.prePseudonymized,
            scopeSchool: options.scopeSchool ?? null,
          },
        },
        allFiles,
      );
      // A file the control plane remembers is skipped only if the warehouse holds its batch.
      const remembered = await confirmLoadedBefore(
        this.warehouse,
        await this.repository.loadedBatchOf(
          allFiles.map((f) => f.sha256),
          options.scopeSchool ?? null,
        ),
        allFiles,
      );
      const report = await this.stageAndLoad({
        batchId,
        inputs: detected.inputs,
        detectProblems: [...detected.problems, ...remembered.problems],
        loadedBefore: remembered.loadedBefore,
        pseudonymizer,
        options,
        firstReads,
        fingerprint,
      }).catch(async (error: unknown) => {
        // Never left 'running' until a restart: the warehouse transaction was rolled back (or never began).
        await this.repository.finishBatch(
          batchId,
          { ...EMPTY_COUNTS, status: 'failed', report: { batchId, status: 'failed', message: FAILED } },
          new Map(allFiles.map((f) => [f.name, 'rejected' as const])),
        );
        this.telemetry.ingestFinished({ status: 'failed', feeds: [] }, (performance.now() - started) / 1000);
        throw error;
      });
      report.timingsMs.detect = Math.round(detectMs);
      report.timingsMs.total = Math.round(performance.now() - started);
      const fileStatuses = new Map<string, IngestFile['status']>();
      for (const feed of report.feeds) {
        for (const file of feed.files)
          fileStatuses.set(
            file.name,
            feed.skipped
              ? 'skipped'
              : report.status === 'loaded' || report.status === 'partial'
                ? 'loaded'
                : 'rejected',
          );
      }
      await this.repository.finishBatch(batchId, { ...report, report }, fileStatuses);
      this.telemetry.ingestFinished(report, report.timingsMs.total / 1000);
      await this.audit.record({
        action: 'ingest.batch',
        targetType: 'ingest_batch',
        targetId: batchId,
        after: {
          status: report.status,
          rowsLoaded: report.rowsLoaded,
          rowsRejected: report.rowsRejected,
          feeds: report.feeds.map((f) => f.name),
        },
      });
      if (report.status === 'loaded' || report.status === 'partial') await this.events.batchLoaded(batchId);
      this.logger.log(
        `batch ${batchId}: ${report.status}, ${report.rowsLoaded} rows loaded, ${report.rowsRejected} rejected, ${report.errors} errors, ${report.warnings} warnings`,
      );
      return report;
    } finally {
      await Promise.allSettled(firstReads.values());
      detected.cleanup();
    }
  }

  private async stageAndLoad(run: BatchRun): Promise<BatchReport> {
    return this.warehouse.exclusive((session) =>
      runBatch(session, FEEDS, run, (message) => this.logger.debug(message)),
    );
  }

  /** The latest batches, newest first (the board's data page). */
  recentBatches(limit: number): Promise<IngestBatch[]> {
    return this.repository.listBatches(limit);
  }

  /** A batch's report, and who ran it (for the caller to scope). */
  async batch(id: string): Promise<{
    report: BatchReport | { batchId: string; status: BatchStatus; message: string };
    actorUserId: string | null;
  }> {
    const batch = await this.repository.findBatch(id);
    if (!batch) throw notFound('ingest batch', id);
    const report = (batch.report as BatchReport | null) ?? {
      batchId: id,
      status: batch.status,
      message: 'the batch is still running',
    };
    return { report, actorUserId: batch.actorUserId };
  }
}
