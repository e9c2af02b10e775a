/**
 * The encodings a CSV may come in: UTF-8 (with or without a BOM), and Shift_JIS as Windows writes it
 * (CP932: what Excel saves by default on Japanese Windows). A file that is not UTF-8 is Shift_JIS only
 * if every byte sequence of it is one (a lead byte 0x81–0x9F or 0xE0–0xFC followed by a trail byte
 * 0x40–0x7E or 0x80–0xFC; single bytes ASCII or half-width katakana 0xA1–0xDF) and every character it
 * encodes exists in CP932; otherwise (Latin-1, UTF-16, a broken file) it is refused with a message
 * that says how to save it as UTF-8. A Shift_JIS file is decoded, as it streams, into a UTF-8 copy in
 * the batch's temporary folder: DuckDB only ever reads UTF-8 (see source-file.ts for why).
 */
import { createReadStream, createWriteStream, mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { findInvalidUtf8, type EncodingDefect } from './source-file.js';

/** What a file says it is, or what a user declares it to be (`--encoding`, the upload's `encoding` field). */
export const ENCODINGS = ['auto', 'utf-8', 'shift_jis'] as const;
export type DeclaredEncoding = (typeof ENCODINGS)[number];

export type FileEncoding =
  | { encoding: 'utf-8' }
  | { encoding: 'shift_jis' }
  /** Neither: where it stops being UTF-8 (and, when declared Shift_JIS, where it stops being that). */
  | { encoding: null; defect: EncodingDefect; declared: DeclaredEncoding };

const isLead = (b: number) => (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
const isTrail = (b: number) => (b >= 0x40 && b <= 0x7e) || (b >= 0x80 && b <= 0xfc);
const isSingle = (b: number) => b <= 0x7f || (b >= 0xa1 && b <= 0xdf);

/** Which lead–trail pairs CP932 assigns a character to, indexed `lead << 8 | trail` (built once, ~11,000 pairs). */
let assignedPairs: Uint8Array | null = null;
function assigned(lead: number, trail: number): boolean {
  if (!assignedPairs) {
    assignedPairs = new Uint8Array(65536);
    for (let l = 0x81; l <= 0xfc; l++) {
      if (!isLead(l)) continue;
      for (let t = 0x40; t <= 0xfc; t++)
        if (isTrail(t)) {
          // One character, not U+FFFD (an unassigned lead decodes to U+FFFD and the trail as its own character).
          const text = iconv.decode(Buffer.from([l, t]), 'cp932');
          if (text.length === 1 && text !== '\uFFFD') assignedPairs[(l << 8) | t] = 1;
        }
    }
  }
  return assignedPairs[(lead << 8) | trail] === 1;
}

/**
 * The first byte where a file stops being CP932, or null when it is CP932 throughout: its byte
 * sequences, and each double-byte character one CP932 assigns (iconv-lite's table: an unassigned one
 * decodes to U+FFFD, which a real Excel file never holds). `doubleByte` counts its kanji and kana.
 */
export async function findInvalidShiftJis(
  path: string,
): Promise<{ defect: EncodingDefect | null; doubleByte: number }> {
  let doubleByte = 0;
  const defect = await (async (): Promise<EncodingDefect | null> => {
    const file = await open(path, 'r');
    const buffer = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    let character = 1;
    let field = 0;
    let quoted = false;
    let lead = -1;
    try {
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        for (let i = 0; i < bytesRead; i++) {
          const b = buffer[i];
          if (lead >= 0) {
            if (!assigned(lead, b)) return { byte: lead, line, character: character - 1, field };
            lead = -1;
            doubleByte++;
            continue;
          }
          if (isLead(b)) {
            lead = b;
            character++;
            continue;
          }
          if (!isSingle(b)) return { byte: b, line, character, field };
          if (b === 0x22) quoted = !quoted;
          else if (b === 0x2c && !quoted) field++;
          else if (b === 0x0a && !quoted) {
            line++;
            character = 0;
            field = 0;
          }
          character++;
        }
      }
      return lead >= 0 ? { byte: lead, line, character: character - 1, field } : null;
    } finally {
      await file.close();
    }
  })();
  return { defect, doubleByte };
}

/**
 * How many valid multi-byte UTF-8 characters before a file's first bad byte make it a broken UTF-8 file
 * rather than a Shift_JIS one. Shift_JIS text reads as such a character only by chance (a lead byte
 * 0xE0–0xEF followed by two bytes in 0x80–0xBF), and rarely twice before a byte no UTF-8 has.
 */
const UTF8_CHARACTERS_SEEN = 3;

/**
 * Which encoding a file is in: UTF-8 first (the web's and DuckDB's), then Shift_JIS (Excel's on Japanese
 * Windows). Told nothing, a file is taken for Shift_JIS only when it holds at least one double-byte
 * character (a kanji, a kana): a file of ASCII with a stray high byte is far more often a broken file
 * than one of half-width katakana alone; nor when it held UTF-8 kanji or kana before its bad byte;
 * `--encoding shift_jis` reads such a file.
 */
export async function encodingOf(path: string, declared: DeclaredEncoding = 'auto'): Promise<FileEncoding> {
  if (declared !== 'shift_jis') {
    const utf8 = await findInvalidUtf8(path);
    if (!utf8) return { encoding: 'utf-8' };
    if (declared === 'utf-8') return { encoding: null, defect: utf8, declared };
    // A file that already held kanji or kana in UTF-8 before its bad byte is UTF-8 with a broken byte: read
    // as Shift_JIS, every character of it would be garbled without a word (bench/fuzz found one).
    if ((utf8.multiByteBefore ?? 0) >= UTF8_CHARACTERS_SEEN) return { encoding: null, defect: utf8, declared };
    const sjis = await findInvalidShiftJis(path);
    return sjis.defect || sjis.doubleByte === 0
      ? { encoding: null, defect: utf8, declared }
      : { encoding: 'shift_jis' };
  }
  const sjis = await findInvalidShiftJis(path);
  return sjis.defect ? { encoding: null, defect: sjis.defect, declared } : { encoding: 'shift_jis' };
}

/**
 * Decodes a Shift_JIS (CP932) file, as it streams, into a UTF-8 copy under `into` with the same file
 * name (a OneRoster package knows its files by name); returns the copy's path.
 */
export async function utf8CopyOf(path: string, into: string): Promise<string> {
  const copy = join(mkdtempSync(join(into, 'utf8-')), basename(path));
  await pipeline(
    createReadStream(path),
    iconv.decodeStream('cp932'),
    iconv.encodeStream('utf8'),
    createWriteStream(copy),
  );
  return copy;
}
