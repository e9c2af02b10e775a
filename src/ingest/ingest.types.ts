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

/** What fills a problem's words (src/ingest/problems/problem-text.ts). */
export type ProblemParams = Readonly<Record<string, string | number | readonly string[]>>;

/** A defect in the input, COLLECT-style: errors block the batch (or reject the row with --accept-partial); warnings load. */
export interface Problem {
  severity: Severity;
  file: string;
  row: number | null;
  column: string | null;
  /** Never a raw person ID: person-ID columns report `(withheld)`. */
  value: string | null;
  /** The English words (as before problems had codes; API clients read them). */
  rule: string;
  /**
   * What the problem is: a code of the message catalogue (src/ingest/problems) or a rules file's rule
   * (`attendance/rules:status_required`). Its words in either language come from the code and `params`.
   */
  code: string;
  params?: ProblemParams;
}
