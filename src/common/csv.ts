/**
 * Every CSV cell Shirube writes goes through here: the files people open in a spreadsheet (survey
 * results, cohort tables) through `csvCell`/`csvFile`, the files machines read back (the demo's ingest
 * inputs) through `csvField`.
 */
export type CsvValue = string | number | bigint | boolean | null | undefined;

/** RFC 4180: quoted only when the text holds a comma, a quote or a line break. */
function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What Excel and LibreOffice take for the start of a formula (or, tab and CR, slip past a check for one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell of a CSV for people. Text beginning with =, +, -, @, a tab or a CR would run as a formula
 * when the file is opened (CSV injection: `=cmd|' /C calc'!A0`), so it gets a leading apostrophe and
 * shows as typed. Numbers are written as numbers: -3 stays the number -3.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return quoted(FORMULA_START.test(value) ? `'${value}` : value);
}

/** A CSV file for people: UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF line ends, a header row first. */
export function csvFile(rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One field of a CSV that a machine reads back (an ingest input): RFC 4180 quoting only, the text exactly as given. */
export function csvField(value: CsvValue): string {
  return value === null || value === undefined ? '' : quoted(String(value));
}
