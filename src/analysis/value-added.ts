/**
 * Empirical-Bayes shrinkage of school effects in the random-intercept model r_ij = μ + u_j + e_ij,
 * u_j ~ N(0, τ²), e_ij ~ N(0, σ²) (Goldstein, Multilevel Statistical Models, 4th ed. 2011, ch. 2;
 * Leckie & Goldstein, "The limitations of using school league tables to inform school choice",
 * JRSS A 2009;172(4):835–851). Given each school's mean pupil residual r̄_j from the value-added
 * regression and the within-school variance σ², the between-school variance is the one-way ANOVA
 * (method-of-moments) estimator with unequal school sizes (Searle, Casella & McCulloch, Variance
 * Components 1992, ch. 3; Snijders & Bosker, Multilevel Analysis, 2nd ed. 2012, ch. 3):
 *   r̄ = Σ n_j r̄_j / N,   τ² = max(0, [Σ n_j (r̄_j − r̄)² − (J − 1)σ²] / (N − Σ n_j²/N)),
 * which is unbiased before truncation (E Σ n_j (r̄_j − r̄)² = (J − 1)σ² + (N − Σ n_j²/N)τ²) and,
 * for equal sizes n, is [Σ(r̄_j − r̄)² − (J − 1)σ²/n]/(J − 1). Each school's effect is the posterior
 * mean r̄ + k_j(r̄_j − r̄) with shrinkage k_j = τ²/(τ² + σ²/n_j), its standard error the posterior
 * sd sqrt(k_j·σ²/n_j) (μ and τ² treated as known), and a school is flagged when its whole interval
 * lies above zero, so a small school cannot be flagged on noise.
 */
import { AnalysisInputError, interval, requireFinite, type Interval } from './stats.js';

export interface SchoolResidual {
  school: string;
  /** Pupils with a residual. */
  n: number;
  meanResidual: number;
}

export interface ShrunkEffect extends Interval {
  school: string;
  n: number;
  /** The unshrunk mean residual r̄_j. */
  raw: number;
  /** k_j = τ²/(τ² + σ²/n_j): 0 means all the way to the grand mean, 1 means no shrinkage. */
  shrinkage: number;
  flagged: boolean;
}

export interface ShrunkEffects {
  tau2: number;
  sigma2: number;
  /** The pupil-weighted grand mean of the residuals that effects are shrunk toward. */
  grandMean?: number;
  effects: ShrunkEffect[];
}

export function shrinkSchoolEffects(units: SchoolResidual[], sigma2: number, level = 0.95): ShrunkEffects {
  requireFinite(sigma2, 'shrinkSchoolEffects: sigma2');
  if (!(sigma2 > 0)) throw new AnalysisInputError(`shrinkSchoolEffects: sigma2 must be positive, got ${sigma2}`);
  if (!Array.isArray(units) || units.length < 2)
    throw new AnalysisInputError(
      `shrinkSchoolEffects: need at least 2 schools to estimate the between-school variance, got ${Array.isArray(units) ? units.length : 0}`,
    );
  const seen = new Set<string>();
  for (const u of units) {
    if (u === null || typeof u !== 'object' || typeof u.school !== 'string' || u.school === '')
      throw new AnalysisInputError('shrinkSchoolEffects: every unit needs a school');
    if (seen.has(u.school))
      throw new AnalysisInputError(`shrinkSchoolEffects: school ${u.school} appears more than once`);
    seen.add(u.school);
    requireFinite(u.n, `shrinkSchoolEffects: school ${u.school}: n`);
    if (!(u.n > 0))
      throw new AnalysisInputError(`shrinkSchoolEffects: school ${u.school}: n must be positive, got ${u.n}`);
    requireFinite(u.meanResidual, `shrinkSchoolEffects: school ${u.school}: meanResidual`);
  }

  const pupils = units.reduce((sum, u) => sum + u.n, 0);
  const grandMean = units.reduce((sum, u) => sum + u.n * u.meanResidual, 0) / pupils;
  const betweenSquares = units.reduce((sum, u) => sum + u.n * (u.meanResidual - grandMean) ** 2, 0);
  const effectiveSize = pupils - units.reduce((sum, u) => sum + u.n * u.n, 0) / pupils;
  const tau2 = Math.max(0, (betweenSquares - (units.length - 1) * sigma2) / effectiveSize);

  const effects = units.map((u): ShrunkEffect => {
    const samplingVariance = sigma2 / u.n;
    const shrinkage = tau2 / (tau2 + samplingVariance);
    const estimate = grandMean + shrinkage * (u.meanResidual - grandMean);
    const bounds = interval(estimate, Math.sqrt(shrinkage * samplingVariance), null, level);
    // With τ² = 0 every school sits at the grand mean; a grand mean a rounding error above zero
    // must not flag them all.
    return {
      ...bounds,
      school: u.school,
      n: u.n,
      raw: u.meanResidual,
      shrinkage,
      flagged: tau2 > 0 && bounds.lower > 0,
    };
  });
  return { tau2, sigma2, grandMean, effects };
}
