import { apportion, hashKeys, hex32, mix32, permute32, Rng, stableUuid, uuidFromWords } from './random.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Rng streams', () => {
  it('gives the same numbers for the same seed and keys', () => {
    const a = Rng.stream(1, 8, 3, 2025);
    const b = Rng.stream(1, 8, 3, 2025);
    const drawsA = Array.from({ length: 50 }, () => a.nextUint32());
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(drawsA);
  });

  it('gives different numbers when the seed or any key differs', () => {
    const first = (rng: Rng): number[] => Array.from({ length: 5 }, () => rng.nextUint32());
    const base = first(Rng.stream(1, 8, 3, 2025));
    expect(first(Rng.stream(2, 8, 3, 2025))).not.toEqual(base);
    expect(first(Rng.stream(1, 9, 3, 2025))).not.toEqual(base);
    expect(first(Rng.stream(1, 8, 4, 2025))).not.toEqual(base);
    expect(first(Rng.stream(1, 8, 2025, 3))).not.toEqual(base);
  });

  it('draws uniform numbers in [0, 1) and integers in range', () => {
    const rng = Rng.stream(7, 1);
    let sum = 0;
    const seen = new Set<number>();
    for (let k = 0; k < 20000; k++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
      const d = rng.range(3, 6);
      expect(d).toBeGreaterThanOrEqual(3);
      expect(d).toBeLessThanOrEqual(6);
      seen.add(d);
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws normals, Poisson counts and log-normals with the asked moments', () => {
    const rng = Rng.stream(7, 2);
    const n = 40000;
    const normals = Array.from({ length: n }, () => rng.normal());
    const mean = normals.reduce((a, b) => a + b) / n;
    const sd = Math.sqrt(normals.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    for (const lambda of [0.3, 4, 75]) {
      const m = Array.from({ length: n }, () => rng.poisson(lambda)).reduce((a, b) => a + b) / n;
      expect(Math.abs(m - lambda) / lambda).toBeLessThan(0.05);
    }
    const ln = Array.from({ length: n }, () => rng.lognormalWithMean(4, 1)).reduce((a, b) => a + b) / n;
    expect(Math.abs(ln - 4)).toBeLessThan(0.25);
  });

  it('shuffles into a permutation and draws weighted indices by weight', () => {
    const rng = Rng.stream(7, 3);
    const items = Array.from({ length: 100 }, (_, i) => i);
    rng.shuffle(items);
    expect(items).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const counts = [0, 0, 0];
    for (let k = 0; k < 30000; k++) counts[rng.weighted([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.7);
    expect(counts[2] / counts[0]).toBeLessThan(3.3);
  });
});

describe('identifiers', () => {
  it('permute32 never maps two numbers to one (the short IDs cannot collide)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200000; i++) seen.add(permute32(i, 0xdeadbeef));
    expect(seen.size).toBe(200000);
    expect(mix32(0)).toBe(0); // the finaliser is a bijection that fixes 0; keys move it
    expect(permute32(0, 1)).not.toBe(0);
  });

  it('formats version-4-shaped UUIDs, stable for a key and index', () => {
    expect(uuidFromWords(0, 0, 0, 0)).toMatch(UUID_V4);
    expect(uuidFromWords(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toMatch(UUID_V4);
    expect(stableUuid(42, 7)).toBe(stableUuid(42, 7));
    expect(stableUuid(42, 7)).not.toBe(stableUuid(42, 8));
    expect(stableUuid(42, 7)).toMatch(UUID_V4);
    expect(Rng.stream(1, 1).uuid()).toMatch(UUID_V4);
    expect(hex32(0xa1b2c3d4)).toBe('a1b2c3d4');
    expect(hex32(5)).toBe('00000005');
    expect(hashKeys([1, 2])).not.toBe(hashKeys([2, 1]));
  });
});

describe('apportion', () => {
  it('splits a total exactly and in proportion', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(100, [3, 1])).toEqual([75, 25]);
    expect(apportion(7, [0, 2, 5])).toEqual([0, 2, 5]);
    const parts = apportion(4000, [0.2, 1.7, 3.3, 0.9, 5.1]);
    expect(parts.reduce((a, b) => a + b)).toBe(4000);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });
});
