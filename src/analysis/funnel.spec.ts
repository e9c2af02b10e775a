import { funnelPlot, winsorizeTails, type FunnelUnit } from './funnel.js';
import { AnalysisInputError } from './stats.js';

const schools = (numerators: number[], denominator = 100): FunnelUnit[] =>
  numerators.map((numerator, i) => ({ school: `s${i + 1}`, numerator, denominator }));

describe('funnelPlot', () => {
  it('puts the 95% limit at p0 ± 1.959964·sqrt(p0(1 − p0)/n) without overdispersion', () => {
    // Source: Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    // Statistics in Medicine 24, 1185–1202, section 3 (normal approximation to a binomial proportion).
    // p0 = 50/500 = 0.1; at n = 100, sqrt(0.1 · 0.9 / 100) = 0.03:
    // 95%: 0.1 ± 0.05879892 → 0.04120108 and 0.15879892; 99.8%: 0.1 ± 0.09270696.
    const result = funnelPlot(schools([5, 8, 10, 12, 15]), { overdispersion: 'none' });
    expect(result.target).toBeCloseTo(0.1, 14);
    const point = result.points[0];
    expect(point.upper95).toBeCloseTo(0.1588, 4);
    expect(point.upper95).toBeCloseTo(0.15879892, 8);
    expect(point.lower95).toBeCloseTo(0.04120108, 8);
    expect(point.upper998).toBeCloseTo(0.19270696, 8);
    expect(point.lower998).toBeCloseTo(0.00729304, 8);
    // s1: (0.05 − 0.1)/0.03 = −1.667 → within; none of these reach the limits.
    expect(point.z).toBeCloseTo(-5 / 3, 12);
    expect(result.points.map((p) => p.flag)).toEqual(['within', 'within', 'within', 'within', 'within']);
  });

  it('estimates φ from Winsorized z-scores and τ² from φ, by hand', () => {
    // Source: Spiegelhalter, D. J. (2005). Handling over-dispersion of performance indicators. Qual Saf
    // Health Care 14, 347–351 (Winsorized φ; additive τ² of DerSimonian & Laird form).
    // Five schools of 100 with 2, 6, 10, 14, 18 events: p0 = 0.1, s = 0.03, so the z-scores are
    // −8/3, −4/3, 0, 4/3, 8/3. Winsorizing at 10%: the 10th percentile (type 7) lies 0.4 of the
    // way from −8/3 to −4/3, i.e. −6.4/3, and symmetrically the 90th at 6.4/3.
    // φ = (2·(6.4/3)² + 2·(4/3)² + 0)/5 = (2·40.96 + 2·16)/45 = 113.92/45 = 2.531556.
    // w = 1/s² = 1/0.0009 for every school: Σw − Σw²/Σw = 5w − w = 4/0.0009.
    // τ² = (5φ − 4)·0.0009/4 = (113.92/9 − 4)·0.000225 = 0.001948.
    const units = schools([2, 6, 10, 14, 18]);
    const additive = funnelPlot(units);
    expect(additive.overdispersion).toBe('additive');
    expect(additive.phi).toBeCloseTo(113.92 / 45, 12);
    expect(additive.tau2).toBeCloseTo(0.001948, 12);
    // Additive 95% limit at n = 100: 0.1 + 1.959964·sqrt(0.0009 + 0.001948).
    expect(additive.points[4].upper95).toBeCloseTo(0.1 + 1.959964 * Math.sqrt(0.002848), 12);
    expect(additive.points[4].z).toBeCloseTo(0.08 / Math.sqrt(0.002848), 12);
    expect(additive.points[4].flag).toBe('within');

    // Multiplicative: 0.1 + 1.959964·sqrt(φ·0.0009) = 0.1 + 1.959964·0.03·1.591086.
    const multiplicative = funnelPlot(units, { overdispersion: 'multiplicative' });
    expect(multiplicative.points[4].upper95).toBeCloseTo(0.1 + 1.959964 * 0.03 * Math.sqrt(113.92 / 45), 12);

    // Without overdispersion, 18/100 has z = 8/3: outside 95%, inside 99.8%.
    const none = funnelPlot(units, { overdispersion: 'none' });
    expect(none.points.map((p) => p.flag)).toEqual(['low_95', 'within', 'within', 'within', 'high_95']);
    expect(none.phi).toBeCloseTo(additive.phi, 14);
  });

  it('matches the DerSimonian–Laird form with unequal denominators', () => {
    const units: FunnelUnit[] = [
      { school: 'a', numerator: 3, denominator: 40 },
      { school: 'b', numerator: 30, denominator: 150 },
      { school: 'c', numerator: 12, denominator: 220 },
      { school: 'd', numerator: 70, denominator: 300 },
      { school: 'e', numerator: 9, denominator: 90 },
    ];
    const p0 = 124 / 800;
    const v = (n: number) => (p0 * (1 - p0)) / n;
    const z = units.map((u) => (u.numerator / u.denominator - p0) / Math.sqrt(v(u.denominator)));
    const phi = winsorizeTails(z, 0.1).reduce((s, x) => s + x * x, 0) / 5;
    const w = units.map((u) => 1 / v(u.denominator));
    const sw = w.reduce((s, x) => s + x, 0);
    const tau2 = (5 * phi - 4) / (sw - w.reduce((s, x) => s + x * x, 0) / sw);
    expect(tau2).toBeGreaterThan(0);
    const result = funnelPlot(units);
    expect(result.phi).toBeCloseTo(phi, 12);
    expect(result.tau2).toBeCloseTo(tau2, 14);
    expect(result.points[3].upper998).toBeCloseTo(p0 + 3.090232 * Math.sqrt(v(300) + tau2), 12);
  });

  it('keeps τ² at zero and φ-limits unwidened when the data are underdispersed', () => {
    const units = schools([9, 10, 10, 11, 10]);
    const additive = funnelPlot(units);
    const none = funnelPlot(units, { overdispersion: 'none' });
    const multiplicative = funnelPlot(units, { overdispersion: 'multiplicative' });
    expect(additive.phi).toBeLessThan(1);
    expect(additive.tau2).toBe(0);
    expect(additive.points).toEqual(none.points);
    expect(multiplicative.points).toEqual(none.points);
  });

  it('Winsorizes nothing when asked for 0, which changes φ', () => {
    const units = schools([2, 6, 10, 14, 18]);
    // Raw z-scores: φ = (2·64/9 + 2·16/9)/5 = 160/45.
    expect(funnelPlot(units, { winsorize: 0 }).phi).toBeCloseTo(160 / 45, 12);
  });

  it('clips limits to [0, 1] and draws a 50-point curve across the denominators', () => {
    const result = funnelPlot(
      [
        { school: 'tiny', numerator: 0, denominator: 4 },
        { school: 'mid', numerator: 10, denominator: 96 },
        { school: 'big', numerator: 90, denominator: 900 },
      ],
      { overdispersion: 'none' },
    );
    const tiny = result.points[0];
    expect(tiny.lower95).toBe(0);
    expect(tiny.lower998).toBe(0);
    expect(tiny.flag).toBe('within');
    expect(result.curve).toHaveLength(50);
    expect(result.curve[0].denominator).toBe(4);
    expect(result.curve[49].denominator).toBe(900);
    for (let i = 1; i < 50; i++) {
      expect(result.curve[i].denominator).toBeGreaterThan(result.curve[i - 1].denominator);
      expect(result.curve[i].upper95).toBeLessThanOrEqual(result.curve[i - 1].upper95);
    }
  });

  it('flags extreme schools beyond 99.8%', () => {
    const result = funnelPlot(schools([10, 10, 10, 10, 10, 10, 10, 10, 10, 30, 0], 200), { overdispersion: 'none' });
    expect(result.points[9].flag).toBe('high_998');
    expect(result.points[10].flag).toBe('low_998');
  });

  it('handles an overall rate of 0 without dividing by zero', () => {
    const result = funnelPlot(schools([0, 0, 0]));
    expect(result.target).toBe(0);
    expect(result.tau2).toBe(0);
    expect(result.points.every((p) => p.flag === 'within' && p.z === 0 && p.upper95 === 0)).toBe(true);
  });

  it('rejects a zero denominator naming the school, and other bad input', () => {
    expect(() => funnelPlot([...schools([1, 2]), { school: 'empty-school', numerator: 0, denominator: 0 }])).toThrow(
      /empty-school/,
    );
    expect(() => funnelPlot([{ school: 'x', numerator: 5, denominator: 3 }])).toThrow(/x/);
    expect(() => funnelPlot([{ school: 'y', numerator: NaN, denominator: 3 }])).toThrow(/y/);
    expect(() => funnelPlot([])).toThrow(AnalysisInputError);
    expect(() => funnelPlot(schools([1, 2]), { winsorize: 0.5 })).toThrow(AnalysisInputError);
    expect(() => funnelPlot(schools([1, 2]), { overdispersion: 'both' as never })).toThrow(AnalysisInputError);
  });
});
