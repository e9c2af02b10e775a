import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { ProblemParams } from './ingest.types.js';
import { say, type ProblemCode, type Said } from './problems/problem-catalogue.js';

/**
 * What a zip may hold. A OneRoster package is a dozen CSV files; a prefecture's is a few GB. A zip past
 * these is refused before (count, declared sizes, ratio) or while (actual bytes) it is unpacked, with
 * at most one entry's buffer in memory at a time: a zip bomb costs a few milliseconds.
 */
export interface ZipLimits {
  entries: number;
  /** Bytes of all CSV entries unpacked. */
  totalBytes: number;
  /** Unpacked to packed bytes, for an entry larger than 1 MB (a real CSV packs 5 to 20 times). */
  ratio: number;
}

export const ZIP_LIMITS: ZipLimits = { entries: 1000, totalBytes: 4 * 1024 ** 3, ratio: 200 };

const RATIO_FROM_BYTES = 1024 * 1024;

/** A zip the ingest will not unpack; `said` is what its problem reports (never a file's content). */
export class ZipRefused extends Error {
  constructor(readonly said: Said) {
    super(said.rule);
  }
}

const refuse = (code: ProblemCode, params?: ProblemParams): never => {
  throw new ZipRefused(say(code, params));
};

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 2 : 0)} GB`;

/**
 * Unpacks the CSV entries of a zip into `into` (a folder of its own), streaming each to disk. Refuses
 * (ZipRefused) a file that is not a readable zip, an entry whose name leaves the folder, more entries
 * than the limit, entries whose sizes pass the limits (as declared, and as actually unpacked: a size
 * the zip lies about stops the entry), and an entry named twice. Other entries are not unpacked.
 */
export async function extractZipPackage(zipPath: string, into: string, limits: ZipLimits = ZIP_LIMITS): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    return refuse('zip.unreadable', { detail: (error as Error).message });
  }
  try {
    if (zip.entryCount > limits.entries)
      refuse('zip.too_many_entries', { count: zip.entryCount, limit: limits.entries });
    let total = 0;
    const entries = zip.eachEntry();
    for (;;) {
      let next: IteratorResult<yauzl.Entry>;
      try {
        next = await entries.next();
      } catch (error) {
        // yauzl checks each name (no absolute path, no `..`) and the central directory's structure.
        return refuse('zip.cannot_read', { detail: (error as Error).message });
      }
      if (next.done) break;
      const entry = next.value;
      const target = normalize(join(into, entry.fileName));
      if (!target.startsWith(into + sep)) refuse('zip.outside', { entry: entry.fileName });
      if (entry.fileName.endsWith('/') || !entry.fileName.toLowerCase().endsWith('.csv')) continue;
      total += entry.uncompressedSize;
      if (total > limits.totalBytes) refuse('zip.too_large', { size: gib(limits.totalBytes) });
      if (
        entry.uncompressedSize > RATIO_FROM_BYTES &&
        entry.uncompressedSize > limits.ratio * Math.max(entry.compressedSize, 1)
      )
        refuse('zip.ratio', {
          entry: entry.fileName,
          ratio: Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1)),
          limit: limits.ratio,
        });
      await unpackEntry(zip, entry, target);
    }
  } finally {
    zip.close();
  }
}

async function unpackEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, target: string): Promise<void> {
  try {
    mkdirSync(dirname(target), { recursive: true });
    // yauzl stops the stream when the bytes pass the declared size; this count is a second guard.
    let written = 0;
    const guard = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        if (written > entry.uncompressedSize)
          done(new ZipRefused(say('zip.larger_than_declared', { entry: entry.fileName })));
        else done(null, chunk);
      },
    });
    await pipeline(await zip.openReadStreamPromise(entry), guard, createWriteStream(target, { flags: 'wx' }));
  } catch (error) {
    if (error instanceof ZipRefused) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') refuse('zip.twice', { entry: entry.fileName });
    if (code === 'ENOTDIR' || code === 'EISDIR') refuse('zip.file_and_folder', { entry: entry.fileName });
    if (code === 'ENOSPC' || code === 'EACCES' || code === 'EMFILE') throw error;
    refuse('zip.cannot_unpack', { entry: entry.fileName, detail: (error as Error).message });
  }
}
