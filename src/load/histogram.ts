/**
 * HdrHistogram helpers. All latency histograms hold microseconds from 1 µs to 60 s with three
 * significant digits, and travel as V2 compressed base64 strings. Merging adds counts; percentiles
 * are never averaged.
 */
import * as hdr from 'hdr-histogram-js';
import { checkEncodedHistogram, HistogramFormatError } from './histogram-guard.js';
import type { LatencySummaryMs } from './types.js';

export type Histogram = hdr.Histogram;

/** hdr-histogram-js decodes an inflated V2 encoding with this static (attached by its encoding module). */
interface JsHistogramDecoder {
  decode(data: Uint8Array, bitBucketSize: 64): Histogram;
}

export const LOWEST_US = 1;
export const HIGHEST_US = 60_000_000;
export const SIGNIFICANT_DIGITS = 3;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 64,
    autoResize: false,
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Record a latency in microseconds, clamped to the trackable range (≥ 60 s counts as 60 s). */
export function recordUs(histogram: Histogram, valueUs: number): void {
  const clamped = valueUs < LOWEST_US ? LOWEST_US : valueUs > HIGHEST_US ? HIGHEST_US : valueUs;
  histogram.recordValue(Math.round(clamped));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/**
 * Decode a V2 compressed base64 histogram. The encoding is checked first (histogram-guard.ts):
 * histograms arrive in files from other jobs and forks, and the library trusts its input.
 * Throws HistogramFormatError for anything it cannot decode.
 */
export function decodeHistogram(base64: string): Histogram {
  const { inflated } = checkEncodedHistogram(base64);
  try {
    // Decoded from the bytes the check inflated, so the stream is inflated once.
    const decoded = (hdr.JsHistogram as unknown as JsHistogramDecoder).decode(inflated, 64);
    // Re-home the values in a histogram of the standard shape, so merges never lose range.
    const standard = createHistogram();
    standard.add(decoded);
    return standard;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HistogramFormatError(`cannot be decoded (${reason.split('\n')[0].slice(0, 120)})`);
  }
}

/** Exact merge: the sum of the histograms' counts. */
export function mergeHistograms(histograms: Iterable<Histogram>): Histogram {
  const merged = createHistogram();
  for (const histogram of histograms) merged.add(histogram);
  return merged;
}

/** Decodes one at a time, so merging many trials holds two histograms, not all of them. */
export function mergeEncoded(encoded: Iterable<string>): Histogram {
  const merged = createHistogram();
  for (const text of encoded) merged.add(decodeHistogram(text));
  return merged;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Summary in milliseconds; an empty histogram gives zeros. Min and max are reported as their
 * buckets' equivalent values (as percentiles are), so a summary is the same before and after an
 * encode/decode or merge: a freshly recorded histogram knows its exact extremes, a decoded one
 * only their buckets.
 */
export function summarize(histogram: Histogram): LatencySummaryMs {
  if (histogram.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const ms = (us: number): number => round3(us / 1000);
  const buckets = histogram as unknown as hdr.JsHistogram;
  return {
    min: ms(buckets.lowestEquivalentValue(histogram.minNonZeroValue)),
    mean: ms(histogram.mean),
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(buckets.highestEquivalentValue(histogram.maxValue)),
  };
}
