/**
 * Reading an artifact's zip within bounds. Artifacts come from other runs — a fork's hand-off is
 * written by whoever opened the pull request — and @actions/artifact, left to unzip, streams
 * every entry to disk with no limit on count or size (unzip-stream only rewrites `..` in names).
 * A 2 MB deflate bomb would then become gigabytes on the runner before meshgate read a byte. So
 * the zip is downloaded as is and read here, from its central directory, all checks before any
 * inflating: the number of entries, each entry's declared size and the sum of them, names that
 * could leave the directory (absolute, `..`, backslashes, control characters), symbolic links,
 * encryption, methods other than stored and deflate, ZIP64, entries that overlap (several
 * directory records sharing one compressed stream is how the densest bombs are built). Then only
 * the files asked for are inflated, each stopped one byte past its declared size and checked
 * against its CRC-32.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries in the archive, directories included. */
  entries: number;
  /** Declared uncompressed bytes of one entry. */
  entryBytes: number;
  /** Declared uncompressed bytes of all entries together. */
  totalBytes: number;
}

interface Entry {
  name: string;
  nameBytes: Buffer;
  method: number;
  crc: number;
  compressedBytes: number;
  bytes: number;
  localOffset: number;
  directory: boolean;
}

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const END_BYTES = 22;
const CENTRAL_BYTES = 46;
const LOCAL_BYTES = 30;
const UNIX_HOST = 3;
const SYMLINK_MODE = 0o120000;
const FILE_TYPE_MASK = 0o170000;

class ZipError extends Error {}

function findEnd(zip: Buffer): number {
  // The end record is the last 22 bytes plus a comment of at most 65,535 bytes.
  for (let at = zip.length - END_BYTES; at >= Math.max(0, zip.length - END_BYTES - 0xffff); at--)
    if (zip.readUInt32LE(at) === END_SIGNATURE && at + END_BYTES + zip.readUInt16LE(at + 20) === zip.length) return at;
  throw new ZipError('not a zip archive (no end of central directory record)');
}

/** Why an entry name may not be written under a directory, or undefined when it may. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0 || name.length > 255) return 'an empty or overlong name';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a control character in the name';
  if (name.includes('\\')) return 'a backslash in the name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((segment) => segment === '..')) return 'a path outside the artifact';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'an empty or "." path segment';
  return undefined;
}

const shown = (name: string): string => JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}...` : name);

function readCentralDirectory(zip: Buffer, limits: ZipLimits): Entry[] {
  if (zip.length < END_BYTES) throw new ZipError('not a zip archive (too short)');
  const end = findEnd(zip);
  if (end >= 20 && zip.readUInt32LE(end - 20) === ZIP64_LOCATOR_SIGNATURE)
    throw new ZipError('a ZIP64 archive, which an artifact of this size never needs');
  const count = zip.readUInt16LE(end + 10);
  const directoryBytes = zip.readUInt32LE(end + 12);
  const directoryAt = zip.readUInt32LE(end + 16);
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 6) !== 0 || zip.readUInt16LE(end + 8) !== count)
    throw new ZipError('a multi-disk archive');
  // Checked before a single directory record is read.
  if (count > limits.entries) throw new ZipError(`${count} entries, more than ${limits.entries}`);
  if (directoryAt + directoryBytes > end) throw new ZipError('a central directory outside the archive');

  const entries: Entry[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = directoryAt;
  for (let index = 0; index < count; index++) {
    if (at + CENTRAL_BYTES > directoryAt + directoryBytes || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw new ZipError(`entry ${index}: a broken central directory record`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedBytes = zip.readUInt32LE(at + 20);
    const bytes = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + CENTRAL_BYTES + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (next > directoryAt + directoryBytes) throw new ZipError(`entry ${index}: a broken central directory record`);
    const nameBytes = zip.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength);
    // Names are UTF-8 (flag 11) or CP437; only ASCII names pass the check below either way.
    const name = nameBytes.toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1');
    const entry = `entry ${shown(name)}`;
    const unsafe = unsafeEntryName(name);
    if (unsafe) throw new ZipError(`${entry}: ${unsafe}`);
    if (names.has(name)) throw new ZipError(`${entry}: a second entry of that name`);
    names.add(name);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    if (zip.readUInt8(at + 5) === UNIX_HOST && (mode & FILE_TYPE_MASK) === SYMLINK_MODE)
      throw new ZipError(`${entry}: a symbolic link`);
    if ((flags & 0x1) !== 0) throw new ZipError(`${entry}: encrypted`);
    if (method !== 0 && method !== 8) throw new ZipError(`${entry}: compression method ${method} (only stored and deflate are read)`);
    if (compressedBytes === 0xffffffff || bytes === 0xffffffff) throw new ZipError(`${entry}: ZIP64 sizes`);
    if (method === 0 && compressedBytes !== bytes)
      throw new ZipError(`${entry}: stored, yet ${compressedBytes} bytes compressed for ${bytes}`);
    if (bytes > limits.entryBytes) throw new ZipError(`${entry}: declares ${bytes} bytes, more than ${limits.entryBytes}`);
    total += bytes;
    if (total > limits.totalBytes)
      throw new ZipError(`its entries declare more than ${limits.totalBytes} bytes together (at ${entry})`);
    const directory = name.endsWith('/');
    if (directory && bytes !== 0) throw new ZipError(`${entry}: a directory with content`);
    entries.push({ name, nameBytes, method, crc: zip.readUInt32LE(at + 16), compressedBytes, bytes, localOffset: zip.readUInt32LE(at + 42), directory });
    at = next;
  }
  checkLocalRecords(zip, entries, directoryAt);
  return entries;
}

/** Every entry's local record matches its directory record, and no two entries share bytes. */
function checkLocalRecords(zip: Buffer, entries: Entry[], directoryAt: number): void {
  let previousEnd = 0;
  for (const entry of [...entries].sort((a, b) => a.localOffset - b.localOffset)) {
    const at = entry.localOffset;
    const where = `entry ${shown(entry.name)}`;
    if (at < previousEnd) throw new ZipError(`${where}: overlaps another entry`);
    if (at + LOCAL_BYTES > directoryAt || zip.readUInt32LE(at) !== LOCAL_SIGNATURE)
      throw new ZipError(`${where}: no local record where the directory says`);
    const nameLength = zip.readUInt16LE(at + 26);
    const dataAt = at + LOCAL_BYTES + nameLength + zip.readUInt16LE(at + 28);
    if (!zip.subarray(at + LOCAL_BYTES, at + LOCAL_BYTES + nameLength).equals(entry.nameBytes))
      throw new ZipError(`${where}: its local record names another file`);
    if (zip.readUInt16LE(at + 8) !== entry.method) throw new ZipError(`${where}: its local record has another method`);
    previousEnd = dataAt + entry.compressedBytes;
    if (previousEnd > directoryAt) throw new ZipError(`${where}: its data runs past the archive's entries`);
  }
}

function inflate(zip: Buffer, entry: Entry): Buffer {
  const at = entry.localOffset;
  const dataAt = at + LOCAL_BYTES + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(dataAt, dataAt + entry.compressedBytes);
  const where = `entry ${shown(entry.name)}`;
  let content: Buffer;
  if (entry.method === 0) content = Buffer.from(data);
  else
    try {
      // One byte past the declared size is enough to know the declaration lied.
      content = inflateRawSync(data, { maxOutputLength: entry.bytes + 1 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new ZipError(`${where}: inflates past its declared ${entry.bytes} bytes`);
      throw new ZipError(`${where}: not a valid deflate stream (${(error as Error).message})`);
    }
  if (content.length !== entry.bytes)
    throw new ZipError(`${where}: inflates to ${content.length} bytes, not its declared ${entry.bytes}`);
  if (crc32(content) !== entry.crc) throw new ZipError(`${where}: its CRC-32 does not match`);
  return content;
}

/**
 * The files named in `wanted` (top-level names) from a zip archive, after every entry of it
 * passed the checks above; a wanted file that is absent is simply missing from the result.
 * Throws an Error naming `where`, the entry and the bound it broke.
 */
export function readZipWithin(zip: Buffer, wanted: readonly string[], limits: ZipLimits, where: string): Map<string, Buffer> {
  try {
    const entries = readCentralDirectory(zip, limits);
    const files = new Map<string, Buffer>();
    for (const entry of entries) if (!entry.directory && wanted.includes(entry.name)) files.set(entry.name, inflate(zip, entry));
    return files;
  } catch (error) {
    if (error instanceof ZipError) throw new Error(`${where}: ${error.message}`);
    // An offset past the end that no check above caught: still the archive's fault.
    if ((error as { code?: string }).code === 'ERR_OUT_OF_RANGE') throw new Error(`${where}: a truncated or broken archive`);
    throw error;
  }
}
