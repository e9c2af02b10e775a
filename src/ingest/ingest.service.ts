import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { pseudonymKeyPath, readPseudonymKey } from '../config/pseudonym-key.js';
import { Warehouse, type WarehouseSession } from '../warehouse/warehouse.js';
import { detectInputs } from './detect.js';
import type { BatchStatus, IngestFile } from './entities/ingest-batch.entity.js';
import { readStudentIds, type StudentIdCount } from './feeds/attendance-direct.js';
import { FEEDS } from './feeds/index.js';
import { IngestEvents } from './ingest-events.js';
import { feedForbidden, pseudonymKeyUnavailable } from './ingest.errors.js';
import { Telemetry } from '../observability/telemetry.js';
import { IngestRepository } from './ingest.repository.js';
import type { FeedInput, FeedKind, Problem, StagedFeed } from './ingest.types.js';
import { Pseudonymizer } from './pseudonymizer.js';
import { loadInTransaction, type StagedEntry } from './batch-transaction.js';
import { checkKeyAtBoot, finishStoppedBatches } from './ingest-recovery.js';
import type { DeclaredEncoding } from './encoding.js';
import { Staging } from './staging.js';
import { assertSameKey, confirmLoadedBefore, recordedFingerprint } from './warehouse-ledger.js';
import { sweepStaleTempDirs } from './temp-dirs.js';
import { unreadableInput } from './unreadable-input.js';

export interface IngestOptions {
  feed?: FeedKind;
  acceptPartial?: boolean;
  prePseudonymized?: boolean;
  /** The CSV files' encoding; 'auto' (default): UTF-8, else Shift_JIS (encoding.ts). */
  encoding?: DeclaredEncoding;
  /** A school user: rows of any other school are errors. */
  scopeSchool?: string | null;
  onProgress?: (feed: string, rows: number) => void;
  /**
   * Load a clean attendance file straight into the warehouse (attendance-direct.ts; default true). False
   * stages every row first, as a declined direct load does: the same outcome, used by tests to compare.
   */
  directLoad?: boolean;
}

export interface FeedReport {
  kind: FeedKind;
  name: string;
  files: { name: string; sha256: string; bytes: number; encoding?: 'shift_jis' }[];
  skipped?: string;
  rowsRead: number;
  rowsRejected: number;
  rowsLoaded: number;
  /** The rows went straight from the file into the warehouse: no row needed a row-by-row check (attendance-direct.ts). */
  loadedDirectly?: boolean;
  notes?: Record<string, unknown>;
}

export interface BatchReport {
  batchId: string;
  status: BatchStatus;
  message: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  errors: number;
  warnings: number;
  feeds: FeedReport[];
  problemsByRule: { severity: string; file: string; column: string | null; rule: string; count: number }[];
  /** The first problems in file and row order (every one is counted in problemsByRule). */
  problems: Problem[];
  timingsMs: { detect: number; stage: number; load: number; total: number };
}

/** What one batch stages and loads. */
interface BatchRun {
  batchId: string;
  inputs: FeedInput[];
  detectProblems: Problem[];
  /** sha256 → the batch that loaded a file before. */
  loadedBefore: Map<string, string>;
  pseudonymizer: Pseudonymizer;
  options: IngestOptions;
  /** path → the direct load's first read of the file, started while it was hashed. */
  firstReads: Map<string, Promise<StudentIdCount[] | null>>;
  /** The pseudonym key's fingerprint (null for pre-pseudonymised input), recorded at the first load. */
  fingerprint: string | null;
}

const PROBLEMS_LISTED = 1000;
const EMPTY_COUNTS = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, errors: 0, warnings: 0 };
const FAILED = 'the ingest failed on an internal error; nothing of the batch was loaded';
/** Feeds a school may upload for its own school; rosters, programmes and xAPI come from the board. */
const SCHOOL_FEEDS: FeedKind[] = ['calendar', 'attendance', 'assessments', 'guidance'];

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
    // A daily attendance file the direct load may take is read for its student IDs while it is hashed.
    const firstReads = new Map<string, Promise<StudentIdCount[] | null>>();
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
        if (kind === 'attendance' && options.directLoad !== false)
          firstReads.set(file, readStudentIds(this.warehouse, file, pseudonymizer));
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
    return this.warehouse.exclusive((session) => this.stageAndLoadIn(session, run));
  }

  private async stageAndLoadIn(session: WarehouseSession, run: BatchRun): Promise<BatchReport> {
    const { batchId, inputs, detectProblems, loadedBefore, pseudonymizer, options } = run;
    const staging = await Staging.open(session, batchId, pseudonymizer);
    try {
      for (const problem of detectProblems) await staging.problem(problem);
      const stageStarted = performance.now();
      // A direct load writes one file's rows under the batch's number: with another file of the same feed
      // in the batch, the rows of the two could not be told apart.
      const soleOfKind = (input: FeedInput) => inputs.filter((other) => other.kind === input.kind).length === 1;
      const stage = (input: FeedInput, directLoad: boolean) =>
        FEEDS[input.kind]
          .stage(
            {
              batchId,
              staging,
              pseudonymizer,
              scopeSchool: options.scopeSchool ?? null,
              directLoad,
              studentIds: (path: string) => run.firstReads.get(path),
              progress: options.onProgress ?? (() => undefined),
            },
            input,
          )
          .catch(async (error: unknown): Promise<StagedFeed> => {
            // A file the reader refuses in a way no rule foresaw: an error naming the file, not a 500.
            const problem = unreadableInput(input, error);
            if (!problem) throw error;
            await staging.problem(problem);
            return { input, rowsRead: 0, load: async () => 0, rowsRejected: async () => 0 };
          });
      const staged: StagedEntry[] = [];
      const feeds: FeedReport[] = [];
      let rostersDone = false;
      for (const input of inputs) {
        const files = input.files.map((f) => ({
          name: f.name,
          sha256: f.sha256,
          bytes: f.bytes,
          ...(f.encoding ? { encoding: f.encoding } : {}),
        }));
        const previous = input.files.every((f) => loadedBefore.has(f.sha256))
          ? loadedBefore.get(input.files[0].sha256)
          : undefined;
        if (previous) {
          feeds.push({
            kind: input.kind,
            name: input.name,
            files,
            skipped: `already loaded in batch ${previous}`,
            rowsRead: 0,
            rowsRejected: 0,
            rowsLoaded: 0,
          });
          continue;
        }
        // The resolver (built when staging opened) takes in the rosters staged before the other feeds.
        if (input.kind !== 'oneroster' && !rostersDone) {
          if (staged.some(({ feed }) => feed.input.kind === 'oneroster')) await staging.buildResolver();
          rostersDone = true;
        }
        const feed = await stage(input, options.directLoad !== false && soleOfKind(input));
        const report: FeedReport = {
          kind: input.kind,
          name: input.name,
          files,
          rowsRead: feed.rowsRead,
          rowsRejected: 0,
          rowsLoaded: 0,
        };
        staged.push({ feed, report });
        feeds.push(report);
      }
      const rostersStaged = staged.some(({ feed }) => feed.input.kind === 'oneroster');
      // A roster-only batch still needs the resolver rebuilt: stored unlinked learning activity is linked from it at load.
      if (rostersStaged && !rostersDone) await staging.buildResolver();
      let stageMs = performance.now() - stageStarted;
      // Staged again row by row (the other feeds stay staged): a direct load declined, or not to be tried.
      const restage = async (entries: StagedEntry[]) => {
        const started = performance.now();
        for (const entry of entries) {
          entry.feed = await stage(entry.feed.input, false);
          entry.report.rowsRead = entry.feed.rowsRead;
        }
        stageMs += performance.now() - started;
      };
      for (;;) {
        for (const { feed, report } of staged) {
          report.rowsRejected = await feed.rowsRejected();
          if (feed.notes) report.notes = await feed.notes();
        }
        const problems = await staging.problems(PROBLEMS_LISTED);
        const rowsRead = feeds.reduce((sum, f) => sum + f.rowsRead, 0);
        const rowsRejected = feeds.reduce((sum, f) => sum + f.rowsRejected, 0);
        const base = {
          batchId,
          rowsRead,
          rowsRejected,
          errors: problems.errors,
          warnings: problems.warnings,
          feeds,
          problemsByRule: problems.byRule,
          problems: problems.list,
        };
        if (staged.length === 0) {
          const status: BatchStatus = problems.errors > 0 ? 'rejected' : 'noop';
          const message =
            status === 'noop' ? 'nothing new: every file was loaded before' : 'nothing loaded: see the errors';
          return {
            ...base,
            status,
            message,
            rowsLoaded: 0,
            timingsMs: { detect: 0, stage: Math.round(stageMs), load: 0, total: 0 },
          };
        }
        // Rejected for errors elsewhere: a file staged for a direct load has not been checked row by row
        // yet (its checks run at load); it is, so that the report names its problems too.
        const direct = staged.filter(({ feed }) => feed.direct);
        if (problems.errors > 0 && !options.acceptPartial && direct.length > 0) {
          await restage(direct);
          continue;
        }
        if (problems.errors > 0 && !options.acceptPartial) {
          return {
            ...base,
            status: 'rejected',
            message: `nothing loaded: ${problems.errors} error(s); fix them and ingest again (or load the valid rows with --accept-partial)`,
            rowsLoaded: 0,
            timingsMs: { detect: 0, stage: Math.round(stageMs), load: 0, total: 0 },
          };
        }
        const loadStarted = performance.now();
        const declined = await loadInTransaction(session, staging, { batchId, staged, fingerprint: run.fingerprint });
        if (declined) {
          // Rolled back, nothing of the batch is in the warehouse. The declined feed is staged again row by
          // row (the others stay staged), which names every problem with its row; then the batch loads again.
          this.logger.debug(
            `batch ${batchId}: ${declined.entry.feed.input.name} staged row by row (${declined.reason})`,
          );
          await restage([declined.entry]);
          continue;
        }
        const rowsLoaded = feeds.reduce((sum, f) => sum + f.rowsLoaded, 0);
        const status: BatchStatus = problems.errors > 0 ? 'partial' : 'loaded';
        const message =
          status === 'partial'
            ? `loaded the valid rows; ${rowsRejected} row(s) rejected and kept in this report`
            : `loaded ${rowsLoaded} row(s)`;
        return {
          ...base,
          status,
          message,
          rowsLoaded,
          timingsMs: {
            detect: 0,
            stage: Math.round(stageMs),
            load: Math.round(performance.now() - loadStarted),
            total: 0,
          },
        };
      }
    } finally {
      await staging.close();
    }
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
