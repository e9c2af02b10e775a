import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { csvField } from '../common/csv.js';

/** Bytes gathered before a chunk goes to the stream: big enough to amortise, small enough to stay frugal. */
const CHUNK_BYTES = 1 << 18;

export interface WrittenFile {
  /** Absolute path. */
  path: string;
  /** Data lines written (a CSV header is not counted). */
  rows: number;
  bytes: number;
}

/**
 * Line-oriented file writer for millions of rows: lines are encoded straight into a reusable
 * buffer and handed to the stream in 256 KiB chunks, so no giant string or array of rows is built.
 * `line()` is synchronous for speed and returns true when the stream is over its high-water mark;
 * the caller then awaits `drain()` (backpressure) before writing more:
 *
 *   if (out.line(row)) await out.drain();
 */
export class BufferedFileWriter {
  rows = 0;
  bytes = 0;
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private blocked = false;
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  /** Creates (or truncates) the file, making its folder if needed. */
  static async open(path: string): Promise<BufferedFileWriter> {
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(path, { highWaterMark: 4 * CHUNK_BYTES });
    await once(stream, 'open');
    return new BufferedFileWriter(path, stream);
  }

  /** A line that is not a data row (a CSV header). */
  header(text: string): boolean {
    this.append(text);
    return this.blocked;
  }

  /** One data row; the newline is added. Returns true when the caller should await `drain()`. */
  line(text: string): boolean {
    this.append(text);
    this.rows++;
    return this.blocked;
  }

  /** Waits until the stream has room again (resolves at once when it has). */
  async drain(): Promise<void> {
    this.throwIfFailed();
    if (this.blocked) {
      await once(this.stream, 'drain');
      this.blocked = false;
    }
    this.throwIfFailed();
  }

  /** Flushes, closes and reports what was written. */
  async close(): Promise<WrittenFile> {
    this.flushChunk();
    this.stream.end();
    await once(this.stream, 'finish');
    this.throwIfFailed();
    return { path: this.path, rows: this.rows, bytes: this.bytes };
  }

  private append(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit, plus the newline.
    if (this.used + text.length * 3 + 1 > CHUNK_BYTES) {
      this.flushChunk();
      if (text.length * 3 + 1 > CHUNK_BYTES) {
        this.push(Buffer.from(`${text}\n`, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used++] = 10;
  }

  private flushChunk(): void {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES); // the stream keeps `chunk` until written
    this.used = 0;
    this.push(chunk);
  }

  private push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) this.blocked = true;
  }

  private throwIfFailed(): void {
    if (this.failure) throw new Error(`writing ${this.path} failed: ${this.failure.message}`);
  }
}

/** One CSV line from cells: the demo's files are ingest inputs, read back exactly as written (src/common/csv.ts). */
export function csvLine(cells: readonly (string | number | boolean | undefined | null)[]): string {
  return cells.map(csvField).join(',');
}
