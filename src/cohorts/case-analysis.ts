/**
 * The analysis of support cases (見守りケース, src/watch) as a per-student intervention: its definition
 * (part of the cohort definition's analysis) and its JSON Schema. The method is
 * src/cohorts/methods/case-before-after.ts.
 */
import type { JsonSchema } from '../common/json-schema.js';
import { CASE_AGENCIES, CASE_STATUSES } from '../watch/cases.repository.js';

/** The monthly outcomes of a student around the opening of a support case. */
export const CASE_OUTCOMES = ['absence_days', 'attendance_rate'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export interface CaseBeforeAfterAnalysis {
  method: 'case_before_after';
  outcome: CaseOutcome;
  /** Months before and after the opening month (default 6). */
  window?: number;
  agencies?: (typeof CASE_AGENCIES)[number][];
  statuses?: (typeof CASE_STATUSES)[number][];
}

/** One case opening as the control plane gives it to a cohort run. */
export interface CaseOpening {
  student: string;
  schoolCode: string;
  academicYear: number;
  /** YYYY-MM-DD, Japan time. */
  openedOn: string;
}

/** Reads the openings of the cases a run asks for (empty filters: every case). */
export type CaseOpeningsReader = (filter: { statuses: string[]; agencies: string[] }) => Promise<CaseOpening[]>;

export const CASE_BEFORE_AFTER_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'outcome'],
  description:
    'Support cases (見守りケース) as a per-student intervention: for the students of the population with a case opened in a year of the population, the monthly outcome relative to the month the case was opened, and the mean before vs after with a 95% confidence interval. Only the pseudonym, school, school year and opening day of each case reach the warehouse query, for that run only.',
  properties: {
    method: { type: 'string', enum: ['case_before_after'] },
    outcome: { type: 'string', enum: CASE_OUTCOMES },
    window: {
      type: 'integer',
      minimum: 1,
      maximum: 12,
      default: 6,
      description: 'Months before and after the opening month',
    },
    agencies: {
      type: 'array',
      items: { type: 'string', enum: CASE_AGENCIES },
      minItems: 1,
      uniqueItems: true,
      description: 'Only cases referred to one of these agencies (default all cases)',
    },
    statuses: {
      type: 'array',
      items: { type: 'string', enum: CASE_STATUSES },
      minItems: 1,
      uniqueItems: true,
      description: 'Only cases now in one of these statuses (default all)',
    },
  },
};
