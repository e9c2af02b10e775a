/** Text a user reads, in Japanese and English. */
export interface Localized {
  ja: string;
  en: string;
}

export const QUESTION_TYPES = ['integer', 'number', 'choice', 'text', 'grid'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const SCHOOL_TYPES = [
  'elementary',
  'junior_high',
  'compulsory',
  'special_needs',
  'high',
  'secondary',
  'kindergarten',
  'other',
] as const;

/** Which schools a survey goes to. */
export type SurveyTargets =
  { kind: 'all' } | { kind: 'school_type'; schoolTypes: string[] } | { kind: 'list'; schoolCodes: string[] };

/**
 * A question answered from data: the metric, and which of its rows count (a dimension fixed to a value
 * or a list). The answer is the sum of the matching rows, or for a grid the sums by the grid's dimensions.
 */
export interface Binding {
  metric: string;
  filter?: Record<string, string | string[]>;
}

export interface GridCell {
  dims: Record<string, string>;
  value: number;
}

export type AnswerValue = number | string | GridCell[];

/** Where a pre-filled figure came from. */
export interface Provenance {
  metric: string;
  filter: Record<string, string | string[]>;
  academicYear: number;
  /** Ingest batches whose rows the figure was computed from (for this school and year). */
  batches: readonly string[];
  computedAt: string;
}

/**
 * Validation, as COLLECT does it: an `error` blocks submission; a `query` flags the unusual and needs
 * a short explanation.
 *   range               value (a grid: its total) within min..max
 *   not_more_than       value ≤ the value of another question (by code), e.g. absentees ≤ enrolled
 *   change_from_prefill changed from the pre-filled figure by more than `threshold` (0.2 = 20%)
 *   change_from_last_year more than `threshold` away from last year's figure of the same metric
 */
export type QuestionRule =
  | { severity: 'error' | 'query'; check: 'range'; min?: number; max?: number }
  | { severity: 'error' | 'query'; check: 'not_more_than'; question: string }
  | { severity: 'error' | 'query'; check: 'change_from_prefill'; threshold: number }
  | { severity: 'error' | 'query'; check: 'change_from_last_year'; threshold: number };

export const RULE_CHECKS = ['range', 'not_more_than', 'change_from_prefill', 'change_from_last_year'] as const;
