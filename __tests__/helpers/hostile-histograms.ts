/** Encoded histograms an attacker (or a damaged file) could put in results.json, for tests. */
import { deflateSync } from 'node:zlib';

/** Wrap an inner V2 encoding into the compressed base64 form. */
export function compressed(inner: Buffer): string {
  const deflated = deflateSync(inner);
  const head = Buffer.alloc(8);
  head.writeInt32BE(0x1c849314, 0);
  head.writeInt32BE(deflated.length, 4);
  return Buffer.concat([head, deflated]).toString('base64');
}

/** A V2 header (40 bytes) followed by `payload`; `payloadBytes` may lie about the payload's length. */
export function innerEncoding(options: {
  digits?: number;
  lowest?: number;
  highest?: number;
  payload?: Buffer;
  payloadBytes?: number;
}): Buffer {
  const payload = options.payload ?? Buffer.alloc(0);
  const header = Buffer.alloc(40);
  header.writeInt32BE(0x1c849313, 0);
  header.writeInt32BE(options.payloadBytes ?? payload.length, 4);
  header.writeInt32BE(0, 8);
  header.writeInt32BE(options.digits ?? 3, 12);
  header.writeBigInt64BE(BigInt(options.lowest ?? 1), 16);
  header.writeBigInt64BE(BigInt(options.highest ?? 60_000_000), 24);
  header.writeDoubleBE(1, 32);
  return Buffer.concat([header, payload]);
}

/** One zig-zag LEB128 word (as HdrHistogram writes counts; negative = a run of empty buckets). */
export function zigzagWord(value: number): Buffer {
  let encoded = value < 0 ? -value * 2 - 1 : value * 2;
  const bytes: number[] = [];
  for (let i = 0; i < 9; i++) {
    const last = encoded < 0x80 || i === 8;
    bytes.push(last ? encoded & 0xff : (encoded & 0x7f) | 0x80);
    if (last) break;
    encoded = Math.floor(encoded / 128);
  }
  return Buffer.from(bytes);
}

export const HOSTILE_HISTOGRAMS = {
  notBase64: () => '%%% not base64 %%%',
  badCookie: () => Buffer.from('deadbeef00000004abcd', 'hex').toString('base64'),
  truncated: () => compressed(innerEncoding({})).slice(0, 24),
  /** Inflates to 64 MiB (a real bomb inflates to gigabytes: the check stops at 2 MiB either way). */
  bomb: () => compressed(innerEncoding({ payload: Buffer.alloc(64 * 1024 * 1024) })),
  hugeRange: () => compressed(innerEncoding({ digits: 5, highest: 2 ** 52 })),
  zeroDigits: () => compressed(innerEncoding({ digits: 0 })),
  runOfZerosPastTheEnd: () => compressed(innerEncoding({ payload: Buffer.concat([zigzagWord(-(2 ** 40)), zigzagWord(1)]) })),
  payloadLengthLie: () => compressed(innerEncoding({ payloadBytes: 2 ** 30 })),
  tooLong: () => `${'A'.repeat(1_000_004)}`,
};
