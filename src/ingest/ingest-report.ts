import type { BatchStatus } from './entities/ingest-batch.entity.js';
import type { DeclaredEncoding } from './encoding.js';
import type { FeedKind, Problem, ProblemParams } from './ingest.types.js';

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
   * Load a clean file straight into the warehouse where a feed can (StagedFeed.direct; default true).
   * False stages every row first, as a declined direct load does: the same outcome, used by tests to compare.
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
  /** The rows went straight from the file into the warehouse: no row needed a row-by-row check. */
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
  problemsByRule: {
    severity: string;
    file: string;
    column: string | null;
    rule: string;
    code?: string;
    params?: ProblemParams;
    count: number;
  }[];
  /** The first problems in file and row order (every one is counted in problemsByRule). */
  problems: Problem[];
  timingsMs: { detect: number; stage: number; load: number; total: number };
}
