/**
 * Checks an encoded histogram (V2 compressed, base64) before hdr-histogram-js decodes it.
 * Results files and artifacts come from other jobs and from forks, and the library trusts its
 * input: a 2 MB deflate stream inflates to gigabytes, a header may declare a range whose counts
 * array takes gigabytes, a payload length or a run of zeros of 2^31 makes its decode loops spin
 * for minutes. Everything here is bounded by the encoded size, and a bad histogram is one
 * sentence, never an exception from inside the library.
 *
 * Layout (HdrHistogram's V2 encoding): base64 of
 *   int32 cookie 0x1c849304|0x10, int32 deflated length, zlib stream of
 *   int32 cookie 0x1c849303|0x10, int32 payload length, int32 normalizing offset,
 *   int32 significant digits, int64 lowest, int64 highest, int64 ratio (40 bytes), then the counts
 *   as zig-zag LEB128 words (a negative word is a run of empty buckets).
 */
import { inflateSync } from 'node:zlib';

/** A histogram of the standard shape (1 µs … 60 s, 3 digits) encodes to a few KB; this is ~100×. */
export const MAX_ENCODED_HISTOGRAM_CHARS = 1_000_000;
/** The standard shape holds ~17k counts, at most 9 bytes each: ~150 KB inflated. */
export const MAX_INFLATED_HISTOGRAM_BYTES = 2 * 1024 * 1024;
/** Counts array entries a declared range may need (2^21 × 8 bytes = 16 MiB). */
export const MAX_HISTOGRAM_COUNTS = 2 ** 21;

const COMPRESSED_COOKIE = 0x1c849304;
const PAYLOAD_COOKIE = 0x1c849303;
const HEADER_BYTES = 40;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class HistogramFormatError extends Error {}

const fail = (message: string): never => {
  throw new HistogramFormatError(message);
};

/** The int64 the way hdr-histogram-js reads it (high word × 2^32 + signed low word). */
const int64 = (buffer: Buffer, offset: number): number =>
  buffer.readInt32BE(offset) * 2 ** 32 + buffer.readInt32BE(offset + 4);

/** Length of the counts array HdrHistogram allocates for a range (its own formula). */
export function countsArrayLength(lowest: number, highest: number, digits: number): number {
  const largestSingleUnit = 2 * 10 ** digits;
  const subBucketCountMagnitude = Math.ceil(Math.log2(largestSingleUnit));
  const subBucketCount = 2 ** (Math.max(0, subBucketCountMagnitude - 1) + 1);
  const unitMagnitude = Math.floor(Math.log2(lowest));
  let smallestUntrackable = subBucketCount * 2 ** unitMagnitude;
  let buckets = 1;
  while (smallestUntrackable <= highest && buckets < 70) {
    smallestUntrackable *= 2;
    buckets += 1;
  }
  return (buckets + 1) * (subBucketCount / 2);
}

function inflated(base64: string): Buffer {
  const text = base64.trim();
  if (text.length > MAX_ENCODED_HISTOGRAM_CHARS)
    fail(`${text.length} characters, more than the ${MAX_ENCODED_HISTOGRAM_CHARS} a histogram may take`);
  if (text.length % 4 !== 0 || !BASE64.test(text)) fail('not base64');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < 8 || (bytes.readInt32BE(0) & ~0xf0) !== COMPRESSED_COOKIE)
    fail('not an HdrHistogram V2 compressed encoding (bad cookie)');
  const deflatedBytes = bytes.readInt32BE(4);
  if (deflatedBytes <= 0 || deflatedBytes > bytes.length - 8)
    fail(`declares ${deflatedBytes} compressed bytes but holds ${bytes.length - 8}`);
  try {
    return inflateSync(bytes.subarray(8, 8 + deflatedBytes), { maxOutputLength: MAX_INFLATED_HISTOGRAM_BYTES });
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError
      ? fail(`inflates to more than ${MAX_INFLATED_HISTOGRAM_BYTES} bytes (a compression bomb)`)
      : fail('its compressed data is corrupt');
  }
}

export interface HistogramShape {
  lowest: number;
  highest: number;
  digits: number;
  /** Sum of the counts. */
  totalCount: number;
  inflatedBytes: number;
  /** The checked V2 encoding, inflated (a copy: hdr-histogram-js reverses bytes in place as it reads). */
  inflated: Uint8Array;
}

/** Validate an encoded histogram without decoding it; throws HistogramFormatError. */
export function checkEncodedHistogram(base64: string): HistogramShape {
  const data = inflated(base64);
  if (data.length < HEADER_BYTES || (data.readInt32BE(0) & ~0xf0) !== PAYLOAD_COOKIE)
    fail('its payload is not an HdrHistogram V2 encoding (bad cookie)');
  const payloadBytes = data.readInt32BE(4);
  const digits = data.readInt32BE(12);
  const lowest = int64(data, 16);
  const highest = int64(data, 24);
  if (payloadBytes < 0 || payloadBytes > data.length - HEADER_BYTES)
    fail(`declares ${payloadBytes} payload bytes but holds ${data.length - HEADER_BYTES}`);
  if (!(digits >= 1 && digits <= 5)) fail(`declares ${digits} significant digits (1 to 5 allowed)`);
  if (!(lowest >= 1 && highest >= 2 * lowest && highest <= Number.MAX_SAFE_INTEGER))
    fail(`declares an impossible range ${lowest} … ${highest}`);
  const length = countsArrayLength(lowest, highest, digits);
  if (length > MAX_HISTOGRAM_COUNTS)
    fail(`declares a range needing ${length} buckets (at most ${MAX_HISTOGRAM_COUNTS})`);
  // Walk the counts the way the decoder will: every index must land inside the array.
  let index = 0;
  let totalCount = 0;
  let position = HEADER_BYTES;
  const end = HEADER_BYTES + payloadBytes;
  while (position < end) {
    let value = 0;
    for (let shift = 0; shift < 9; shift += 1) {
      const byte = position < end ? data[position] : fail('its counts end in the middle of a number');
      position += 1;
      value += (byte & 0x7f) * 2 ** (7 * shift);
      if (shift === 8 || (byte & 0x80) === 0) break;
    }
    const word = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (word < 0) index += -word;
    else {
      index += 1;
      totalCount += word;
    }
    if (index > length) fail(`its counts run past the ${length} buckets of its range`);
  }
  if (!Number.isFinite(totalCount) || totalCount > Number.MAX_SAFE_INTEGER) fail('its counts overflow');
  return { lowest, highest, digits, totalCount, inflatedBytes: data.length, inflated: new Uint8Array(data) };
}
