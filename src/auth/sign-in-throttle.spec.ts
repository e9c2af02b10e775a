import { FailureWindow } from './sign-in-throttle.js';

describe('FailureWindow', () => {
  it('blocks the sixth try within a minute of the first failure, and lets it through when that failure leaves the window', () => {
    const window = new FailureWindow(5, 60_000);
    for (let i = 0; i < 5; i++) {
      expect(window.blockedFor('a', 1_000 * i)).toBe(0);
      window.record('a', 1_000 * i);
    }
    expect(window.blockedFor('a', 10_000)).toBe(50_000);
    expect(window.blockedFor('b', 10_000)).toBe(0);
    expect(window.blockedFor('a', 59_999)).toBe(1);
    expect(window.blockedFor('a', 60_000)).toBe(0);
    window.record('a', 60_000);
    expect(window.blockedFor('a', 60_001)).toBe(1_000 - 1);
  });

  it('forgets failures past the window and keeps at most its number of keys', () => {
    const window = new FailureWindow(2, 1_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) window.record(key, 0);
    expect(window.size).toBe(3);
    window.record('e', 2_000);
    expect(window.size).toBe(1);
    expect(window.blockedFor('e', 2_500)).toBe(0);
  });
});
