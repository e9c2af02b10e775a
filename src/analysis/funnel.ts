/**
 * Funnel plots for a proportion (Spiegelhalter, "Funnel plots for comparing institutional
 * performance", Statistics in Medicine 2005;24:1185–1202, and "Handling over-dispersion of
 * performance indicators", Quality and Safety in Health Care 2005;14:347–351). Each school's rate
 * is set against its denominator with 95% and 99.8% limits around the overall rate p0, using the
 * normal approximation p0 ± z·sqrt(p0(1−p0)/n). Overdispersion is estimated from z-scores
 * Winsorized at the given tail fraction (10% by default): φ = mean of the squared Winsorized
 * z-scores. 'multiplicative' inflates the variance by φ (when φ > 1); 'additive' adds a
 * between-school variance τ² estimated DerSimonian–Laird style,
 *   τ² = max(0, (I·φ − (I − 1)) / (Σw − Σw²/Σw)),  w = 1/s², s² = p0(1−p0)/n.
 * Schools are flagged, never ranked.
 */
import { AnalysisInputError, requireFinite } from './stats.js';

export interface FunnelUnit {
  school: string;
  numerator: number;
  denominator: number;
}

export type Overdispersion = 'none' | 'multiplicative' | 'additive';

export interface FunnelPoint {
  school: string;
  rate: number;
  denominator: number;
  /** Standardised against the chosen model (overdispersion included), so it agrees with `flag`. */
  z: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
  flag: 'high_998' | 'high_95' | 'within' | 'low_95' | 'low_998';
}

export interface FunnelResult {
  target: number;
  overdispersion: Overdispersion;
  /** The estimated overdispersion factor, reported whichever model is applied. */
  phi: number;
  /** The estimated additive between-school variance, reported whichever model is applied. */
  tau2: number;
  points: FunnelPoint[];
  curve: { denominator: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
}

/** Two-sided 95% and 99.8% normal critical values, as Spiegelhalter (2005) tabulates them. */
export const Z_95 = 1.959964;
export const Z_998 = 3.090232;

const CURVE_POINTS = 50;

export function funnelPlot(
  units: FunnelUnit[],
  options: { overdispersion?: Overdispersion; winsorize?: number } = {},
): FunnelResult {
  const overdispersion = options.overdispersion ?? 'additive';
  if (overdispersion !== 'none' && overdispersion !== 'multiplicative' && overdispersion !== 'additive') {
    throw new AnalysisInputError(
      `funnelPlot: overdispersion must be none, multiplicative or additive, got ${String(overdispersion)}`,
    );
  }
  const winsorize = options.winsorize ?? 0.1;
  if (typeof winsorize !== 'number' || !(winsorize >= 0 && winsorize < 0.5))
    throw new AnalysisInputError(`funnelPlot: winsorize must be at least 0 and below 0.5, got ${String(winsorize)}`);
  if (!Array.isArray(units) || units.length === 0) throw new AnalysisInputError('funnelPlot: no schools');
  for (const u of units) validate(u);

  const target = sum(units.map((u) => u.numerator)) / sum(units.map((u) => u.denominator));
  const unitVariance = target * (1 - target);
  // With p0 = 0 or 1 every school has that rate: no spread, nothing to flag.
  const degenerate = unitVariance === 0;

  const naiveZ = units.map((u) =>
    degenerate ? 0 : (u.numerator / u.denominator - target) / Math.sqrt(unitVariance / u.denominator),
  );
  const winsorized = winsorizeTails(naiveZ, winsorize);
  const count = units.length;
  const phi = sum(winsorized.map((z) => z * z)) / count;
  const weights = units.map((u) => u.denominator / unitVariance);
  const sumWeights = sum(weights);
  const spread = sumWeights - sum(weights.map((w) => w * w)) / sumWeights;
  // A single school (or equal weights with I = 1) leaves no between-school information.
  const tau2 = degenerate || !(spread > 0) ? 0 : Math.max(0, (count * phi - (count - 1)) / spread);

  const model = { target, overdispersion, phi, tau2 };
  const standardError = (n: number): number => funnelStandardError(model, n);
  const limitsAt = (n: number) => funnelLimits(model, n);

  const points: FunnelPoint[] = units.map((u) => {
    const rate = u.numerator / u.denominator;
    const se = standardError(u.denominator);
    const z = se === 0 ? 0 : (rate - target) / se;
    return { school: u.school, rate, denominator: u.denominator, z, ...limitsAt(u.denominator), flag: flagOf(z) };
  });

  return {
    target,
    overdispersion,
    phi,
    tau2,
    points,
    curve: curveDenominators(units).map((n) => ({ denominator: n, ...limitsAt(n) })),
  };
}

/** The standard error of a rate with denominator n around the target, under the fitted overdispersion. */
export function funnelStandardError(
  model: Pick<FunnelResult, 'target' | 'overdispersion' | 'phi' | 'tau2'>,
  n: number,
): number {
  const within = (model.target * (1 - model.target)) / n;
  if (model.overdispersion === 'multiplicative') return Math.sqrt(Math.max(model.phi, 1) * within);
  if (model.overdispersion === 'additive') return Math.sqrt(within + model.tau2);
  return Math.sqrt(within);
}

/** The 95% and 99.8% limits at denominator n (what the curve and each point use). */
export function funnelLimits(
  model: Pick<FunnelResult, 'target' | 'overdispersion' | 'phi' | 'tau2'>,
  n: number,
): { lower95: number; upper95: number; lower998: number; upper998: number } {
  const se = funnelStandardError(model, n);
  return {
    lower95: clip(model.target - Z_95 * se),
    upper95: clip(model.target + Z_95 * se),
    lower998: clip(model.target - Z_998 * se),
    upper998: clip(model.target + Z_998 * se),
  };
}

function validate(u: FunnelUnit): void {
  if (u === null || typeof u !== 'object' || typeof u.school !== 'string' || u.school === '')
    throw new AnalysisInputError('funnelPlot: every unit needs a school');
  requireFinite(u.numerator, `funnelPlot: school ${u.school}: numerator`);
  requireFinite(u.denominator, `funnelPlot: school ${u.school}: denominator`);
  if (!(u.denominator > 0))
    throw new AnalysisInputError(`funnelPlot: school ${u.school}: denominator must be positive, got ${u.denominator}`);
  if (u.numerator < 0 || u.numerator > u.denominator)
    throw new AnalysisInputError(
      `funnelPlot: school ${u.school}: numerator ${u.numerator} must lie between 0 and the denominator ${u.denominator}`,
    );
}

/**
 * Pulls the lowest and highest fraction q of the z-scores in to the q and 1 − q quantiles
 * (Spiegelhalter 2005, Statistics in Medicine), with quantiles interpolated between order statistics
 * (Hyndman & Fan type 7, R's default).
 */
export function winsorizeTails(values: number[], q: number): number[] {
  if (q === 0 || values.length < 2) return [...values];
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (p: number): number => {
    const h = (sorted.length - 1) * p;
    const below = Math.floor(h);
    const above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
  };
  const low = quantile(q);
  const high = quantile(1 - q);
  return values.map((v) => Math.min(Math.max(v, low), high));
}

function flagOf(z: number): FunnelPoint['flag'] {
  if (z > Z_998) return 'high_998';
  if (z > Z_95) return 'high_95';
  if (z < -Z_998) return 'low_998';
  if (z < -Z_95) return 'low_95';
  return 'within';
}

/** Geometrically spaced, so the narrow end of the funnel is drawn as smoothly as the wide one. */
function curveDenominators(units: FunnelUnit[]): number[] {
  const denominators = units.map((u) => u.denominator);
  const min = denominators.reduce((a, b) => Math.min(a, b));
  const max = denominators.reduce((a, b) => Math.max(a, b));
  if (min === max) return [min];
  const ratio = Math.log(max / min) / (CURVE_POINTS - 1);
  return Array.from({ length: CURVE_POINTS }, (_, i) => (i === CURVE_POINTS - 1 ? max : min * Math.exp(ratio * i)));
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
