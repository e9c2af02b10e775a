import { did2x2, type DidObservation } from './did.js';
import { AnalysisInputError } from './stats.js';

/** One school's two periods of a balanced panel. */
const panel = (school: string, treated: boolean, pre: number, post: number): DidObservation[] => [
  { school, treated, post: false, value: pre },
  { school, treated, post: true, value: post },
];

describe('did2x2', () => {
  it('reproduces Card & Krueger (1994) Table 3', () => {
    // Card, D. & Krueger, A. B. (1994). Minimum wages and employment: a case study of the fast-food
    // industry in New Jersey and Pennsylvania. American Economic Review 84(4), 772–793, Table 3,
    // rows 1–3: mean FTE employment per store, New Jersey (treated) 20.44 → 21.03, Pennsylvania
    // 23.33 → 21.17. Each cell is built from two "schools" whose mean is the published cell mean.
    // From the rounded cells the difference is 0.59 − (−2.16) = 2.75; the paper prints 2.76
    // because it differences the unrounded means.
    const result = did2x2([
      ...panel('nj-1', true, 20.0, 21.0),
      ...panel('nj-2', true, 20.88, 21.06),
      ...panel('pa-1', false, 23.0, 21.0),
      ...panel('pa-2', false, 23.66, 21.34),
    ]);
    expect(result.cells.treatedPre).toBeCloseTo(20.44, 10);
    expect(result.cells.treatedPost).toBeCloseTo(21.03, 10);
    expect(result.cells.comparisonPre).toBeCloseTo(23.33, 10);
    expect(result.cells.comparisonPost).toBeCloseTo(21.17, 10);
    expect(result.estimate).toBeCloseTo(2.75, 10);
    expect(result.estimate).toBeCloseTo(2.76, 1);
  });

  it('gives the hand-computed CR1 standard error on a balanced panel', () => {
    // Treated: T1 10 → 14 (Δ 4), T2 12 → 15 (Δ 3), T3 8 → 13 (Δ 5); mean Δ 4.
    // Comparison: C1 11 → 12 (Δ 1), C2 9 → 11 (Δ 2), C3 10 → 10 (Δ 0); mean Δ 1.
    // In a balanced two-period panel the interaction coefficient is the difference of mean
    // changes: 4 − 1 = 3. Its row of (X'X)⁻¹X' is +1/n_T on a treated school's post observation,
    // −1/n_T on its pre one (signs flipped, 1/n_C, for comparison schools), and the residuals are
    // deviations from the cell means, so a treated school's cluster score is
    // [(y_post − ȳ_Tpost) − (y_pre − ȳ_Tpre)]/n_T = (Δ_s − Δ̄_T)/n_T, a comparison school's
    // −(Δ_s − Δ̄_C)/n_C. Scores: T 0, −1/3, 1/3; C 0, −1/3, 1/3; their squares sum to 4/9.
    // CR1 factor: G/(G−1)·(N−1)/(N−K) = 6/5 · 11/8 = 1.65. Variance 1.65 · 4/9 = 0.7333…,
    // se = 0.856349; t(0.975, 5) = 2.570582, so the interval is 3 ± 2.201315.
    const result = did2x2([
      ...panel('T1', true, 10, 14),
      ...panel('T2', true, 12, 15),
      ...panel('T3', true, 8, 13),
      ...panel('C1', false, 11, 12),
      ...panel('C2', false, 9, 11),
      ...panel('C3', false, 10, 10),
    ]);
    expect(result.estimate).toBeCloseTo(3, 12);
    expect(result.se).toBeCloseTo(Math.sqrt((1.65 * 4) / 9), 12);
    expect(result.se).toBeCloseTo(0.856349, 6);
    expect(result.df).toBe(5);
    expect(result.lower).toBeCloseTo(3 - 2.570582 * 0.856349, 5);
    expect(result.upper).toBeCloseTo(3 + 2.201315, 5);
    expect(result).toMatchObject({ treatedSchools: 3, comparisonSchools: 3, observations: 12, clusters: 6 });
  });

  it('matches the full cluster-robust sandwich on an unbalanced, weighted sample', () => {
    const observations: DidObservation[] = [
      { school: 'a', treated: true, post: false, value: 50, weight: 20 },
      { school: 'a', treated: true, post: false, value: 54, weight: 22 },
      { school: 'a', treated: true, post: true, value: 58, weight: 21 },
      { school: 'b', treated: true, post: false, value: 47, weight: 35 },
      { school: 'b', treated: true, post: true, value: 53, weight: 30 },
      { school: 'c', treated: true, post: true, value: 61, weight: 12 },
      { school: 'd', treated: false, post: false, value: 52, weight: 28 },
      { school: 'd', treated: false, post: true, value: 53, weight: 27 },
      { school: 'e', treated: false, post: false, value: 49, weight: 40 },
      { school: 'e', treated: false, post: true, value: 51, weight: 38 },
      { school: 'e', treated: false, post: true, value: 48, weight: 5 },
      { school: 'f', treated: false, post: false, value: 55, weight: 16 },
    ];
    const reference = sandwich(observations);
    const result = did2x2(observations);
    expect(result.estimate).toBeCloseTo(reference.coefficient, 10);
    expect(result.se).toBeCloseTo(reference.se, 10);
    expect(result.cells.treatedPre).toBeCloseTo((50 * 20 + 54 * 22 + 47 * 35) / 77, 10);
    expect(result.clusters).toBe(6);
    expect(result.observations).toBe(12);
  });

  it('widens the interval for a lower level only in the critical value', () => {
    const data = [
      ...panel('T1', true, 10, 14),
      ...panel('T2', true, 12, 15),
      ...panel('C1', false, 11, 12),
      ...panel('C2', false, 9, 11),
    ];
    const at95 = did2x2(data);
    const at90 = did2x2(data, 0.9);
    expect(at90.se).toBe(at95.se);
    expect(at90.upper - at90.lower).toBeLessThan(at95.upper - at95.lower);
  });

  it('rejects a school marked both treated and comparison, naming it', () => {
    const data = [
      ...panel('T1', true, 1, 2),
      ...panel('T2', true, 1, 2),
      ...panel('C1', false, 1, 2),
      ...panel('C2', false, 1, 2),
    ];
    data.push({ school: 'T2', treated: false, post: true, value: 3 });
    expect(() => did2x2(data)).toThrow(/T2/);
  });

  it('rejects an empty cell, too few schools per arm, bad values and no data', () => {
    const base = [
      ...panel('T1', true, 1, 2),
      ...panel('T2', true, 1, 2),
      ...panel('C1', false, 1, 2),
      ...panel('C2', false, 1, 2),
    ];
    expect(() => did2x2(base.filter((o) => o.treated || o.post))).toThrow(/comparisonPre/);
    expect(() => did2x2(base.filter((o) => o.school !== 'C2'))).toThrow(/at least 2 schools per arm/);
    expect(() => did2x2([...base, { school: 'C3', treated: false, post: true, value: NaN }])).toThrow(/C3/);
    expect(() => did2x2([...base, { school: 'C3', treated: false, post: true, value: 1, weight: 0 }])).toThrow(
      AnalysisInputError,
    );
    expect(() => did2x2([])).toThrow(AnalysisInputError);
  });
});

/**
 * An independent reference: the textbook CR1 sandwich (X'WX)⁻¹ [Σ_g X_g'W_g u_g u_g'W_g X_g]
 * (X'WX)⁻¹ · G/(G−1)·(N−1)/(N−K), built from the full design matrix.
 */
function sandwich(observations: DidObservation[]): { coefficient: number; se: number } {
  const rows = observations.map((o) => [1, o.treated ? 1 : 0, o.post ? 1 : 0, o.treated && o.post ? 1 : 0]);
  const weights = observations.map((o) => o.weight ?? 1);
  const k = 4;
  const xtwx = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => rows.reduce((sum, x, i) => sum + weights[i] * x[a] * x[b], 0)),
  );
  const xtwy = Array.from({ length: k }, (_, a) =>
    rows.reduce((sum, x, i) => sum + weights[i] * x[a] * observations[i].value, 0),
  );
  const bread = invert(xtwx);
  const beta = bread.map((row) => row.reduce((sum, v, b) => sum + v * xtwy[b], 0));
  const scores = new Map<string, number[]>();
  observations.forEach((o, i) => {
    const residual = o.value - rows[i].reduce((sum, x, b) => sum + x * beta[b], 0);
    const score = scores.get(o.school) ?? [0, 0, 0, 0];
    for (let a = 0; a < k; a++) score[a] += rows[i][a] * weights[i] * residual;
    scores.set(o.school, score);
  });
  const meat = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => [...scores.values()].reduce((sum, s) => sum + s[a] * s[b], 0)),
  );
  const g = scores.size;
  const n = observations.length;
  let variance = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) variance += bread[3][a] * meat[a][b] * bread[b][3];
  variance *= (g / (g - 1)) * ((n - 1) / (n - k));
  return { coefficient: beta[3], se: Math.sqrt(variance) };
}

function invert(matrix: number[][]): number[][] {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const scale = a[col][col];
    for (let c = 0; c < 2 * n; c++) a[col][c] /= scale;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r][col];
      for (let c = 0; c < 2 * n; c++) a[r][c] -= factor * a[col][c];
    }
  }
  return a.map((row) => row.slice(n));
}
