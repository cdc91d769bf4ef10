// test-group: unit
import { describe, expect, test } from '@jest/globals';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeEncoded,
  recordUs,
  summarize,
  type Histogram,
} from '../../src/load/histogram.js';
import { mergeTrials } from '../../src/load/merge-trials.js';
import { trialFromHistogram } from '../../src/interop/formats/common.js';

/** A deterministic, long-tailed stream of latencies in µs. */
function values(count: number, seed: number): number[] {
  let state = seed;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const u = state / 2147483648;
    out.push(50 + 1000 * -Math.log(1 - u) + (i % 997 === 0 ? 2_000_000 * u : 0));
  }
  return out;
}

function counts(histogram: Histogram): Map<number, number> {
  const result = new Map<number, number>();
  const json = histogram as unknown as {
    recordedValuesIterator: {
      reset(): void;
      hasNext(): boolean;
      next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
    };
  };
  const iterator = json.recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    result.set(step.valueIteratedTo, step.countAtValueIteratedTo);
  }
  return result;
}

describe('histograms', () => {
  test('encode/decode round trip keeps every count', () => {
    const histogram = createHistogram();
    for (const v of values(20_000, 7)) recordUs(histogram, v);
    const decoded = decodeHistogram(encodeHistogram(histogram));
    expect(decoded.totalCount).toBe(20_000);
    expect(counts(decoded)).toEqual(counts(histogram));
    expect(summarize(decoded)).toEqual(summarize(histogram));
  });

  test('merge of N workers equals one histogram fed all values, count for count', () => {
    const all = createHistogram();
    const parts = Array.from({ length: 4 }, () => createHistogram());
    values(40_000, 11).forEach((v, i) => {
      recordUs(all, v);
      recordUs(parts[i % 4], v);
    });
    const merged = mergeEncoded(parts.map(encodeHistogram));
    expect(merged.totalCount).toBe(all.totalCount);
    expect(counts(merged)).toEqual(counts(all));
    expect(encodeHistogram(merged)).toBe(encodeHistogram(all));
  });

  test('values are clamped to 1 µs .. 60 s', () => {
    const histogram = createHistogram();
    recordUs(histogram, 0);
    recordUs(histogram, 120_000_000);
    expect(histogram.totalCount).toBe(2);
    expect(summarize(histogram).max).toBeGreaterThanOrEqual(59_999);
  });

  test('mergeTrials adds histograms and counts; percentiles come from the merged histogram', () => {
    const [a, b] = [createHistogram(), createHistogram()];
    for (const v of values(1000, 1)) recordUs(a, v);
    for (const v of values(1000, 2)) recordUs(b, v * 3);
    const trial = (h: Histogram, errors: Record<string, number>) =>
      trialFromHistogram({
        histogram: h,
        startTime: '2026-01-01T00:00:00Z',
        durationS: 10,
        requestedRps: 100,
        errorsByKind: errors,
        statusCodes: { '200': 1000 },
        generators: 1,
      });
    const merged = mergeTrials([trial(a, { reset: 1 }), trial(b, { reset: 2, timeout: 1 })]);
    expect(merged.requests).toBe(2000);
    expect(merged.errorsByKind).toEqual({ reset: 3, timeout: 1 });
    expect(merged.errors).toBe(4);
    expect(merged.statusCodes).toEqual({ '200': 2000 });
    expect(merged.requestedRps).toBe(200);
    expect(merged.generators).toBe(2);
    const both = createHistogram();
    both.add(a);
    both.add(b);
    expect(merged.latencyMs).toEqual(summarize(both));
  });
});
