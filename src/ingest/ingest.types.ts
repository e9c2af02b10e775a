import type { Pseudonymizer } from './pseudonymizer.js';
import type { Staging } from './staging.js';

export const FEED_KINDS = [
  'oneroster',
  'programmes',
  'calendar',
  'attendance',
  'assessments',
  'guidance',
  'xapi',
] as const;
/** The order feeds load in within one batch: rosters first, since every other feed resolves students through them. */
export type FeedKind = (typeof FEED_KINDS)[number];

export interface SourceFile {
  /** Absolute path on this machine (never shown: may hold a user's folder names). */
  path: string;
  /** Path relative to what was ingested, as shown in reports (e.g. `oneroster/2025/users.csv`). */
  name: string;
  sha256: string;
  bytes: number;
  /** Set when the file came in Shift_JIS (CP932): `path` is then its UTF-8 copy; `sha256` and `bytes` are the file's own. */
  encoding?: 'shift_jis';
}

/** One unit a feed loads: a single file, or for OneRoster a package (folder) of files. */
export interface FeedInput {
  kind: FeedKind;
  /** Display name of the unit: the file, or the package folder. */
  name: string;
  /** For OneRoster, the package folder (a zip is extracted first); else the file's folder. */
  dir: string;
  files: SourceFile[];
}

export type Severity = 'error' | 'warning';

/** A defect in the input, COLLECT-style: errors block the batch (or reject the row with --accept-partial); warnings load. */
export interface Problem {
  severity: Severity;
  file: string;
  row: number | null;
  column: string | null;
  /** Never a raw person ID: person-ID columns report `(withheld)`. */
  value: string | null;
  rule: string;
}

export interface FeedCounts {
  rowsRead: number;
  rowsRejected: number;
  rowsLoaded: number;
}

export interface StageContext {
  batchId: string;
  staging: Staging;
  pseudonymizer: Pseudonymizer;
  /** Set when a school user uploads: rows of any other school are errors. */
  scopeSchool: string | null;
  /**
   * A feed may load a file straight into the warehouse when nothing in it needs a row-by-row check
   * (attendance-direct.ts); false when the batch is staged again after such a load was declined.
   */
  directLoad: boolean;
  /** The direct load's first read of a file, if the ingest started it while hashing (attendance-direct.ts). */
  studentIds?: (path: string) => Promise<import('./feeds/attendance-direct.js').StudentIdCount[] | null> | undefined;
  /** Progress on long files: rows so far. */
  progress(feed: string, rows: number): void;
}

/** What a feed has staged: how to load it into the warehouse, within the batch's one transaction. */
export interface StagedFeed {
  input: FeedInput;
  rowsRead: number;
  /** Runs inside the warehouse transaction; writes only the warehouse (`main`), reads staging. Returns rows loaded. */
  load(session: import('../warehouse/warehouse.js').WarehouseSession): Promise<number>;
  /** Rows rejected (counted after validation). */
  rowsRejected(): Promise<number>;
  /**
   * For the derived tables (derived-tables.ts), feeds whose rows they are made from: SQL for the
   * (school_code, academic_year) the load writes rows for, read from staging, so that the refresh need
   * not find the batch's rows again in the warehouse.
   */
  touchedYears?: string;
  /** Loads straight from the file (attendance-direct.ts): the report says so when the load holds. */
  direct?: boolean;
  /** Extra facts for the batch report (e.g. unlinked xAPI actors). */
  notes?: () => Promise<Record<string, unknown>>;
}

export interface Feed {
  kind: FeedKind;
  /** Reads the input into staging tables, validates it (problems recorded in staging), resolves IDs to pseudonyms. */
  stage(context: StageContext, input: FeedInput): Promise<StagedFeed>;
}
