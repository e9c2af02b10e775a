/**
 * Seeded randomness for the demo generator. Everything random in the demo comes from here, so the
 * same options give byte-identical files: no Math.random, no clock.
 *
 * Each concern draws from its own stream, derived from (seed, stream id, keys...) by hashing, so
 * a stream's numbers do not depend on the order in which other streams were used. That is what
 * keeps, for example, `attendance: 'full'` and `'exceptions'` (or planted effects on and off)
 * identical in everything except what the option changes.
 */

/** murmur3's finaliser: a bijection on 32-bit integers with good avalanche. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A keyed bijection on 32-bit integers: distinct inputs always give distinct outputs, which is
 * what makes short identifiers (8 hex digits) derived from a student number collision-free.
 */
export function permute32(value: number, key: number): number {
  return mix32(mix32((value ^ key) >>> 0) + key);
}

/** Combines keys into one 32-bit hash (order matters). */
export function hashKeys(keys: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const key of keys) h = mix32((h ^ mix32(key >>> 0)) + 0x7f4a7c15 + (h << 6) + (h >>> 2));
  return h >>> 0;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 8 lower-case hex digits of a 32-bit integer. */
export function hex32(value: number): string {
  const v = value >>> 0;
  return HEX[v >>> 24] + HEX[(v >>> 16) & 255] + HEX[(v >>> 8) & 255] + HEX[v & 255];
}

/** Formats four 32-bit words as a version-4-shaped UUID (version nibble 4, variant 10xx). */
export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const w1 = a >>> 0;
  const w2 = ((b & 0xffff0fff) | 0x00004000) >>> 0;
  const w3 = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  const s2 = hex32(w2);
  const s3 = hex32(w3);
  return `${hex32(w1)}-${s2.slice(0, 4)}-${s2.slice(4)}-${s3.slice(0, 4)}-${s3.slice(4)}${hex32(d)}`;
}

/**
 * A deterministic UUID for (key, index): the first word is a keyed bijection of the index, so two
 * indices under one key never share a UUID; the other words only make it look random.
 */
export function stableUuid(key: number, index: number): string {
  return uuidFromWords(
    permute32(index, key),
    mix32(index ^ mix32(key + 1)),
    mix32(index + mix32(key + 2)),
    mix32(mix32(index) ^ (key + 3)),
  );
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator): fast, 128-bit state, passes PractRand. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seedWords: readonly [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = seedWords.map((w) => w >>> 0) as [number, number, number, number];
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** The stream for (seed, stream id, keys...): independent of every other stream's use. */
  static stream(seed: number, streamId: number, ...keys: number[]): Rng {
    const base = hashKeys([seed, streamId, ...keys]);
    return new Rng([base, mix32(base ^ 0x1b873593), mix32(base + 0xcc9e2d51), mix32(base ^ 0xe6546b64) | 1]);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi], both included. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller; Math.log/cos/sqrt are deterministic in V8). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given mean (not median) and log-scale spread. */
  lognormalWithMean(mean: number, sigma: number): number {
    return mean * Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson count: Knuth's product method for small means, a rounded normal for large ones. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Failures before the first success with success probability p (mean (1 − p) / p). */
  geometric(p: number): number {
    if (p >= 1) return 0;
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /** Index drawn with probability proportional to weights[i]. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[] | Int32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
  }

  /** A random version-4 UUID (from this stream, so deterministic). */
  uuid(): string {
    return uuidFromWords(this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32());
  }
}

/**
 * Splits `total` into integers proportional to `weights` that add up to exactly `total`
 * (largest remainder; ties broken by index so the result is deterministic).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map((x) => Math.floor(x));
  let missing = total - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((p, q) => q.rest - p.rest || p.i - q.i);
  for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) counts[order[k].i]++;
  return counts;
}
