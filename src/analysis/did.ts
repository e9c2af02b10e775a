/**
 * The 2×2 difference-in-differences: least squares (weighted when observations carry weights) of
 * the outcome on 1, treated, post and treated×post, whose interaction coefficient is the effect.
 * Standard errors are cluster-robust by school with the CR1 small-sample factor
 * G/(G−1)·(N−1)/(N−K), and the interval uses t with G − 1 degrees of freedom (Cameron & Miller,
 * "A practitioner's guide to cluster-robust inference", J. Human Resources 2015;50(2):317–372,
 * §II.C and §VI; Angrist & Pischke, Mostly Harmless Econometrics 2009, §5.2 for the design).
 *
 * The model is saturated in the four cells, so the interaction coefficient equals
 * (treatedPost − treatedPre) − (comparisonPost − comparisonPre) of the (weighted) cell means, and
 * its row of (X'WX)⁻¹X'W gives observation i the weight c·w_i/W_cell, where c is +1 for the
 * treated-post and comparison-pre cells and −1 for the other two. The sandwich's entry for the
 * interaction is therefore Σ_schools (Σ_{i in school} c·w_i·u_i/W_cell)², with u_i the residual
 * from the cell mean — computed here directly, without forming the 4×4 matrices.
 */
import { AnalysisInputError, interval, requireFinite, type Interval } from './stats.js';

export interface DidObservation {
  school: string;
  treated: boolean;
  post: boolean;
  value: number;
  weight?: number;
}

export interface Did2x2Result extends Interval {
  /** (Weighted) cell means. */
  cells: { treatedPre: number; treatedPost: number; comparisonPre: number; comparisonPost: number };
  treatedSchools: number;
  comparisonSchools: number;
  observations: number;
  clusters: number;
}

/** Regressors: intercept, treated, post, treated×post. */
const PARAMETERS = 4;

type CellKey = 'treatedPre' | 'treatedPost' | 'comparisonPre' | 'comparisonPost';

const cellOf = (o: DidObservation): CellKey =>
  o.treated ? (o.post ? 'treatedPost' : 'treatedPre') : o.post ? 'comparisonPost' : 'comparisonPre';

/** The sign c of each cell in the interaction contrast. */
const CONTRAST: Record<CellKey, number> = { treatedPost: 1, treatedPre: -1, comparisonPost: -1, comparisonPre: 1 };

export function did2x2(observations: DidObservation[], level = 0.95): Did2x2Result {
  if (!Array.isArray(observations) || observations.length === 0)
    throw new AnalysisInputError('did2x2: no observations');
  const armOf = new Map<string, boolean>();
  const totals: Record<CellKey, { weight: number; weighted: number }> = {
    treatedPre: { weight: 0, weighted: 0 },
    treatedPost: { weight: 0, weighted: 0 },
    comparisonPre: { weight: 0, weighted: 0 },
    comparisonPost: { weight: 0, weighted: 0 },
  };
  for (const o of observations) validate(o, armOf, totals);

  for (const key of Object.keys(totals) as CellKey[]) {
    if (totals[key].weight === 0) throw new AnalysisInputError(`did2x2: the ${key} cell has no observations`);
  }
  const treatedSchools = [...armOf.values()].filter(Boolean).length;
  const comparisonSchools = armOf.size - treatedSchools;
  if (treatedSchools < 2 || comparisonSchools < 2) {
    throw new AnalysisInputError(
      `did2x2: need at least 2 schools per arm for clustered standard errors, got ${treatedSchools} treated and ${comparisonSchools} comparison`,
    );
  }

  const cells = {
    treatedPre: totals.treatedPre.weighted / totals.treatedPre.weight,
    treatedPost: totals.treatedPost.weighted / totals.treatedPost.weight,
    comparisonPre: totals.comparisonPre.weighted / totals.comparisonPre.weight,
    comparisonPost: totals.comparisonPost.weighted / totals.comparisonPost.weight,
  };
  const estimate = cells.treatedPost - cells.treatedPre - (cells.comparisonPost - cells.comparisonPre);

  const scoreBySchool = new Map<string, number>();
  for (const o of observations) {
    const key = cellOf(o);
    const contribution = (CONTRAST[key] * (o.weight ?? 1) * (o.value - cells[key])) / totals[key].weight;
    scoreBySchool.set(o.school, (scoreBySchool.get(o.school) ?? 0) + contribution);
  }
  let meat = 0;
  for (const score of scoreBySchool.values()) meat += score * score;

  const clusters = armOf.size;
  const n = observations.length;
  // With N = K every cell holds one observation, the residuals are all zero and the factor
  // divides by zero: the standard error is not estimable.
  const factor = n > PARAMETERS ? (clusters / (clusters - 1)) * ((n - 1) / (n - PARAMETERS)) : NaN;
  const se = Math.sqrt(factor * meat);
  return {
    ...interval(estimate, se, clusters - 1, level),
    cells,
    treatedSchools,
    comparisonSchools,
    observations: n,
    clusters,
  };
}

function validate(
  o: DidObservation,
  armOf: Map<string, boolean>,
  totals: Record<CellKey, { weight: number; weighted: number }>,
): void {
  if (o === null || typeof o !== 'object') throw new AnalysisInputError('did2x2: every observation must be an object');
  if (typeof o.school !== 'string' || o.school === '')
    throw new AnalysisInputError('did2x2: every observation needs a school');
  if (typeof o.treated !== 'boolean' || typeof o.post !== 'boolean')
    throw new AnalysisInputError(`did2x2: school ${o.school}: treated and post must be true or false`);
  requireFinite(o.value, `did2x2: school ${o.school}: value`);
  const weight = o.weight ?? 1;
  if (o.weight !== undefined && !(requireFinite(o.weight, `did2x2: school ${o.school}: weight`) > 0)) {
    throw new AnalysisInputError(`did2x2: school ${o.school}: weight must be positive, got ${o.weight}`);
  }
  const arm = armOf.get(o.school);
  if (arm === undefined) armOf.set(o.school, o.treated);
  else if (arm !== o.treated)
    throw new AnalysisInputError(`did2x2: school ${o.school} is marked both treated and comparison`);
  const cell = totals[cellOf(o)];
  cell.weight += weight;
  cell.weighted += weight * o.value;
}
