/**
 * Staggered adoption: Callaway & Sant'Anna (2021), "Difference-in-differences with multiple time
 * periods", Journal of Econometrics 225(2), 200–230. For each group g (schools first treated in
 * period g) and period t, the unconditional-parallel-trends estimator with a universal base period
 * b (the last panel period before g):
 *   ATT(g,t) = mean_{i in g}(Y_it − Y_ib) − mean_{j in comparison}(Y_jt − Y_jb),
 * for every t ≠ b, so periods before b are pre-trend placebos (negative event time e = t − g).
 * Comparison schools are the never treated, or the not yet treated: first treated after
 * max(t, b), group g itself excluded, plus the never treated (the paper's eq. 2.5/2.6 and §4).
 * The effects are aggregated as in §3: overall = post-treatment cells weighted by group size
 * (the "simple" aggregation), event study = for each e, groups weighted by size.
 *
 * Inference clusters on the school: each cell is a difference of two means, whose influence
 * function is (ΔY_i − mean_g)/n_g for a group school and −(ΔY_j − mean_c)/n_c for a comparison
 * school; an aggregate's influence function is the weighted sum over its cells, and its variance
 * Σ_i IF_i² · G/(G−1), with G the schools entering it and t critical values on G − 1 degrees of
 * freedom. The weights are taken as fixed (inference conditional on the group sizes), so the
 * paper's extra term for estimated weights is not added.
 */
import { AnalysisInputError, interval, requireFinite, type Interval } from './stats.js';

export interface PanelObservation {
  school: string;
  period: number;
  value: number;
}

export type Comparison = 'never_treated' | 'not_yet_treated';

export interface GroupTimeEffect extends Interval {
  group: number;
  period: number;
  eventTime: number;
  treatedSchools: number;
  comparisonSchools: number;
}

export interface EventTimeEffect extends Interval {
  eventTime: number;
  groups: number;
}

export interface StaggeredDidResult {
  groupTime: GroupTimeEffect[];
  /** `schools`: the schools (treated and comparison) entering the post-treatment cells. */
  overall: Interval & { groups: number; schools: number };
  eventStudy: EventTimeEffect[];
  excluded: { school: string; reason: string }[];
  comparison: Comparison;
  basePeriod: 'universal';
  /** Group-time cells left out because no group school or no comparison school was observed in both periods. */
  skippedCells?: { group: number; period: number; reason: string }[];
}

interface Cell {
  group: number;
  period: number;
  estimate: number;
  /** Each school's influence-function value for this cell. */
  influence: Map<string, number>;
  treatedSchools: number;
  comparisonSchools: number;
}

export function callawaySantAnna(
  panel: PanelObservation[],
  firstTreated: ReadonlyMap<string, number | null>,
  options: { comparison: Comparison; level?: number },
): StaggeredDidResult {
  const comparison = options?.comparison;
  if (comparison !== 'never_treated' && comparison !== 'not_yet_treated')
    throw new AnalysisInputError(
      `callawaySantAnna: comparison must be never_treated or not_yet_treated, got ${String(comparison)}`,
    );
  const level = options.level ?? 0.95;
  const valuesBySchool = indexPanel(panel);
  const periods = [...new Set(panel.map((o) => o.period))].sort((a, b) => a - b);
  const firstPeriod = periods[0];
  const lastPeriod = periods[periods.length - 1];

  // null: never treated within the panel.
  const cohortOf = new Map<string, number | null>();
  const excluded: { school: string; reason: string }[] = [];
  for (const school of valuesBySchool.keys()) {
    if (!firstTreated.has(school))
      throw new AnalysisInputError(
        `callawaySantAnna: school ${school} is in the panel but has no first-treated period (use null for never treated)`,
      );
    const g = firstTreated.get(school) ?? null;
    if (g !== null) requireFinite(g, `callawaySantAnna: school ${school}: first-treated period`);
    if (g !== null && g <= firstPeriod) {
      excluded.push({
        school,
        reason: `treated from period ${g}, at or before the first panel period ${firstPeriod}: no pre-treatment period`,
      });
      continue;
    }
    // Treated only after the panel ends: untreated throughout what is observed, so it serves as
    // never treated (as the authors' `did` package does).
    cohortOf.set(school, g !== null && g > lastPeriod ? null : g);
  }

  const groupSize = new Map<number, number>();
  for (const g of cohortOf.values()) if (g !== null) groupSize.set(g, (groupSize.get(g) ?? 0) + 1);
  const groups = [...groupSize.keys()].sort((a, b) => a - b);
  if (groups.length === 0)
    throw new AnalysisInputError(
      'callawaySantAnna: no school is first treated within the panel after its first period',
    );

  const cells: Cell[] = [];
  const skippedCells: { group: number; period: number; reason: string }[] = [];
  for (const g of groups) {
    const base = periods.filter((p) => p < g).at(-1)!;
    for (const t of periods) {
      if (t === base) continue;
      const observedBoth = (school: string): boolean =>
        valuesBySchool.get(school)!.has(t) && valuesBySchool.get(school)!.has(base);
      const treated: string[] = [];
      const controls: string[] = [];
      for (const [school, cohort] of cohortOf) {
        if (!observedBoth(school)) continue;
        if (cohort === g) treated.push(school);
        else if (cohort === null || (comparison === 'not_yet_treated' && cohort > Math.max(t, base)))
          controls.push(school);
      }
      if (treated.length === 0 || controls.length === 0) {
        skippedCells.push({
          group: g,
          period: t,
          reason:
            treated.length === 0
              ? `no school of group ${g} observed in periods ${base} and ${t}`
              : `no comparison school observed in periods ${base} and ${t}`,
        });
        continue;
      }
      cells.push(differenceOfMeanChanges(g, t, base, treated, controls, valuesBySchool));
    }
  }

  const postCells = cells.filter((c) => c.period >= c.group);
  if (postCells.length === 0) {
    throw new AnalysisInputError(
      `callawaySantAnna: no post-treatment group-time effect could be estimated with ${comparison.replace(/_/g, '-')} comparison schools`,
    );
  }

  const groupTime: GroupTimeEffect[] = cells.map((c) => {
    const inference = aggregate([c], () => 1, level);
    return {
      ...inference.interval,
      group: c.group,
      period: c.period,
      eventTime: c.period - c.group,
      treatedSchools: c.treatedSchools,
      comparisonSchools: c.comparisonSchools,
    };
  });

  const bySize = (c: Cell): number => groupSize.get(c.group)!;
  const overallInference = aggregate(postCells, bySize, level);
  const overall = {
    ...overallInference.interval,
    groups: new Set(postCells.map((c) => c.group)).size,
    schools: overallInference.schools,
  };

  const eventTimes = [...new Set(cells.map((c) => c.period - c.group))].sort((a, b) => a - b);
  const eventStudy: EventTimeEffect[] = eventTimes.map((e) => {
    const atE = cells.filter((c) => c.period - c.group === e);
    return { ...aggregate(atE, bySize, level).interval, eventTime: e, groups: atE.length };
  });

  return { groupTime, overall, eventStudy, excluded, comparison, basePeriod: 'universal', skippedCells };
}

function indexPanel(panel: PanelObservation[]): Map<string, Map<number, number>> {
  if (!Array.isArray(panel) || panel.length === 0) throw new AnalysisInputError('callawaySantAnna: the panel is empty');
  const valuesBySchool = new Map<string, Map<number, number>>();
  for (const o of panel) {
    if (o === null || typeof o !== 'object' || typeof o.school !== 'string' || o.school === '')
      throw new AnalysisInputError('callawaySantAnna: every observation needs a school');
    requireFinite(o.period, `callawaySantAnna: school ${o.school}: period`);
    requireFinite(o.value, `callawaySantAnna: school ${o.school}, period ${o.period}: value`);
    let values = valuesBySchool.get(o.school);
    if (values === undefined) valuesBySchool.set(o.school, (values = new Map<number, number>()));
    if (values.has(o.period))
      throw new AnalysisInputError(
        `callawaySantAnna: school ${o.school} has more than one value for period ${o.period}`,
      );
    values.set(o.period, o.value);
  }
  return valuesBySchool;
}

function differenceOfMeanChanges(
  group: number,
  period: number,
  base: number,
  treated: string[],
  controls: string[],
  valuesBySchool: Map<string, Map<number, number>>,
): Cell {
  const change = (school: string): number =>
    valuesBySchool.get(school)!.get(period)! - valuesBySchool.get(school)!.get(base)!;
  const treatedChanges = treated.map(change);
  const controlChanges = controls.map(change);
  const treatedMean = mean(treatedChanges);
  const controlMean = mean(controlChanges);
  const influence = new Map<string, number>();
  treated.forEach((school, i) => influence.set(school, (treatedChanges[i] - treatedMean) / treated.length));
  controls.forEach((school, i) => influence.set(school, -(controlChanges[i] - controlMean) / controls.length));
  return {
    group,
    period,
    estimate: treatedMean - controlMean,
    influence,
    treatedSchools: treated.length,
    comparisonSchools: controls.length,
  };
}

/** A weighted average of cells, with the clustered variance of its summed influence functions. */
function aggregate(
  cells: Cell[],
  weightOf: (c: Cell) => number,
  level: number,
): { interval: Interval; schools: number } {
  const total = cells.reduce((sum, c) => sum + weightOf(c), 0);
  let estimate = 0;
  const influence = new Map<string, number>();
  for (const c of cells) {
    const w = weightOf(c) / total;
    estimate += w * c.estimate;
    for (const [school, value] of c.influence) influence.set(school, (influence.get(school) ?? 0) + w * value);
  }
  // Every cell has a group school and a comparison school, so G ≥ 2.
  const g = influence.size;
  let sumOfSquares = 0;
  for (const value of influence.values()) sumOfSquares += value * value;
  const se = Math.sqrt((sumOfSquares * g) / (g - 1));
  return { interval: interval(estimate, se, g - 1, level), schools: g };
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
