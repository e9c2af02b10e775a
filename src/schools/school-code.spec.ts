import { isValidSchoolCode, makeSchoolCode, parseSchoolCode, schoolCodeCheckDigit } from './school-code.js';

/*
 * A real published code, checked by hand: B108254200026 is 五霞町立五霞西小学校 (Goka-Nishi Elementary,
 * Goka, Ibaraki) in MLIT's National Land Numerical Information school-district data (A27, 2021).
 *   B → 02, so the 13 digits are 0 2 1 0 8 2 5 4 2 0 0 0 2
 *   weights                        1 2 1 2 1 2 1 2 1 2 1 2 1
 *   products                       0 4 1 0 8 4 5 8 2 0 0 0 2   (no product ≥ 10, digit sums = products)
 *   sum = 34, (10 − 34 mod 10) mod 10 = 6 → the 13th character is 6. ✓
 */
const GOKA_NISHI = 'B108254200026';

describe('schoolCodeCheckDigit', () => {
  it('reproduces the check digit of a real published code', () => {
    expect(schoolCodeCheckDigit(GOKA_NISHI.slice(0, 12))).toBe(6);
  });

  it('adds the digit sums of products of 10 or more (8 × 2 = 16 counts as 1 + 6 = 7)', () => {
    // B18000000000: digits 0 2 1 8 0 0 0 0 0 0 0 0 0 → 0 + 4 + 1 + 7 = 12 → check 8 (adding 16 would give 9)
    expect(schoolCodeCheckDigit('B18000000000')).toBe(8);
    // A14739900000: digits 0 1 1 4 7 3 9 9 0 ... → 0 + 2 + 1 + 8 + 7 + 6 + 9 + (18 → 9) = 42 → check 8
    expect(schoolCodeCheckDigit('A14739900000')).toBe(8);
  });

  it('rejects a malformed prefix', () => {
    expect(() => schoolCodeCheckDigit('X10825420002')).toThrow(/letter A–H/);
    expect(() => schoolCodeCheckDigit('B1082542000')).toThrow(/11 digits/);
  });
});

describe('isValidSchoolCode', () => {
  it('accepts the real code', () => {
    expect(isValidSchoolCode(GOKA_NISHI)).toBe(true);
  });

  it('detects every single-character substitution of a digit', () => {
    for (let i = 1; i < 13; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === GOKA_NISHI[i]) continue;
        const altered = `${GOKA_NISHI.slice(0, i)}${d}${GOKA_NISHI.slice(i + 1)}`;
        expect(isValidSchoolCode(altered)).toBe(false);
      }
    }
  });

  it.each([
    ['lower-case letter', 'b108254200026'],
    ['too short', 'B10825420002'],
    ['too long', 'B1082542000260'],
    ['letter after H', 'J108254200026'],
    ['prefecture 00', 'B100254200026'],
    ['prefecture 48', 'B148254200026'],
    ['founder 4', 'B108454200026'],
    ['not a string', 108254200026],
  ])('rejects %s', (_label, code) => {
    expect(isValidSchoolCode(code)).toBe(false);
  });
});

describe('makeSchoolCode / parseSchoolCode', () => {
  it('builds the real code from its parts and parses it back', () => {
    const parts = { type: 'B1', prefecture: '08', founder: 2 as const, number: 5420002 };
    expect(makeSchoolCode(parts)).toBe(GOKA_NISHI);
    expect(parseSchoolCode(GOKA_NISHI)).toEqual(parts);
  });

  it('builds valid codes for many numbers', () => {
    for (let n = 0; n < 2000; n += 7) {
      expect(isValidSchoolCode(makeSchoolCode({ type: 'C1', prefecture: '20', founder: 2, number: 9000000 + n }))).toBe(
        true,
      );
    }
  });

  it('returns undefined when parsing an invalid code', () => {
    expect(parseSchoolCode('B108254200027')).toBeUndefined();
  });

  it('refuses parts that cannot make a code', () => {
    expect(() => makeSchoolCode({ type: 'Z1', prefecture: '08', founder: 2, number: 1 })).toThrow(/school type/);
    expect(() => makeSchoolCode({ type: 'B1', prefecture: '99', founder: 2, number: 1 })).toThrow(/prefecture/);
    expect(() => makeSchoolCode({ type: 'B1', prefecture: '08', founder: 2, number: 12_345_678 })).toThrow(
      /school number/,
    );
  });
});
