import type { Params, ParamTypes, Row, WarehouseSession } from '../warehouse/warehouse.js';
import type { FeedReport } from './ingest-report.js';
import type { FeedInput, FeedKind } from './ingest.types.js';
import type { Pseudonymizer } from './pseudonymizer.js';
import type { Staging } from './staging.js';

/** Where a feed's first read of a file runs while the ingest hashes it: a reader of the warehouse. */
export interface Reader {
  all<T extends Row = Row>(sql: string, params?: Params, types?: ParamTypes): Promise<T[]>;
}

export interface StageContext {
  batchId: string;
  staging: Staging;
  pseudonymizer: Pseudonymizer;
  /** Set when a school user uploads: rows of any other school are errors. */
  scopeSchool: string | null;
  /**
   * A feed may load a file straight into the warehouse when nothing in it needs a row-by-row check
   * (StagedFeed.direct); false when the input is staged again after such a load was declined, or when
   * the batch has errors elsewhere.
   */
  directLoad: boolean;
  /** The feed's first read of a file (Feed.firstRead), if the ingest started it while hashing. */
  firstRead(path: string): Promise<unknown> | undefined;
  /** Progress on long files: rows so far. */
  progress(feed: string, rows: number): void;
}

/** What a feed has staged: how to load it into the warehouse, within the batch's one transaction. */
export interface StagedFeed {
  input: FeedInput;
  rowsRead: number;
  /**
   * Runs inside the warehouse transaction; writes only the warehouse (`main`) and DuckDB's temp catalog,
   * reads staging. Returns rows loaded. A direct load may throw LoadDeclined: the batch is then rolled
   * back and the input staged again row by row.
   */
  load(session: WarehouseSession): Promise<number>;
  /** Rows rejected (counted after validation). */
  rowsRejected(): Promise<number>;
  /**
   * For the derived tables (derived-tables.ts), feeds whose rows they are made from: a table of the
   * (school_code, academic_year) the load writes rows for, so that the refresh need not find the batch's
   * rows again in the warehouse.
   */
  touchedYears?: string;
  /**
   * The input loads straight from the file, its rows checked at load instead of row by row: when the
   * batch has errors elsewhere, or the load declines, the pipeline stages it again with `directLoad`
   * false, so that the report names every problem with its row.
   */
  direct?: boolean;
  /** Extra facts for the batch report (e.g. unlinked xAPI actors). */
  notes?: () => Promise<Record<string, unknown>>;
}

/** What a feed does after every feed of the batch loaded, in the same transaction (a roster links activity). */
export type AfterLoad = (session: WarehouseSession, staging: Staging, report: FeedReport) => Promise<void>;

export interface Feed {
  kind: FeedKind;
  /** Reads the input into staging tables, validates it (problems recorded in staging), resolves IDs to pseudonyms. */
  stage(context: StageContext, input: FeedInput): Promise<StagedFeed>;
  /**
   * Rosters: the feed adds the students other feeds resolve their IDs through; the pipeline stages it
   * first and rebuilds the resolver after it.
   */
  providesStudents?: boolean;
  /** A school user may upload this feed's files for its own school (rosters, programmes and xAPI come from the board). */
  schoolMayUpload?: boolean;
  /**
   * A first read of a file the ingest starts while it hashes the file (on a reader: the two then share
   * the cores instead of following each other); `stage` finds it with `context.firstRead(path)`.
   */
  firstRead?(reader: Reader, path: string, pseudonymizer: Pseudonymizer): Promise<unknown>;
  /** After every feed of the batch loaded and the derived tables were refreshed, in the same transaction. */
  afterLoad?: AfterLoad;
}

/**
 * Thrown by a direct load (inside the warehouse transaction) when a row needs the row-by-row checks:
 * the pipeline rolls the transaction back and stages the input again row by row, which names every
 * problem with its row.
 */
export class LoadDeclined extends Error {}
