import {
  AnalysisInputError,
  incompleteBeta,
  interval,
  logGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from './stats.js';

// Reference values below were computed with SciPy 1.17 (scipy.stats.norm / scipy.stats.t), which
// wraps the Cephes and Boost implementations, independent of the algorithms used here.

describe('normalQuantile', () => {
  it.each([
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798409],
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.3, -0.5244005127080409],
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.999999, 4.753424308817087],
  ])('Φ⁻¹(%p) = %p', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));
  });

  it('is antisymmetric about one half', () => {
    // 1 − p is exact for these p, so any asymmetry would be the algorithm's.
    for (const p of [0.0009765625, 0.01171875, 0.25, 0.375]) expect(normalQuantile(1 - p)).toBe(-normalQuantile(p));
  });

  it.each([0, 1, -0.1, 1.5, NaN])('rejects p = %p', (p) => {
    expect(() => normalQuantile(p)).toThrow(AnalysisInputError);
  });
});

describe('normalCdf', () => {
  it.each([
    [-8, 6.22096057427174e-16],
    [-10, 7.61985302416047e-24],
    [-5, 2.866515718791933e-7],
    [-3, 0.0013498980316300933],
    [-1.5, 0.06680720126885807],
    [-0.5, 0.3085375387259869],
    [0, 0.5],
    [0.7, 0.758036347776927],
    [1, 0.8413447460685429],
    [1.959964, 0.9750000009035577],
    [3.090232, 0.9989999989691049],
  ])('Φ(%p) = %p', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-13 * Math.max(expected, 1e-300) + 1e-15);
  });

  it('inverts normalQuantile', () => {
    for (const p of [1e-12, 1e-5, 0.01, 0.3, 0.5, 0.77, 0.999])
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 12);
  });

  it('saturates far in the tails and rejects NaN', () => {
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(() => normalCdf(NaN)).toThrow(AnalysisInputError);
  });
});

describe('logGamma and incompleteBeta', () => {
  it('matches Γ at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(100.5)).toBeCloseTo(361.43554046777757, 9); // SciPy gammaln(100.5)
  });

  it('matches closed forms of the incomplete beta', () => {
    // I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a.
    expect(incompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 14);
    expect(incompleteBeta(0.8, 2.5, 1)).toBeCloseTo(0.8 ** 2.5, 14);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe('studentTQuantile', () => {
  it.each([
    // The textbook table values the brief names, then SciPy for the rest.
    [0.975, 1, 12.7062],
    [0.975, 11, 2.201],
    [0.975, 30, 2.0423],
  ])('t(%p, %p) is the table value %p', (p, df, table) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(table, 4);
  });

  it.each([
    [0.975, 1, 12.706204736174694],
    [0.975, 11, 2.200985160091639],
    [0.975, 30, 2.0422724563012378],
    [0.975, 2.5, 3.5746548420036817],
    [0.995, 0.5, 4113.964588804174],
    [0.025, 4, -2.7764451051977943],
    [0.9995, 3, 12.923978636687961],
    [1e-10, 5, -156.82559270889433],
    [0.975, 1e6, 1.959966356814107],
    [0.8, 7.3, 0.8936713571802273],
    [0.5000001, 10, 2.569978033880817e-7],
    [0.999, 1000, 3.0984021639129233],
    [0.01, 1.0000001, -31.82050554901568],
    [0.9, 1.0000001, 3.077683207375],
    [1e-12, 1, -318309886183.7907],
    [0.1, 3e6, -1.2815518477395864],
  ])('t(%p, %p) = %p to 1e-6 relative', (p, df, expected) => {
    expect(Math.abs(studentTQuantile(p, df) - expected)).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected)));
  });

  it('uses the general solver consistently with the closed forms for 1 and 2 degrees of freedom', () => {
    for (const p of [0.01, 0.3, 0.9]) {
      expect(studentTCdf(studentTQuantile(p, 1), 1)).toBeCloseTo(p, 12);
      expect(studentTCdf(studentTQuantile(p, 2), 2)).toBeCloseTo(p, 12);
    }
  });

  it('tends to the normal quantile', () => {
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(normalQuantile(0.975), 8);
  });

  it.each([
    [0.5, 0],
    [0.5, -1],
    [0.5, NaN],
    [0, 5],
    [1, 5],
  ])('rejects p = %p with df = %p', (p, df) => {
    expect(() => studentTQuantile(p, df)).toThrow(AnalysisInputError);
  });
});

describe('interval', () => {
  it('uses t with the given degrees of freedom', () => {
    const result = interval(3, 0.5, 11);
    expect(result.lower).toBeCloseTo(3 - 2.200985160091639 * 0.5, 9);
    expect(result.upper).toBeCloseTo(3 + 2.200985160091639 * 0.5, 9);
    expect(result.df).toBe(11);
    expect(result.estimate).toBe(3);
    expect(result.se).toBe(0.5);
  });

  it('uses the normal distribution when df is null, at any level', () => {
    const result = interval(0, 1, null, 0.998);
    expect(result.upper).toBeCloseTo(3.090232306167813, 9);
    expect(result.lower).toBeCloseTo(-3.090232306167813, 9);
    expect(result.df).toBeNull();
  });

  it('gives NaN limits for a NaN standard error or no degrees of freedom', () => {
    const noSe = interval(1, NaN, 5);
    expect(noSe.lower).toBeNaN();
    expect(noSe.upper).toBeNaN();
    const noDf = interval(1, 0.2, 0);
    expect(noDf.lower).toBeNaN();
    expect(noDf.upper).toBeNaN();
  });

  it('gives a point interval for a zero standard error', () => {
    expect(interval(2, 0, 3)).toEqual({ estimate: 2, se: 0, lower: 2, upper: 2, df: 3 });
  });

  it('rejects a negative standard error and a level outside (0, 1)', () => {
    expect(() => interval(1, -1, null)).toThrow(AnalysisInputError);
    expect(() => interval(1, 1, null, 1)).toThrow(AnalysisInputError);
    expect(() => interval(1, 1, null, 95)).toThrow(AnalysisInputError);
  });
});
