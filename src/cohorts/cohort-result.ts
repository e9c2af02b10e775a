/** What a cohort run returns: every table already through disclosure control. */
import type { DisclosureReport, Row } from '../disclosure/disclosure.types.js';
import type { CohortDefinition } from './cohort-definition.js';

export interface ResultTable {
  /** Column names in order (the CSV header and the Arrow schema). */
  columns: string[];
  rows: Row[];
}

export interface AttritionStep {
  step: string;
  label: { ja: string; en: string };
  students: number | null;
  schools: number;
}

export interface CohortResult {
  definition: CohortDefinition;
  /** SHA-256 of the canonical JSON of the definition: what a report cites and the audit log records. */
  definitionHash: string;
  savedAs: { name: string; version: number } | null;
  method: string;
  ranAt: string;
  attrition: AttritionStep[];
  /** The table CSV and Arrow output carry unless another is asked for. */
  primaryTable: string;
  tables: Record<string, ResultTable>;
  /** Method figures that are not rows of a table (the funnel's target, the value-added variances...). */
  summary: Record<string, unknown>;
  disclosure: DisclosureReport;
}
