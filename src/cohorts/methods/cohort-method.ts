/**
 * A cohort method (descriptive, did_2x2, did_staggered, funnel, value_added, case_before_after): what population it
 * needs, its tables before disclosure control, and what it does once they are published. Each method
 * is one file in this folder owning its SQL (queries/cohorts/<method>/), its computation (src/analysis
 * for the statistics) and its tables; registry.ts names them. The service builds the population, runs
 * the method on it, applies disclosure control to every table and audits the run.
 */
import type { ShirubeConfig } from '../../config/config.js';
import type { MetricsService } from '../../metrics/metrics.service.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { Analysis, CohortDefinition } from '../cohort-definition.js';
import type { ResultTable } from '../cohort-result.js';
import type { CohortSession, PopulationNeeds } from '../cohort-warehouse.js';
import type { CaseOpeningsReader } from '../case-analysis.js';
import type { PlannedTable } from './method-tables.js';

export type MethodName = Analysis['method'];
export type AnalysisOf<M extends MethodName> = Extract<Analysis, { method: M }>;

/** What a method may use beside the population: the warehouse (after the population is gone), metrics, config. */
export interface MethodServices {
  warehouse: Warehouse;
  metrics: MetricsService;
  config: ShirubeConfig;
  /** The openings of support cases from the control plane (pseudonym, school, year, day only). */
  caseOpenings: CaseOpeningsReader;
}

export interface MethodRun<M extends MethodName> {
  definition: CohortDefinition;
  analysis: AnalysisOf<M>;
  cohort: CohortSession;
  services: MethodServices;
  /** The client went away: stop. */
  signal: AbortSignal | undefined;
}

/** After disclosure control: `published` are the controlled tables, `control` controls one more. */
export type AfterDisclosure = (
  published: Record<string, ResultTable>,
  control: (table: PlannedTable) => ResultTable,
) => void | Promise<void>;

export interface MethodPlan {
  /** The tables in the order they are published (the first is the primary table). */
  planned: Record<string, PlannedTable>;
  /** Figures that are not rows of a table. */
  summary: Record<string, unknown>;
  /** Runs once the planned tables are published, after the population is dropped (the funnel's limits, value-added's good practice). */
  afterDisclosure?: AfterDisclosure;
}

export interface CohortMethod<M extends MethodName> {
  readonly method: M;
  /** The outcome sources the population joins (and its years, if not the definition's). */
  needs(definition: CohortDefinition, analysis: AnalysisOf<M>): PopulationNeeds;
  /** The groups the population is split into (only the descriptive analysis has the analyst choose). */
  groups(definition: CohortDefinition): { by: string; programme?: string };
  /** The method's tables from the population, before disclosure control. */
  plan(run: MethodRun<M>): Promise<MethodPlan>;
}

/** No groups: the methods that define their own arms (treated vs comparison, schools). */
export const NO_GROUPS = { by: 'none' } as const;

/** The outcome sources a set of outcomes reads; derived outcomes may read any. */
export function needsOfOutcomes(outcomes: Iterable<string>, derived: boolean): PopulationNeeds {
  const set = new Set(outcomes);
  return {
    attendance: derived || ['attendance_rate', 'absence_days', 'long_term_absence'].some((o) => set.has(o)),
    scores: derived || set.has('assessment_score'),
    app: derived || set.has('app_minutes'),
  };
}
