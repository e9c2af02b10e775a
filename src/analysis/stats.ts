/**
 * Distribution functions and confidence intervals for the policy-evaluation estimators. The normal
 * quantile is Wichura's algorithm AS 241 (PPND16, Applied Statistics 1988;37(3):477–484, relative
 * error about 1e-16); the normal distribution function is the regularized incomplete gamma
 * function Q(½, x²/2) and Student's t distribution function the regularized incomplete beta
 * function, both by series or Lentz's continued fraction (Press et al., Numerical Recipes, 3rd ed.
 * §6.2 and §6.4); the t quantile is found by safeguarded Newton iteration on the latter. Pure
 * functions: no I/O.
 */

/** Thrown for input the estimators cannot use; callers map it to a 4xx naming the problem. */
export class AnalysisInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisInputError';
  }
}

export interface Interval {
  estimate: number;
  se: number;
  lower: number;
  upper: number;
  /** Degrees of freedom of the t critical value, or null for a normal (z) interval. */
  df: number | null;
}

export function requireFinite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AnalysisInputError(`${what} must be a finite number, got ${String(value)}`);
  return value;
}

function requireProbability(p: number, what: string): void {
  if (typeof p !== 'number' || !(p > 0 && p < 1))
    throw new AnalysisInputError(`${what} must lie strictly between 0 and 1, got ${String(p)}`);
}

/** Horner evaluation, coefficients from the constant term up. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) sum = sum * x + coefficients[i];
  return sum;
}

// AS 241 coefficients: central region |p − 0.5| ≤ 0.425, then two tail regions in r = sqrt(−ln p). Each is
// the double nearest the published 20-digit value, written with the digits that identify that double.
const AS241_A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087,
  33430.57558358813, 2509.0809287301227,
];
const AS241_B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271, 28729.085735721943,
  5226.495278852854,
];
const AS241_C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684, 0.2417807251774506,
  0.022723844989269184, 0.0007745450142783414,
];
const AS241_D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const AS241_E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const AS241_F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548,
  1.421511758316446e-7, 2.0442631033899397e-15,
];

/** The p-quantile of the standard normal distribution (Wichura AS 241). */
export function normalQuantile(p: number): number {
  requireProbability(p, 'normalQuantile: p');
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(AS241_A, r)) / polynomial(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = polynomial(AS241_C, r) / polynomial(AS241_D, r);
  } else {
    r -= 5;
    x = polynomial(AS241_E, r) / polynomial(AS241_F, r);
  }
  return q < 0 ? -x : x;
}

/**
 * The standard normal distribution function Φ(x) = ½·[1 + sign(x)·P(½, x²/2)], with P and Q = 1 − P
 * the regularized incomplete gamma functions: the series for P near the centre, the continued
 * fraction for Q in the tails, so far-tail probabilities keep their relative precision.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new AnalysisInputError('normalCdf: x must be a number, got NaN');
  const h = (x * x) / 2;
  if (h < 1.5) return 0.5 + (x < 0 ? -0.5 : 0.5) * lowerGammaSeries(0.5, h);
  const tail = 0.5 * upperGammaFraction(0.5, h);
  return x < 0 ? tail : 1 - tail;
}

/** P(a, x) by its power series; converges quickly for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  if (x === 0) return 0;
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 1000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz); converges quickly for x > a + 1. */
function upperGammaFraction(a: number, x: number): number {
  if (x === Infinity) return 0;
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

// Lanczos approximation (g = 7, nine terms), relative error about 1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new AnalysisInputError(`logGamma: x must be positive, got ${String(x)}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let series = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i] / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

/** Continued fraction for the incomplete beta function (modified Lentz), valid for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) return h;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b). Takes y = 1 − x as well, so a caller that
 * knows 1 − x more precisely than by subtraction (the t tail near t = 0) does not lose digits.
 */
export function incompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0))
    throw new AnalysisInputError(`incompleteBeta: need 0 ≤ x ≤ 1 and a, b > 0, got x=${x}, a=${a}, b=${b}`);
  if (x === 0) return 0;
  if (y === 0) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/** P(T ≤ t) for T ~ Student's t with df degrees of freedom (df > 0, not necessarily whole). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) throw new AnalysisInputError('studentTCdf: t must be a number, got NaN');
  requireDegreesOfFreedom(df, 'studentTCdf');
  if (df === Infinity) return normalCdf(t);
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); both x and 1 − x are formed without cancellation.
  const tail = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t > 0 ? 1 - tail : tail;
}

function studentTDensity(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) -
      logGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

function requireDegreesOfFreedom(df: number, where: string): void {
  if (typeof df !== 'number' || !(df > 0))
    throw new AnalysisInputError(`${where}: degrees of freedom must be positive, got ${String(df)}`);
}

/** The p-quantile of Student's t with df degrees of freedom; df = Infinity gives the normal quantile. */
export function studentTQuantile(p: number, df: number): number {
  requireProbability(p, 'studentTQuantile: p');
  requireDegreesOfFreedom(df, 'studentTQuantile');
  if (df === Infinity) return normalQuantile(p);
  // Closed forms for 1 and 2 degrees of freedom; for 1, −cot(π·p) keeps its digits in the far
  // tail where tan(π(p − ½)) would not.
  if (df === 1) return p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  // Cornish–Fisher expansion: its error is O(df⁻³), about 1e-12 here, where the incomplete beta's
  // differences of large log-Γ values would start to lose digits instead.
  if (df > 1e5) return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  if (p === 0.5) return 0;
  // Solve in the lower tail (t < 0), where the distribution function is small and precise.
  const q = Math.min(p, 1 - p);
  const guessZ = -Math.abs(z);
  let hi = 0;
  let lo = Math.min(-1, guessZ + (guessZ ** 3 + guessZ) / (4 * df));
  while (studentTCdf(lo, df) > q) {
    hi = lo;
    lo *= 2;
  }
  let t = Math.min(Math.max(guessZ + (guessZ ** 3 + guessZ) / (4 * df), lo), hi);
  for (let iteration = 0; iteration < 300; iteration++) {
    const f = studentTCdf(t, df) - q;
    if (f === 0) break;
    if (f > 0) hi = t;
    else lo = t;
    let next = t - f / studentTDensity(t, df);
    // Newton can overshoot in the heavy tail; fall back to bisection inside the bracket.
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) {
      t = next;
      break;
    }
    t = next;
  }
  return p < 0.5 ? t : -t;
}

/**
 * A two-sided interval estimate ± critical value × se, with a t critical value when df is given and
 * a normal one when df is null. Degenerate inputs give NaN limits rather than an exception: a
 * standard error of NaN (not estimable), or df ≤ 0 or NaN (a single cluster).
 */
export function interval(estimate: number, se: number, df: number | null, level = 0.95): Interval {
  requireProbability(level, 'interval: level');
  if (se < 0) throw new AnalysisInputError(`interval: standard error must not be negative, got ${se}`);
  const upperTail = 1 - (1 - level) / 2;
  let critical: number;
  if (df === null) critical = normalQuantile(upperTail);
  else critical = df > 0 ? studentTQuantile(upperTail, df) : NaN;
  const half = critical * se;
  return { estimate, se, lower: estimate - half, upper: estimate + half, df };
}
