import { AnalysisInputError } from './stats.js';
import { shrinkSchoolEffects, type SchoolResidual } from './value-added.js';

const equalSchools = (residuals: number[], n: number): SchoolResidual[] =>
  residuals.map((meanResidual, i) => ({ school: `s${i + 1}`, n, meanResidual }));

describe('shrinkSchoolEffects', () => {
  it('gives the textbook shrinkage factor n·τ²/(n·τ² + σ²) = 0.5 for τ² = 4, σ² = 100, n = 25', () => {
    // Goldstein (2011), Multilevel Statistical Models, ch. 2: the posterior mean of a school's
    // residual is its raw mean residual times n_j·σ_u²/(n_j·σ_u² + σ_e²) = 25·4/(100 + 100) = 0.5.
    // Seven schools of 25 with mean residuals −4, −2, −2, 0, 2, 2, 4 (grand mean 0): the sum of
    // squares is 48, so Σ n_j (r̄_j − r̄)² = 1200, (J − 1)σ² = 600, N − Σn²/N = 175 − 25 = 150,
    // and τ² = (1200 − 600)/150 = 4 (for equal n: sample variance 8 minus σ²/n = 4).
    const result = shrinkSchoolEffects(equalSchools([-4, -2, -2, 0, 2, 2, 4], 25), 100);
    expect(result.tau2).toBeCloseTo(4, 12);
    expect(result.sigma2).toBe(100);
    const top = result.effects[6];
    expect(top.shrinkage).toBeCloseTo(0.5, 12);
    expect(top.raw).toBe(4);
    // Effect 0 + 0.5·4 = 2; posterior sd sqrt(0.5 · 100/25) = √2; 2 ± 1.959964·√2 includes 0.
    expect(top.estimate).toBeCloseTo(2, 12);
    expect(top.se).toBeCloseTo(Math.SQRT2, 12);
    expect(top.lower).toBeCloseTo(2 - 1.959964 * Math.SQRT2, 6);
    expect(top.df).toBeNull();
    expect(top.flagged).toBe(false);
  });

  it('flags a large school with a clear positive residual but not a tiny one with the same residual', () => {
    // τ² = 12.07 here. The 400-pupil school keeps 98% of its +3 (2.94, lower limit 1.97); the
    // 4-pupil school keeps a third (0.98, lower limit −4.6).
    const units: SchoolResidual[] = [
      { school: 'large', n: 400, meanResidual: 3 },
      { school: 'tiny', n: 4, meanResidual: 3 },
      { school: 'large-low', n: 400, meanResidual: -3 },
      ...[-6, -4, -2, 0, 2, 4, 6, -1, 1].map((meanResidual, i) => ({ school: `mid-${i}`, n: 50, meanResidual })),
    ];
    const result = shrinkSchoolEffects(units, 100);
    const large = result.effects.find((e) => e.school === 'large')!;
    const tiny = result.effects.find((e) => e.school === 'tiny')!;
    expect(result.tau2).toBeGreaterThan(0);
    expect(large.flagged).toBe(true);
    expect(large.lower).toBeGreaterThan(0);
    expect(tiny.flagged).toBe(false);
    expect(tiny.shrinkage).toBeLessThan(large.shrinkage);
    expect(Math.abs(tiny.estimate - result.grandMean!)).toBeLessThan(Math.abs(large.estimate - result.grandMean!));
    expect(result.effects.find((e) => e.school === 'large-low')!.flagged).toBe(false);
  });

  it('uses the pupil-weighted ANOVA estimator with unequal sizes', () => {
    const units: SchoolResidual[] = [
      { school: 'a', n: 12, meanResidual: 5 },
      { school: 'b', n: 80, meanResidual: -1.5 },
      { school: 'c', n: 33, meanResidual: 2 },
      { school: 'd', n: 150, meanResidual: 0.5 },
    ];
    // r̄ = (60 − 120 + 66 + 75)/275 = 81/275.
    const mean = 81 / 275;
    const ssb = 12 * (5 - mean) ** 2 + 80 * (-1.5 - mean) ** 2 + 33 * (2 - mean) ** 2 + 150 * (0.5 - mean) ** 2;
    const effective = 275 - (144 + 6400 + 1089 + 22500) / 275;
    const tau2 = (ssb - 3 * 64) / effective;
    const result = shrinkSchoolEffects(units, 64);
    expect(tau2).toBeGreaterThan(0);
    expect(result.grandMean).toBeCloseTo(mean, 14);
    expect(result.tau2).toBeCloseTo(tau2, 12);
    const a = result.effects[0];
    const k = tau2 / (tau2 + 64 / 12);
    expect(a.shrinkage).toBeCloseTo(k, 12);
    expect(a.estimate).toBeCloseTo(mean + k * (5 - mean), 12);
    expect(a.se).toBeCloseTo(Math.sqrt((k * 64) / 12), 12);
  });

  it('is unbiased for τ² on simulated schools of unequal size', () => {
    // Seeded, so the test is deterministic; 2000 replicates of 40 schools put the mean estimate
    // within a few hundredths of the truth (truncation at 0 almost never binds at this τ²).
    const random = mulberry32(20240501);
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const sizes = Array.from({ length: 40 }, (_, j) => 10 + ((j * 37) % 190));
    const tau2 = 4;
    const sigma2 = 100;
    let total = 0;
    const replicates = 2000;
    for (let r = 0; r < replicates; r++) {
      const units = sizes.map((n, j) => ({
        school: `s${j}`,
        n,
        meanResidual: Math.sqrt(tau2) * normal() + Math.sqrt(sigma2 / n) * normal(),
      }));
      total += shrinkSchoolEffects(units, sigma2).tau2;
    }
    expect(Math.abs(total / replicates - tau2)).toBeLessThan(0.15);
  });

  it('puts every school at the grand mean and flags nobody when τ² is 0', () => {
    // Spread far below sampling noise (σ²/n = 4): the moment estimate is negative, truncated to 0.
    const result = shrinkSchoolEffects(equalSchools([0.3, 0.31, 0.29, 0.3], 25), 100);
    expect(result.tau2).toBe(0);
    for (const effect of result.effects) {
      expect(effect.shrinkage).toBe(0);
      expect(effect.estimate).toBeCloseTo(0.3, 12);
      expect(effect.se).toBe(0);
      expect(effect.flagged).toBe(false);
    }
  });

  it('rejects bad input with the school named', () => {
    expect(() => shrinkSchoolEffects([], 100)).toThrow(AnalysisInputError);
    expect(() => shrinkSchoolEffects(equalSchools([1], 10), 100)).toThrow(/at least 2 schools/);
    expect(() => shrinkSchoolEffects(equalSchools([1, 2], 10), NaN)).toThrow(/sigma2/);
    expect(() => shrinkSchoolEffects(equalSchools([1, 2], 10), 0)).toThrow(/sigma2/);
    expect(() =>
      shrinkSchoolEffects([...equalSchools([1, 2], 10), { school: 'q', n: 0, meanResidual: 1 }], 100),
    ).toThrow(/school q/);
    expect(() =>
      shrinkSchoolEffects([...equalSchools([1, 2], 10), { school: 'r', n: 5, meanResidual: NaN }], 100),
    ).toThrow(/school r/);
    expect(() =>
      shrinkSchoolEffects([...equalSchools([1, 2], 10), { school: 's1', n: 5, meanResidual: 1 }], 100),
    ).toThrow(/s1 appears more than once/);
  });
});

/** A small seeded generator (mulberry32) so the simulation is reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
