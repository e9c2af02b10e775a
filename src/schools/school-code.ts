/**
 * MEXT school code (学校コード, がっこうこーど): 13 characters that identify every school in Japan.
 *
 *   B1 08 2 5420002 6
 *   │  │  │ │       └ check digit
 *   │  │  │ └ school number (7 digits)
 *   │  │  └ founder type (設置区分: 1 national, 2 public/municipal, 3 private)
 *   │  └ prefecture (01–47, JIS X 0401)
 *   └ school type (a letter A–H and a digit: B1 elementary, C1 junior high ...)
 *
 * Check digit: replace the leading letter A–H by 01–08 (giving 13 digits), weight the digits
 * 1,2,1,2,... from the left, add the digit sums of the products, digit = (10 − sum mod 10) mod 10.
 * The ingest reuses these functions, so they accept untrusted input and never throw on it.
 */

export interface SchoolCodeParts {
  /** Two characters, e.g. `B1` (elementary) or `C1` (junior high). */
  type: string;
  /** Two digits, `01`–`47`. */
  prefecture: string;
  /** 1 national, 2 public (municipal or prefectural), 3 private. */
  founder: 1 | 2 | 3;
  /** The 7-digit school number, 0–9,999,999. */
  number: number;
}

const SHAPE = /^[A-H][0-9]{12}$/;

/** The 13 digits the check digit is computed from: the letter as 01–08, then the next 11 characters. */
function digitsBeforeCheck(first12: string): number[] {
  const digits = [0, first12.charCodeAt(0) - 64];
  for (let i = 1; i < 12; i++) digits.push(first12.charCodeAt(i) - 48);
  return digits;
}

/**
 * Check digit of the first 12 characters of a school code (letter + 11 digits).
 * Throws on a malformed prefix: this is for building codes, use `isValidSchoolCode` to test input.
 */
export function schoolCodeCheckDigit(first12: string): number {
  if (!/^[A-H][0-9]{11}$/.test(first12)) {
    throw new Error(`school code prefix must be a letter A–H and 11 digits, got "${first12}"`);
  }
  let sum = 0;
  digitsBeforeCheck(first12).forEach((digit, i) => {
    const product = digit * (i % 2 === 0 ? 1 : 2);
    sum += product >= 10 ? product - 9 : product; // digit sum of a product of at most 18
  });
  return (10 - (sum % 10)) % 10;
}

/** True when `code` is a well-formed 13-character MEXT school code with a correct check digit. */
export function isValidSchoolCode(code: unknown): boolean {
  if (typeof code !== 'string' || !SHAPE.test(code)) return false;
  const prefecture = Number(code.slice(2, 4));
  const founder = Number(code[4]);
  if (prefecture < 1 || prefecture > 47 || founder < 1 || founder > 3) return false;
  return schoolCodeCheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/** Splits a valid code into its parts; undefined when the code is not valid. */
export function parseSchoolCode(code: string): SchoolCodeParts | undefined {
  if (!isValidSchoolCode(code)) return undefined;
  return {
    type: code.slice(0, 2),
    prefecture: code.slice(2, 4),
    founder: Number(code[4]) as 1 | 2 | 3,
    number: Number(code.slice(5, 12)),
  };
}

/** Builds a school code with its check digit. Throws on parts that cannot form a valid code. */
export function makeSchoolCode(parts: SchoolCodeParts): string {
  const { type, prefecture, founder, number } = parts;
  if (!/^[A-H][0-9]$/.test(type)) throw new Error(`school type must be a letter A–H and a digit, got "${type}"`);
  if (!/^[0-9]{2}$/.test(prefecture) || Number(prefecture) < 1 || Number(prefecture) > 47) {
    throw new Error(`prefecture must be two digits 01–47, got "${prefecture}"`);
  }
  if (![1, 2, 3].includes(founder)) throw new Error(`founder must be 1, 2 or 3, got ${founder}`);
  if (!Number.isInteger(number) || number < 0 || number > 9_999_999) {
    throw new Error(`school number must be an integer 0–9999999, got ${number}`);
  }
  const first12 = `${type}${prefecture}${founder}${String(number).padStart(7, '0')}`;
  return `${first12}${schoolCodeCheckDigit(first12)}`;
}
