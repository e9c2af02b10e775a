/**
 * What every cohort method's tables share: the planned (not yet disclosure-controlled) table, the
 * column roles disclosure control reads, rounding, the estimate columns of the effect tables, and the
 * aggregate row the descriptive table and the school panel are made of.
 */
import type { ColumnRole, Row, TableSpec } from '../../disclosure/disclosure.types.js';

/** A method's table before disclosure control, with the spec that says what its columns are. */
export interface PlannedTable {
  columns: string[];
  rows: Row[];
  spec: TableSpec;
}

export const dimension: ColumnRole = { kind: 'dimension' };
export const count: ColumnRole = { kind: 'count' };
/** A statistic about the students counted in column `students`. */
export const about = (students: string): ColumnRole => ({ kind: 'statistic', students });

export const round = (value: number | null | undefined, digits = 6): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

export const estimateColumns = ['estimate', 'se', 'lower', 'upper'] as const;

export function estimateCells(e: { estimate: number; se: number; lower: number; upper: number }, digits = 6): Row {
  return {
    estimate: round(e.estimate, digits),
    se: round(e.se, digits),
    lower: round(e.lower, digits),
    upper: round(e.upper, digits),
  };
}

/** One row of descriptive/aggregate.sql and of school-panel/school-periods.sql (there b1 is the school). */
export interface AggregateRow {
  grp: string;
  period: string;
  b1: string;
  b2: string;
  students: number;
  schools: number;
  attendance_students: number;
  attendance_rate: number | null;
  attended_days: number | null;
  required_days: number | null;
  absence_days: number | null;
  long_term_absent: number;
  assessed: number;
  assessment_score: number | null;
  app_minutes: number | null;
}
