import { open } from 'node:fs/promises';
import { hasControlCharacter, replaceControlCharacters } from './control-characters.js';
import type { FeedKind } from './ingest.types.js';
import { say, type Said } from './problems/problem-catalogue.js';

/**
 * The longest header line read. A header is a few hundred bytes in every format the ingest reads;
 * anything past this is refused, never truncated (a truncated header reads as other columns).
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/**
 * The most columns a header may have, per feed: the format's columns and room for the extra columns a
 * school's system adds (ignored with a warning). Every column is a column of the CSV reader, whose
 * memory grows with their number: a header of thousands of columns is refused before anything reads
 * the rows.
 */
export const MAX_HEADER_COLUMNS: Record<FeedKind, number> = {
  oneroster: 200,
  programmes: 50,
  calendar: 50,
  attendance: 50,
  assessments: 50,
  guidance: 50,
  xapi: 0,
};

export interface CsvHeader {
  columns: string[];
  /** Set when the first line is longer than MAX_HEADER_BYTES: `columns` is then empty. */
  tooLong: boolean;
}

/**
 * The first line of a CSV file, without a UTF-8 BOM, split on commas (headers hold no quoted commas in
 * these formats). Reads at most MAX_HEADER_BYTES (and one byte more, to tell a header of exactly that
 * length from a longer one).
 */
export async function readCsvHeaderLine(path: string): Promise<CsvHeader> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_HEADER_BYTES + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    // A line ends at LF, CRLF or a lone CR (as the reader of readline saw it before).
    const lf = head.indexOf(0x0a);
    const cr = head.indexOf(0x0d);
    let end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (end < 0) {
      if (bytesRead > MAX_HEADER_BYTES) return { columns: [], tooLong: true };
      end = bytesRead;
    }
    if (end > MAX_HEADER_BYTES) return { columns: [], tooLong: true };
    const line = head
      .subarray(0, end)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    if (line === '') return { columns: [], tooLong: false };
    return { columns: line.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1')), tooLong: false };
  } finally {
    await file.close();
  }
}

/** The header's columns (see readCsvHeaderLine); empty for a header that is too long. */
export async function readCsvHeader(path: string): Promise<string[]> {
  return (await readCsvHeaderLine(path)).columns;
}

/** What is wrong with a header as a whole, before any row is read: null when nothing is. */
export interface HeaderDefect {
  /** The column at fault, when one is. */
  column: string | null;
  said: Said;
}

/**
 * The defects that make a header unreadable (the CSV reader and the SQL over its columns would fail or
 * run away): too long, too many columns for the feed, a column without a name or with a control
 * character (NUL, a tab) in its name, or two columns whose names differ only in letter case (SQL
 * names are case-insensitive). The first defect found, or null.
 */
export function headerDefect(header: CsvHeader, kind: FeedKind): HeaderDefect | null {
  if (header.tooLong)
    return {
      column: null,
      said: say('header.too_long', { kb: MAX_HEADER_BYTES / 1024, feed: kind }),
    };
  const { columns } = header;
  const limit = MAX_HEADER_COLUMNS[kind];
  if (columns.length > limit)
    return {
      column: null,
      said: say('header.too_many_columns', { count: columns.length, feed: kind, limit }),
    };
  const seen = new Map<string, string>();
  for (const [i, column] of columns.entries()) {
    if (column === '') return { column: null, said: say('header.unnamed_column', { position: i + 1 }) };
    if (hasControlCharacter(column))
      return {
        column: replaceControlCharacters(column, '?'),
        said: say('header.control_character', { position: i + 1 }),
      };
    const folded = column.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined && earlier !== column)
      return { column, said: say('header.case_twice', { column, earlier }) };
    seen.set(folded, column);
  }
  return null;
}
