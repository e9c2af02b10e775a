import { RateWindow } from './rate-limit.js';

describe('RateWindow', () => {
  it('counts up to the limit in a minute, refuses the next until the window turns', () => {
    const window = new RateWindow(5, 60_000);
    for (let i = 0; i < 5; i++) expect(window.hit('a', 1_000 + i)).toBe(0);
    expect(window.hit('a', 10_000)).toBe(51_000);
    expect(window.hit('b', 10_000)).toBe(0);
  });

  it('weighs the previous minute by how much of it is still within the last minute', () => {
    const window = new RateWindow(10, 60_000);
    for (let i = 0; i < 10; i++) window.hit('a', 0);
    // 15 s into the next window, three quarters of the previous 10 still count: 7.5 + 2 < 10 < 7.5 + 3.
    expect(window.hit('a', 75_000)).toBe(0);
    expect(window.hit('a', 75_000)).toBe(0);
    expect(window.hit('a', 75_000)).toBe(0);
    expect(window.hit('a', 75_000)).toBeGreaterThan(0);
    // Two windows later nothing is left.
    expect(window.hit('a', 180_000)).toBe(0);
  });

  it('keeps at most its number of keys', () => {
    const window = new RateWindow(1, 1_000, 3);
    for (const key of ['a', 'b', 'c', 'd', 'e']) window.hit(key, 0);
    expect(window.size).toBe(3);
    expect(window.hit('e', 10)).toBeGreaterThan(0);
  });
});
