import { callawaySantAnna, type PanelObservation, type StaggeredDidResult } from './staggered-did.js';
import { AnalysisInputError } from './stats.js';

/** Rows of a panel from each school's values in periods 1, 2, 3, ... */
function panelOf(series: Record<string, number[]>, firstPeriod = 1): PanelObservation[] {
  return Object.entries(series).flatMap(([school, values]) =>
    values.map((value, i) => ({ school, period: firstPeriod + i, value })),
  );
}

const cell = (result: StaggeredDidResult, group: number, period: number) =>
  result.groupTime.find((c) => c.group === group && c.period === period);

// Periods 1–3. Group 2 (first treated in period 2): A, B. Group 3: C, D. Never treated: E, F.
const SERIES = {
  A: [10, 13, 15],
  B: [12, 14, 17],
  C: [8, 9, 13],
  D: [9, 11, 14],
  E: [7, 8, 10],
  F: [11, 11, 12],
};
const FIRST_TREATED = new Map<string, number | null>([
  ['A', 2],
  ['B', 2],
  ['C', 3],
  ['D', 3],
  ['E', null],
  ['F', null],
]);

describe('callawaySantAnna', () => {
  it('computes the hand-worked group-time effects against never-treated schools', () => {
    // Source: Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
    // periods. Journal of Econometrics 225(2), 200–230, eq. (2.6) without covariates: ATT(g,t) =
    // E[Y_t − Y_{g−1} | G = g] − E[Y_t − Y_{g−1} | C = 1]; aggregations as in section 3.
    // Group 2, base period 1.
    //   t=2: ΔA=3, ΔB=2 → 2.5; ΔE=1, ΔF=0 → 0.5; ATT(2,2) = 2.
    //   t=3: ΔA=5, ΔB=5 → 5;   ΔE=3, ΔF=1 → 2;   ATT(2,3) = 3.
    // Group 3, base period 2.
    //   t=1 (placebo, e=−2): C 8−9=−1, D 9−11=−2 → −1.5; E −1, F 0 → −0.5; ATT(3,1) = −1.
    //   t=3: ΔC=4, ΔD=3 → 3.5; ΔE=2, ΔF=1 → 1.5; ATT(3,3) = 2.
    const result = callawaySantAnna(panelOf(SERIES), FIRST_TREATED, { comparison: 'never_treated' });
    expect(result.groupTime.map((c) => [c.group, c.period, c.eventTime])).toEqual([
      [2, 2, 0],
      [2, 3, 1],
      [3, 1, -2],
      [3, 3, 0],
    ]);
    expect(cell(result, 2, 2)!.estimate).toBeCloseTo(2, 12);
    expect(cell(result, 2, 3)!.estimate).toBeCloseTo(3, 12);
    expect(cell(result, 3, 1)!.estimate).toBeCloseTo(-1, 12);
    expect(cell(result, 3, 3)!.estimate).toBeCloseTo(2, 12);
    expect(cell(result, 2, 2)).toMatchObject({ treatedSchools: 2, comparisonSchools: 2 });

    // ATT(2,2) influence functions: A (3−2.5)/2 = .25, B −.25, E −(1−0.5)/2 = −.25, F .25;
    // Σ IF² = 0.25, G = 4, variance 0.25 · 4/3 = 1/3, df 3.
    expect(cell(result, 2, 2)!.se).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(cell(result, 2, 2)!.df).toBe(3);

    // Overall: post cells (2,2), (2,3), (3,3), all groups of size 2, so weights 1/3:
    // (2 + 3 + 2)/3 = 7/3. Per-school IF summed over cells (each × 1/3):
    //   (2,2): A .25, B −.25, E −.25, F .25
    //   (2,3): A 0, B 0, E −(3−2)/2 = −.5, F .5
    //   (3,3): C .25, D −.25, E −(2−1.5)/2 = −.25, F .25
    // → A .25/3, B −.25/3, C .25/3, D −.25/3, E −1/3, F 1/3; Σ² = 0.25/9 + 2/9 = 0.25.
    // G = 6: variance 0.25 · 6/5 = 0.3, df 5.
    expect(result.overall.estimate).toBeCloseTo(7 / 3, 12);
    expect(result.overall.se).toBeCloseTo(Math.sqrt(0.3), 12);
    expect(result.overall).toMatchObject({ df: 5, groups: 2, schools: 6 });

    // Event study: e=0 averages ATT(2,2)=2 and ATT(3,3)=2; e=1 is ATT(2,3); e=−2 is ATT(3,1).
    expect(result.eventStudy.map((e) => [e.eventTime, e.groups])).toEqual([
      [-2, 1],
      [0, 2],
      [1, 1],
    ]);
    expect(result.eventStudy[1].estimate).toBeCloseTo(2, 12);
    expect(result.eventStudy[2].estimate).toBeCloseTo(3, 12);
    expect(result.eventStudy[0].estimate).toBeCloseTo(-1, 12);
    expect(result).toMatchObject({ comparison: 'never_treated', basePeriod: 'universal', excluded: [] });
  });

  it('adds not-yet-treated schools to the comparison set only where they are still untreated', () => {
    // ATT(2,2): group 3 is not yet treated in period 2, so C and D join E and F:
    // ΔC=1, ΔD=2, ΔE=1, ΔF=0 → 1; ATT(2,2) = 2.5 − 1 = 1.5 with 4 comparison schools.
    // ATT(2,3): group 3 is treated by period 3 → E, F only, as before: 3.
    // ATT(3,·): no group is treated later than 3, so the never treated alone: −1 and 2.
    // Overall (1.5 + 3 + 2)/3 = 6.5/3.
    const never = callawaySantAnna(panelOf(SERIES), FIRST_TREATED, { comparison: 'never_treated' });
    const notYet = callawaySantAnna(panelOf(SERIES), FIRST_TREATED, { comparison: 'not_yet_treated' });
    expect(cell(notYet, 2, 2)).toMatchObject({ comparisonSchools: 4 });
    expect(cell(never, 2, 2)).toMatchObject({ comparisonSchools: 2 });
    expect(cell(notYet, 2, 2)!.estimate).toBeCloseTo(1.5, 12);
    expect(cell(notYet, 2, 3)!.estimate).toBeCloseTo(3, 12);
    expect(cell(notYet, 2, 3)!.comparisonSchools).toBe(2);
    expect(cell(notYet, 3, 1)!.estimate).toBeCloseTo(-1, 12);
    expect(cell(notYet, 3, 3)!.estimate).toBeCloseTo(2, 12);
    expect(notYet.overall.estimate).toBeCloseTo(6.5 / 3, 12);
    expect(notYet.comparison).toBe('not_yet_treated');
  });

  it('recovers an exact constant effect under parallel trends with zero standard error', () => {
    // Y = school level + period shock + 4 once treated: every cell is exactly 4 after
    // adoption and exactly 0 before it.
    const level: Record<string, number> = { g3a: 50, g3b: 42, g5a: 61, g5b: 55, g5c: 47, n1: 39, n2: 58, n3: 52 };
    const shock = [0, 1.5, -2, 3, 0.5, 2.25];
    const first: Record<string, number | null> = {
      g3a: 3,
      g3b: 3,
      g5a: 5,
      g5b: 5,
      g5c: 5,
      n1: null,
      n2: null,
      n3: null,
    };
    const panel = Object.keys(level).flatMap((school) =>
      shock.map((s, i) => {
        const period = 2019 + i;
        const g = first[school];
        return { school, period, value: level[school] + s + (g !== null && period >= 2019 + g - 1 ? 4 : 0) };
      }),
    );
    const firstTreated = new Map(
      Object.entries(first).map(([school, g]) => [school, g === null ? null : 2019 + g - 1]),
    );
    for (const comparison of ['never_treated', 'not_yet_treated'] as const) {
      const result = callawaySantAnna(panel, firstTreated, { comparison });
      for (const c of result.groupTime) {
        expect(c.estimate).toBeCloseTo(c.eventTime >= 0 ? 4 : 0, 10);
        expect(c.se).toBeLessThan(1e-10);
      }
      expect(result.overall.estimate).toBeCloseTo(4, 10);
      expect(result.overall.se).toBeLessThan(1e-10);
      expect(result.eventStudy.map((e) => e.eventTime)).toEqual([-4, -3, -2, 0, 1, 2, 3]);
    }
  });

  it('excludes schools treated from the first period and treats adoption after the panel as never treated', () => {
    const series = { ...SERIES, Z: [5, 6, 7], L: [20, 21, 23] };
    const firstTreated = new Map(FIRST_TREATED).set('Z', 1).set('L', 9);
    const result = callawaySantAnna(panelOf(series), firstTreated, { comparison: 'never_treated' });
    expect(result.excluded).toEqual([{ school: 'Z', reason: expect.stringContaining('no pre-treatment period') }]);
    // L joins E and F: ATT(2,2) = 2.5 − mean(1, 0, 1) = 2.5 − 2/3.
    expect(cell(result, 2, 2)!.estimate).toBeCloseTo(2.5 - 2 / 3, 12);
    expect(cell(result, 2, 2)!.comparisonSchools).toBe(3);
  });

  it('uses only schools observed in both the base period and the target period', () => {
    // Drop A's period-3 value: ATT(2,3) rests on B alone (Δ 5); ATT(2,2) still has A and B.
    const panel = panelOf(SERIES).filter((o) => !(o.school === 'A' && o.period === 3));
    const result = callawaySantAnna(panel, FIRST_TREATED, { comparison: 'never_treated' });
    expect(cell(result, 2, 3)).toMatchObject({ treatedSchools: 1, comparisonSchools: 2 });
    expect(cell(result, 2, 3)!.estimate).toBeCloseTo(5 - 2, 12);
    expect(cell(result, 2, 2)!.treatedSchools).toBe(2);
  });

  it('lists cells it cannot estimate and fails when no post-treatment cell remains', () => {
    const noNever = new Map(FIRST_TREATED).set('E', 3).set('F', 3);
    const notYet = callawaySantAnna(panelOf(SERIES), noNever, { comparison: 'not_yet_treated' });
    // Only ATT(2,2) has a not-yet-treated comparison (group 3 in period 2).
    expect(notYet.groupTime.map((c) => [c.group, c.period])).toEqual([[2, 2]]);
    expect(notYet.skippedCells!.length).toBe(3);
    expect(() => callawaySantAnna(panelOf(SERIES), noNever, { comparison: 'never_treated' })).toThrow(
      /no post-treatment/,
    );
  });

  it('rejects unknown schools, duplicates, NaN and empty input', () => {
    expect(() =>
      callawaySantAnna(panelOf({ ...SERIES, X: [1, 2, 3] }), FIRST_TREATED, { comparison: 'never_treated' }),
    ).toThrow(/school X/);
    const duplicated = [...panelOf(SERIES), { school: 'A', period: 2, value: 1 }];
    expect(() => callawaySantAnna(duplicated, FIRST_TREATED, { comparison: 'never_treated' })).toThrow(
      /school A has more than one value for period 2/,
    );
    expect(() =>
      callawaySantAnna([...panelOf(SERIES), { school: 'A', period: 4, value: NaN }], FIRST_TREATED, {
        comparison: 'never_treated',
      }),
    ).toThrow(AnalysisInputError);
    expect(() => callawaySantAnna([], FIRST_TREATED, { comparison: 'never_treated' })).toThrow(/empty/);
    expect(() =>
      callawaySantAnna(panelOf(SERIES), new Map(FIRST_TREATED).set('A', NaN), { comparison: 'never_treated' }),
    ).toThrow(/school A/);
    expect(() => callawaySantAnna(panelOf(SERIES), FIRST_TREATED, { comparison: 'everyone' as never })).toThrow(
      AnalysisInputError,
    );
  });
});
