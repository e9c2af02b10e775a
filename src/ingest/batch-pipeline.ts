import type { WarehouseSession } from '../warehouse/warehouse.js';
import type { BatchStatus } from './entities/ingest-batch.entity.js';
import type { Feed, StagedFeed } from './feed.js';
import type { BatchReport, FeedReport, IngestOptions } from './ingest-report.js';
import type { FeedInput, FeedKind, Problem } from './ingest.types.js';
import type { Pseudonymizer } from './pseudonymizer.js';
import { loadInTransaction, type StagedEntry } from './batch-transaction.js';
import { Staging, type ProblemSummary } from './staging.js';
import { unreadableInput } from './unreadable-input.js';

/** What one batch stages and loads. */
export interface BatchRun {
  batchId: string;
  inputs: FeedInput[];
  detectProblems: Problem[];
  /** sha256 → the batch that loaded a file before. */
  loadedBefore: Map<string, string>;
  pseudonymizer: Pseudonymizer;
  options: IngestOptions;
  /** path → a feed's first read of the file (Feed.firstRead), started while it was hashed. */
  firstReads: Map<string, Promise<unknown>>;
  /** The pseudonym key's fingerprint (null for pre-pseudonymised input), recorded at the first load. */
  fingerprint: string | null;
}

const PROBLEMS_LISTED = 1000;

/**
 * The states of a batch once its inputs are staged:
 * - `check`: count the problems; decide (nothing staged → done; errors and a direct load staged →
 *   restage it; errors → done, rejected; else → load);
 * - `restage`: stage inputs again row by row (a direct load not to be tried, or declined) → check;
 * - `load`: one warehouse transaction → done, or restage the input whose direct load declined;
 * - `done`: the report.
 */
type Step =
  | { state: 'check' }
  | { state: 'restage'; entries: StagedEntry[] }
  | { state: 'load'; problems: ProblemSummary }
  | { state: 'done'; report: BatchReport };

/**
 * Stages a batch's inputs (each by its feed, the rosters first), then runs the states above until the
 * batch is loaded or rejected. Knows no particular feed: what is special to one is in its Feed hooks.
 */
export async function runBatch(
  session: WarehouseSession,
  feeds: Readonly<Record<FeedKind, Feed>>,
  run: BatchRun,
  debug: (message: string) => void,
): Promise<BatchReport> {
  const staging = await Staging.open(session, run.batchId, run.pseudonymizer);
  try {
    const pipeline = new BatchPipeline(session, staging, feeds, run, debug);
    return await pipeline.run();
  } finally {
    await staging.close();
  }
}

class BatchPipeline {
  private readonly staged: StagedEntry[] = [];
  private readonly reports: FeedReport[] = [];
  private stageMs = 0;
  private loadMs = 0;

  constructor(
    private readonly session: WarehouseSession,
    private readonly staging: Staging,
    private readonly feeds: Readonly<Record<FeedKind, Feed>>,
    private readonly batch: BatchRun,
    private readonly debug: (message: string) => void,
  ) {}

  async run(): Promise<BatchReport> {
    for (const problem of this.batch.detectProblems) await this.staging.problem(problem);
    await this.timed('stage', () => this.stageAll());
    let step: Step = { state: 'check' };
    while (step.state !== 'done') {
      if (step.state === 'check') step = await this.check();
      else if (step.state === 'restage') step = await this.restage(step.entries);
      else step = await this.load(step.problems);
    }
    return step.report;
  }

  private async timed(what: 'stage' | 'load', work: () => Promise<unknown>): Promise<void> {
    const started = performance.now();
    try {
      await work();
    } finally {
      if (what === 'stage') this.stageMs += performance.now() - started;
      else this.loadMs += performance.now() - started;
    }
  }

  /** A feed's stage of one input; a file the reader refuses in a way no rule foresaw is an error naming it, not a 500. */
  private stage(input: FeedInput, directLoad: boolean): Promise<StagedFeed> {
    const { batchId, pseudonymizer, options, firstReads } = this.batch;
    return this.feeds[input.kind]
      .stage(
        {
          batchId,
          staging: this.staging,
          pseudonymizer,
          scopeSchool: options.scopeSchool ?? null,
          directLoad,
          firstRead: (path) => firstReads.get(path),
          progress: options.onProgress ?? (() => undefined),
        },
        input,
      )
      .catch(async (error: unknown): Promise<StagedFeed> => {
        const problem = unreadableInput(input, error);
        if (!problem) throw error;
        await this.staging.problem(problem);
        return { input, rowsRead: 0, load: () => Promise.resolve(0), rowsRejected: () => Promise.resolve(0) };
      });
  }

  private async stageAll(): Promise<void> {
    const { inputs, loadedBefore, options } = this.batch;
    // A direct load writes one file's rows under the batch's number: with another file of the same feed
    // in the batch, the rows of the two could not be told apart.
    const soleOfKind = (input: FeedInput) => inputs.filter((other) => other.kind === input.kind).length === 1;
    let resolverBuilt = false;
    const rebuildResolver = async () => {
      if (this.staged.some(({ feed }) => this.feeds[feed.input.kind].providesStudents))
        await this.staging.buildResolver();
      resolverBuilt = true;
    };
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
      const report: FeedReport = {
        kind: input.kind,
        name: input.name,
        files,
        rowsRead: 0,
        rowsRejected: 0,
        rowsLoaded: 0,
      };
      this.reports.push(report);
      if (previous) {
        report.skipped = `already loaded in batch ${previous}`;
        continue;
      }
      // The resolver (built when staging opened) takes in the rosters staged before the other feeds.
      if (!this.feeds[input.kind].providesStudents && !resolverBuilt) await rebuildResolver();
      const feed = await this.stage(input, options.directLoad !== false && soleOfKind(input));
      report.rowsRead = feed.rowsRead;
      this.staged.push({ feed, report });
    }
    // A roster-only batch still needs the resolver rebuilt: stored unlinked learning activity is linked from it at load.
    if (!resolverBuilt) await rebuildResolver();
  }

  private async check(): Promise<Step> {
    for (const { feed, report } of this.staged) {
      report.rowsRejected = await feed.rowsRejected();
      if (feed.notes) report.notes = await feed.notes();
    }
    const problems = await this.staging.problems(PROBLEMS_LISTED);
    const blocked = problems.errors > 0 && !this.batch.options.acceptPartial;
    if (this.staged.length === 0) {
      const status: BatchStatus = problems.errors > 0 ? 'rejected' : 'noop';
      return this.done(
        problems,
        status,
        status === 'noop' ? 'nothing new: every file was loaded before' : 'nothing loaded: see the errors',
      );
    }
    // Rejected for errors elsewhere: an input staged for a direct load has not been checked row by row
    // yet (its checks run at load); it is, so that the report names its problems too.
    const direct = this.staged.filter(({ feed }) => feed.direct);
    if (blocked && direct.length > 0) return { state: 'restage', entries: direct };
    if (blocked) {
      return this.done(
        problems,
        'rejected',
        `nothing loaded: ${problems.errors} error(s); fix them and ingest again (or load the valid rows with --accept-partial)`,
      );
    }
    return { state: 'load', problems };
  }

  /** Stages inputs again row by row (the other feeds stay staged). */
  private async restage(entries: StagedEntry[]): Promise<Step> {
    await this.timed('stage', async () => {
      for (const entry of entries) {
        entry.feed = await this.stage(entry.feed.input, false);
        entry.report.rowsRead = entry.feed.rowsRead;
      }
    });
    return { state: 'check' };
  }

  private async load(problems: ProblemSummary): Promise<Step> {
    const { batchId, fingerprint } = this.batch;
    let declined: Awaited<ReturnType<typeof loadInTransaction>> = null;
    await this.timed('load', async () => {
      declined = await loadInTransaction(this.session, this.staging, this.feeds, {
        batchId,
        staged: this.staged,
        fingerprint,
      });
    });
    if (declined) {
      // Rolled back, nothing of the batch is in the warehouse. The declined input is staged again row by
      // row (the others stay staged), which names every problem with its row; then the batch loads again.
      const { entry, reason } = declined as { entry: StagedEntry; reason: string };
      this.debug(`batch ${batchId}: ${entry.feed.input.name} staged row by row (${reason})`);
      this.loadMs = 0;
      return { state: 'restage', entries: [entry] };
    }
    const rowsLoaded = this.reports.reduce((sum, f) => sum + f.rowsLoaded, 0);
    const partial = problems.errors > 0;
    const rowsRejected = this.reports.reduce((sum, f) => sum + f.rowsRejected, 0);
    return this.done(
      problems,
      partial ? 'partial' : 'loaded',
      partial
        ? `loaded the valid rows; ${rowsRejected} row(s) rejected and kept in this report`
        : `loaded ${rowsLoaded} row(s)`,
      rowsLoaded,
    );
  }

  private done(problems: ProblemSummary, status: BatchStatus, message: string, rowsLoaded = 0): Step {
    const report: BatchReport = {
      batchId: this.batch.batchId,
      status,
      message,
      rowsRead: this.reports.reduce((sum, f) => sum + f.rowsRead, 0),
      rowsLoaded,
      rowsRejected: this.reports.reduce((sum, f) => sum + f.rowsRejected, 0),
      errors: problems.errors,
      warnings: problems.warnings,
      feeds: this.reports,
      problemsByRule: problems.byRule,
      problems: problems.list,
      timingsMs: { detect: 0, stage: Math.round(this.stageMs), load: Math.round(this.loadMs), total: 0 },
    };
    return { state: 'done', report };
  }
}
