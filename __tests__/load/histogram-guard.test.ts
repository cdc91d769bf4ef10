// test-group: unit
import { describe, expect, it } from '@jest/globals';
import * as hdr from 'hdr-histogram-js';
import { createHistogram, decodeHistogram, encodeHistogram, recordUs } from '../../src/load/histogram.js';
import {
  checkEncodedHistogram,
  countsArrayLength,
  HistogramFormatError,
  MAX_HISTOGRAM_COUNTS,
} from '../../src/load/histogram-guard.js';
import { HOSTILE_HISTOGRAMS } from '../helpers/hostile-histograms.js';

describe('checkEncodedHistogram', () => {
  it('passes what the engine writes, with its total count', () => {
    const histogram = createHistogram();
    for (let us = 1; us < 60_000_000; us = Math.ceil(us * 1.01)) recordUs(histogram, us);
    recordUs(histogram, 59_999_999);
    const shape = checkEncodedHistogram(encodeHistogram(histogram));
    expect(shape).toMatchObject({ lowest: 1, highest: 60_000_000, digits: 3, totalCount: histogram.totalCount });
    expect(shape.inflatedBytes).toBeLessThan(200_000);
  });

  it('computes the counts array length HdrHistogram allocates', () => {
    for (const [lowest, highest, digits] of [
      [1, 60_000_000, 3],
      [1, 3_600_000_000, 2],
      [1000, 2 ** 40, 4],
      [1, 100, 1],
    ]) {
      const built = hdr.build({ lowestDiscernibleValue: lowest, highestTrackableValue: highest, numberOfSignificantValueDigits: digits as 1, bitBucketSize: 64, useWebAssembly: false });
      expect(countsArrayLength(lowest, highest, digits)).toBe((built as unknown as { countsArrayLength: number }).countsArrayLength);
    }
    expect(countsArrayLength(1, 2 ** 52, 5)).toBeGreaterThan(MAX_HISTOGRAM_COUNTS);
  });

  it.each(Object.entries(HOSTILE_HISTOGRAMS))('refuses %s quickly, and decodeHistogram too', (_name, make) => {
    const encoded = make();
    const started = Date.now();
    expect(() => checkEncodedHistogram(encoded)).toThrow(HistogramFormatError);
    expect(() => decodeHistogram(encoded)).toThrow(HistogramFormatError);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
