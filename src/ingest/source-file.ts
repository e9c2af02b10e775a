import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Where a file stops being UTF-8: its first byte that is not part of a valid UTF-8 character. */
export interface EncodingDefect {
  /** Line in the file (1 = the first). */
  line: number;
  /** Character in the line (1 = the first) where the broken character starts. */
  character: number;
  /** For a CSV: the field of the line (0 = the first) it falls in, counted outside quotes. */
  field: number;
  /** The byte's value (a byte value says nothing of the person whose ID it may be part of). */
  byte: number;
  /** Complete multi-byte UTF-8 characters (kanji, kana ...) before it: a file of them is UTF-8, broken. */
  multiByteBefore?: number;
}

const CHUNK = 8 << 20;

/** How many bytes at the end of `chunk` start a character that the next chunk completes (0 to 3). */
function incompleteTail(chunk: Buffer): number {
  const length = chunk.length;
  for (let back = 1; back <= Math.min(3, length); back++) {
    const byte = chunk[length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needs > back ? back : 0;
  }
  return 0;
}

/**
 * Whether a file is UTF-8 throughout, read in 8 MB chunks (one buffer, read into again and again) and
 * checked by Node's own validator (simdutf: ~3 GB/s here). A character cut by a chunk's end is carried
 * to the next chunk. Only when a chunk is not UTF-8 is the file read again, byte by byte up to that
 * chunk, to say where (locateInvalidUtf8): the rare case pays, not every file.
 *
 * DuckDB must not read a file that is not UTF-8: one bad byte in a column it groups takes the whole
 * database instance down (see shared STACK-NOTES), so every uploaded text file passes here first.
 */
export async function findInvalidUtf8(path: string): Promise<EncodingDefect | null> {
  const buffer = Buffer.allocUnsafe(CHUNK + 4);
  const file = await open(path, 'r');
  let carried = 0;
  let position = 0;
  let invalidBefore: number | null = null;
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, carried, CHUNK, null);
      const filled = carried + bytesRead;
      const chunk = buffer.subarray(0, filled);
      const tail = bytesRead === 0 ? 0 : incompleteTail(chunk);
      if (!isUtf8(chunk.subarray(0, filled - tail))) {
        invalidBefore = position + filled;
        break;
      }
      if (bytesRead === 0) break;
      buffer.copy(buffer, 0, filled - tail, filled);
      position += filled - tail;
      carried = tail;
    }
  } finally {
    await file.close();
  }
  return invalidBefore === null ? null : locateInvalidUtf8(path, invalidBefore);
}

/** The file's SHA-256, read as findInvalidUtf8 reads it. */
export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  // One 8 MB buffer read into again and again: a stream allocates a new chunk for every read, and
  // hashing a 1.4 GB file then waits on the garbage collector as much as on the hash.
  const buffer = Buffer.allocUnsafe(CHUNK);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/**
 * The first invalid UTF-8 sequence (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF)
 * in the first `end` bytes of a file, with its line, character and CSV field; null if there is none.
 */
async function locateInvalidUtf8(path: string, end: number): Promise<EncodingDefect | null> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  const file = await open(path, 'r');
  let line = 1;
  let character = 1;
  let field = 0;
  let quoted = false;
  // The character being read: bytes still to come, and the range the next one must fall in.
  let pending = 0;
  let low = 0x80;
  let high = 0xbf;
  // Where the character being read started, and its first byte.
  let startLine = line;
  let startCharacter = character;
  let startField = field;
  let lead = 0;
  let multiByte = 0;
  const defect = (byte: number): EncodingDefect => ({
    line: startLine,
    character: startCharacter,
    field: startField,
    byte,
    multiByteBefore: multiByte,
  });
  try {
    let offset = 0;
    while (offset < end) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, end - offset), offset);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const byte = buffer[i];
        if (pending > 0) {
          if (byte < low || byte > high) return defect(lead);
          pending--;
          if (pending === 0) multiByte++;
          low = 0x80;
          high = 0xbf;
          continue;
        }
        startLine = line;
        startCharacter = character;
        startField = field;
        lead = byte;
        if (byte < 0x80) {
          if (byte === 0x0a) {
            line++;
            character = 1;
            if (!quoted) field = 0;
            continue;
          }
          if (byte === 0x22) quoted = !quoted;
          else if (byte === 0x2c && !quoted) field++;
        } else if (byte >= 0xc2 && byte <= 0xdf) pending = 1;
        else if (byte >= 0xe0 && byte <= 0xef) {
          pending = 2;
          if (byte === 0xe0) low = 0xa0;
          if (byte === 0xed) high = 0x9f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          pending = 3;
          if (byte === 0xf0) low = 0x90;
          if (byte === 0xf4) high = 0x8f;
        } else return defect(byte);
        character++;
      }
      offset += bytesRead;
    }
  } finally {
    await file.close();
  }
  // A character the file's end cuts short.
  return pending > 0 ? defect(lead) : null;
}
