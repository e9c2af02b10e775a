/**
 * Codes that must never reach a person where the label catalogue has words for them (issue 15): grades,
 * sexes, reasons, bands, statuses, programme groups, funnel flags, booleans. Checked against page text,
 * PDF text (pdftotext) and the results CSV's header.
 */
export const FORBIDDEN_CODES = [
  ...['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'J1', 'J2', 'J3'],
  ...['male', 'female', 'unspecified'],
  ...['illness', 'economic', 'non_attendance', 'covid_avoidance'],
  ...['absent_90_plus', 'attended_10_or_less', 'attended_0', 'special_needs', 'ordinary'],
  ...['not_opened', 'in_progress', 'submitted', 'returned', 'overdue', 'prefilled', 'manual'],
  ...['adopted_2023', 'adopted_2024', 'adopted_2025', 'never', 'not_yet'],
  ...['high_95', 'high_998', 'low_95', 'low_998', 'within'],
  ...['japanese', 'math', 'english'],
  ...['true', 'false'],
];

/** The forbidden codes found in a text, as whole words (P1 in "P10" or "app1" is not one). */
export function codesIn(text: string): string[] {
  return FORBIDDEN_CODES.filter((code) => new RegExp(`(^|[^A-Za-z0-9_.])${code}([^A-Za-z0-9_]|$)`).test(text));
}
