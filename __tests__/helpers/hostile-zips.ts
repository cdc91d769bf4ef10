/**
 * Zip archives as an attacker would write them, byte by byte: each entry's local and central
 * records can lie about sizes, names, methods, flags and offsets. `craftZip` with no overrides
 * writes a valid archive (stored or deflated entries, optionally with data descriptors the way
 * archiver streams them), so each hostile case differs from a valid one in one thing.
 */
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';

export interface CraftedEntry {
  /** The name as written in both records (a Buffer for bytes that are not UTF-8). */
  name: string | Buffer;
  /** Uncompressed content (default empty). */
  data?: Buffer;
  deflate?: boolean;
  /** A compressed stream used as is instead of deflating `data` (a bomb). */
  compressed?: Buffer;
  /** Uncompressed size written in the records (default: data's length). */
  declaredBytes?: number;
  /** Compressed size written in the records (default: the stream's length). */
  declaredCompressedBytes?: number;
  crc?: number;
  /** General-purpose flags beyond UTF-8 names (bit 0 encrypted, bit 3 data descriptor). */
  flags?: number;
  /** Method written in the records (default 0 or 8 by `deflate`). */
  method?: number;
  /** Unix mode in the external attributes (made by Unix when set). */
  unixMode?: number;
}

export function craftZip(entries: CraftedEntry[], options: { zip64Locator?: boolean; declaredCount?: number } = {}): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.isBuffer(entry.name) ? entry.name : Buffer.from(entry.name, 'utf8');
    const data = entry.data ?? Buffer.alloc(0);
    const stream = entry.compressed ?? (entry.deflate ? deflateRawSync(data) : data);
    const method = entry.method ?? (entry.deflate || entry.compressed ? 8 : 0);
    const flags = 0x800 | (entry.flags ?? 0);
    const crc = entry.crc ?? crc32(data);
    const bytes = entry.declaredBytes ?? data.length;
    const compressedBytes = entry.declaredCompressedBytes ?? stream.length;
    const descriptor = (flags & 0x8) !== 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    // With a data descriptor the sizes and CRC follow the data (archiver's streaming layout).
    local.writeUInt32LE(descriptor ? 0 : crc, 14);
    local.writeUInt32LE(descriptor ? 0 : compressedBytes, 18);
    local.writeUInt32LE(descriptor ? 0 : bytes, 22);
    local.writeUInt16LE(name.length, 26);
    const trailer = descriptor ? Buffer.alloc(16) : Buffer.alloc(0);
    if (descriptor) {
      trailer.writeUInt32LE(0x08074b50, 0);
      trailer.writeUInt32LE(crc, 4);
      trailer.writeUInt32LE(compressedBytes, 8);
      trailer.writeUInt32LE(bytes, 12);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.unixMode !== undefined ? (3 << 8) | 20 : 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressedBytes, 20);
    central.writeUInt32LE(bytes, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.unixMode ?? 0) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, stream, trailer);
    centrals.push(central, name);
    offset += local.length + name.length + stream.length + trailer.length;
  }
  const directory = Buffer.concat(centrals);
  const count = options.declaredCount ?? entries.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const locator = Buffer.alloc(options.zip64Locator ? 20 : 0);
  if (options.zip64Locator) locator.writeUInt32LE(0x07064b50, 0);
  return Buffer.concat([...parts, directory, locator, end]);
}

/**
 * Two entries whose data overlap: the second's local record lies inside the first's stored data,
 * the layout that lets many directory records share one compressed stream (Fifield's
 * non-recursive zip bomb). Every record is otherwise valid.
 */
export function overlappingZip(): Buffer {
  const inner = craftZip([{ name: 'handoff.json', data: Buffer.from('{}') }]);
  const innerLocalBytes = 30 + 'handoff.json'.length + 2;
  const outer = craftZip([{ name: 'results.json', data: inner.subarray(0, innerLocalBytes) }]);
  // Re-point a second directory record at the inner local record (30 + 12 bytes into the outer's data).
  const outerCentralAt = outer.length - 22 - (46 + 'results.json'.length);
  const innerCentral = Buffer.from(inner.subarray(innerLocalBytes, innerLocalBytes + 46 + 'handoff.json'.length));
  innerCentral.writeUInt32LE(30 + 'results.json'.length, 42);
  const directory = Buffer.concat([outer.subarray(outerCentralAt, outer.length - 22), innerCentral]);
  const end = Buffer.from(outer.subarray(outer.length - 22));
  end.writeUInt16LE(2, 8);
  end.writeUInt16LE(2, 10);
  end.writeUInt32LE(directory.length, 12);
  return Buffer.concat([outer.subarray(0, outerCentralAt), directory, end]);
}

/** A raw deflate stream of `bytes` zero bytes (about bytes / 1000 compressed), built in 1 MiB steps. */
export async function deflateBomb(bytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const step = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < bytes; written += step.length) {
    const slice = step.subarray(0, Math.min(step.length, bytes - written));
    if (!deflate.write(slice)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}
