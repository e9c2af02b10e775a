/** The cohort methods by name: each one file in this folder. */
import type { Analysis } from '../cohort-definition.js';
import { caseBeforeAfter } from './case-before-after.js';
import type { CohortMethod, MethodName } from './cohort-method.js';
import { descriptive } from './descriptive.js';
import { did2x2Method } from './did-2x2.js';
import { didStaggered } from './did-staggered.js';
import { funnel } from './funnel.js';
import { valueAdded } from './value-added.js';

export const COHORT_METHODS: { [M in MethodName]: CohortMethod<M> } = {
  descriptive,
  did_2x2: did2x2Method,
  did_staggered: didStaggered,
  funnel,
  value_added: valueAdded,
  case_before_after: caseBeforeAfter,
};

/** The method that runs an analysis (the registry's key is the analysis's method: it gets its own analysis). */
export function methodOf(analysis: Analysis): CohortMethod<MethodName> {
  return COHORT_METHODS[analysis.method] as CohortMethod<MethodName>;
}
