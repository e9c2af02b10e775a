import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
/**
 * The header contract of a catalogue's SQL file (queries/metrics, queries/indicators): `-- key: value` lines up
 * to the first line that is not one, then the query. A key given twice is refused through `refuse`, which
 * throws the catalogue's own error naming the file.
 */
export function readSqlHeader(
  text: string,
  refuse: (message: string) => never,
): { header: Map<string, string>; sql: string } {
  const header = new Map<string, string>();
  const lines = text.split('\n');
  let first = 0;
  for (; first < lines.length; first++) {
    const match = /^--\s*([a-z.]+):\s*(.*)$/.exec(lines[first]);
    if (!match) break;
    if (header.has(match[1])) refuse(`header key ${match[1]} appears twice`);
    header.set(match[1], match[2].trim());
  }
  return { header, sql: lines.slice(first).join('\n').trim() };
}

/** A header value that is a comma-separated list. */
export const headerList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Every `.sql` file of a catalogue's folder, parsed in name order; an empty folder stops the start. */
export function loadSqlCatalogue<T>(dir: string, what: string, parse: (file: string, text: string) => T): T[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const parsed = files.map((file) => parse(file, readFileSync(join(dir, file), 'utf8')));
  if (parsed.length === 0) throw new Error(`no ${what} files in ${dir}`);
  return parsed;
}
