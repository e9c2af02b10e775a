/**
 * The contract of the disclosure-control step every analytical or published output passes
 * (API JSON, CSV, Arrow, PDF reports). The rules are in /work/shared/DOMAIN.md, "Disclosure
 * control for analytical and published outputs"; the code is in disclosure-control.ts.
 */

export interface DisclosureSettings {
  /** A statistic about this many students or fewer (but at least 1) is redacted. Default 7. */
  maxRedactedCount: number;
  /** Counts are rounded to the nearest multiple of this (half away from zero: 2.5→5, 7.5→10). Default 5. */
  rounding: number;
  /** An area aggregate (a row that sums several schools) needs at least this many schools. Default 3. */
  minSchools: number;
}

/** The OpenSAFELY thresholds DOMAIN.md adopts. Frozen: a caller cannot loosen the default for everyone. */
export const DEFAULT_DISCLOSURE: DisclosureSettings = Object.freeze({
  maxRedactedCount: 7,
  rounding: 5,
  minSchools: 3,
});

export type ColumnRole =
  /** Passed through unchanged (grade, sex, school code, academic year ...). */
  | { kind: 'dimension' }
  /** A number of students: a whole number ≥ 0, or null when unknown. */
  | { kind: 'count' }
  /**
   * Recomputed from the published counts of the same row: rounded numerator / rounded denominator.
   * The input value of this column, if any, is ignored (it may be absent from the rows).
   */
  | {
      kind: 'rate';
      numerator: string;
      denominator: string;
      /** Multiplies the ratio, e.g. 100 for a percentage. Default 1. */
      scale?: number;
    }
  /**
   * A mean/estimate/rate about the students counted in column `students` (a count column); passed
   * through unless redacted. With a `range`, it is a mean of values each within [min, max] (an
   * analyst's expression, clipped) and is published as a rate is: its sum above n × min, rounded to
   * a multiple of rounding × (max − min), over the published count, so that no one student, who
   * moves that sum by max − min at most, can be read from it, and the exact count cannot either.
   */
  | { kind: 'statistic'; students: string; range?: { min: number; max: number } };

export interface TableSpec {
  /** Every column of the rows must be listed (an unknown column throws, naming it). */
  columns: Record<string, ColumnRole>;
  /** 'area': every row aggregates a group of schools and needs `schools` ≥ minSchools; 'school': rows describe one school each. */
  unit: 'area' | 'school';
  /**
   * In an 'area' table that also holds rows of single schools (a breakdown by school with its 'all'
   * total): true for the rows that aggregate schools. Rows it says false for are one school's own
   * figures and are not held to minSchools. Default: every row of an 'area' table is an area row.
   */
  isArea?: (row: Row) => boolean;
  /**
   * Column holding how many schools the row covers (required when unit = 'area'; not
   * output-transformed, passes through). It may be left out of `columns` or listed as a dimension;
   * either way it never separates the groups of `totals`.
   */
  schools?: string;
  /**
   * Additive structure for secondary suppression: for each entry, rows that agree on every other
   * dimension column form a group in which the row whose `dimension` equals `totalValue` is the
   * total of the other rows. Values are compared as text, so 0 and '0' match.
   */
  totals?: { dimension: string; totalValue: string | number }[];
}

export type Row = Record<string, string | number | boolean | null>;

export interface DisclosureReport {
  settings: DisclosureSettings;
  /** Human-readable English sentences of what was applied (e.g. "Statistics about 1–7 students are redacted."). */
  rules: string[];
  /** The same in Japanese (e.g. "1〜7人に関する統計値は秘匿しています。"). */
  rulesJa: string[];
  /** primaryRedacted + secondaryRedacted + cells redacted by the area rule + rate cells redacted because of their counts. */
  cellsRedacted: number;
  /** Count cells of 1..maxRedactedCount, and statistics about too few (or unknown) students. */
  primaryRedacted: number;
  /** Count cells redacted so that a redacted cell cannot be recovered from a total, and the statistics about them. */
  secondaryRedacted: number;
  /** Rows redacted whole because they cover fewer than minSchools schools. */
  areaRowsRedacted: number;
  /** Count, rate and statistic cells inside those rows (part of cellsRedacted). */
  areaCellsRedacted?: number;
  /** Rate cells redacted because a count they are computed from was redacted or rounded to 0 (part of cellsRedacted). */
  rateRedacted?: number;
}

export interface ControlledTable {
  rows: Row[];
  report: DisclosureReport;
}
