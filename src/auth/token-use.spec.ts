import { TokenUseMemo } from './token-use.js';

describe('TokenUseMemo', () => {
  it('says a token’s use is due once a minute, each token on its own', () => {
    const memo = new TokenUseMemo(60_000);
    expect(memo.due('a', 0)).toBe(true);
    expect(memo.due('a', 59_999)).toBe(false);
    expect(memo.due('b', 30_000)).toBe(true);
    expect(memo.due('a', 60_000)).toBe(true);
    expect(memo.due('a', 60_001)).toBe(false);
  });

  it('forgets the token written longest ago past its size, so that one is due again', () => {
    const memo = new TokenUseMemo(60_000, 2);
    memo.due('a', 0);
    memo.due('b', 1);
    memo.due('c', 2);
    expect(memo.due('b', 3)).toBe(false);
    expect(memo.due('a', 3)).toBe(true);
  });
});
