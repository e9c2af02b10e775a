import { writeFileSync } from 'node:fs';
import { createDeflateRaw, crc32 } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** The entry's bytes, chunk by chunk (never all in memory). */
  chunks: Iterable<Buffer>;
  /** Sizes the zip declares instead of the true ones (a zip that lies about its sizes). */
  declare?: { uncompressedSize: number };
}

interface Packed {
  name: Buffer;
  data: Buffer;
  crc: number;
  size: number;
}

async function pack(entry: ZipEntry): Promise<Packed> {
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => parts.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  let size = 0;
  for (const chunk of entry.chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return {
    name: Buffer.from(entry.name),
    data: Buffer.concat(parts),
    crc,
    size: entry.declare?.uncompressedSize ?? size,
  };
}

/**
 * Writes a deflated zip (no zip64: entries under 4 GB) from entries streamed through zlib, so that a
 * test can make a zip of a GB of zeros in a few MB of memory — and one that lies about its sizes.
 */
export async function writeZip(path: string, entries: ZipEntry[]): Promise<void> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const packed = await pack(entry);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(packed.crc, 14);
    local.writeUInt32LE(packed.data.length, 18);
    local.writeUInt32LE(packed.size, 22);
    local.writeUInt16LE(packed.name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(packed.crc, 16);
    central.writeUInt32LE(packed.data.length, 20);
    central.writeUInt32LE(packed.size, 24);
    central.writeUInt16LE(packed.name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, packed.name, packed.data);
    centrals.push(central, packed.name);
    offset += local.length + packed.name.length + packed.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, directory, end]));
}

/** `count` chunks of 1 MB of zeros. */
export function* zeros(count: number): Iterable<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < count; i++) yield chunk;
}
