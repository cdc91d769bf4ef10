// test-group: unit
// Tests src/load/merge-trials.ts (kept with the cluster tests that produce several generators' trials).
import { expect, test } from '@jest/globals';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  recordUs,
  summarize,
} from '../../../src/load/histogram.js';
import { mergeTrials } from '../../../src/load/merge-trials.js';
import { parseGeneratorOutput } from '../../../src/platform/cluster/trial-output.js';
import { generatorTrial } from './fixtures.js';

const a = [800, 900, 1000, 1200, 50_000];
const b = [950, 1050, 1100];
const c = [700, 3000, 3100, 3200];

test('merging generators is exactly the histogram of all their requests, with counts added', () => {
  const trials = [
    generatorTrial(a, '2026-01-01T00:00:00.000Z', {
      errors: 1,
      errorsByKind: { timeout: 1 },
      statusCodes: { '200': 4 },
    }),
    generatorTrial(b, '2026-01-01T00:00:00.050Z', {
      statusCodes: { '200': 2, '503': 1 },
      errors: 1,
      errorsByKind: { status_503: 1 },
    }),
    generatorTrial(c, '2026-01-01T00:00:00.020Z', { errors: 2, errorsByKind: { timeout: 2 } }),
  ];
  const merged = mergeTrials(trials);
  const all = createHistogram();
  for (const value of [...a, ...b, ...c]) recordUs(all, value);
  expect(decodeHistogram(merged.histogram).totalCount).toBe(12);
  expect(merged.histogram).toBe(encodeHistogram(all));
  expect(merged.latencyMs).toEqual(summarize(all));
  expect(merged.latencyMs.max).toBeCloseTo(50, 1);
  expect(merged).toMatchObject({
    requests: 12,
    errors: 4,
    errorsByKind: { timeout: 3, status_503: 1 },
    statusCodes: { '200': 10, '503': 1 },
    requestedRps: 300,
    generators: 3,
    startTime: '2026-01-01T00:00:00.000Z',
    endTime: '2026-01-01T00:00:10.050Z',
    durationS: 10.05,
  });
  expect(merged.actualRps).toBeCloseTo(12 / 10.05, 6);
  expect(merged.scheduleLagMs).toEqual({ p50: 0.1, p99: 0.5, max: 1 });
});

test('merges per-interval histograms by offset, and needs at least one trial', () => {
  const encode = (values: number[]) =>
    encodeHistogram(values.reduce((h, v) => (recordUs(h, v), h), createHistogram()));
  const t1 = generatorTrial([1000], '2026-01-01T00:00:00Z', {
    intervals: [
      { startOffsetMs: 0, histogram: encode([1000]) },
      { startOffsetMs: 1000, histogram: encode([2000]) },
    ],
  });
  const t2 = generatorTrial([3000], '2026-01-01T00:00:00Z', {
    intervals: [{ startOffsetMs: 1000, histogram: encode([3000]) }],
  });
  const merged = mergeTrials([t1, t2]);
  expect(merged.intervals!.map((i) => [i.startOffsetMs, decodeHistogram(i.histogram).totalCount])).toEqual([
    [0, 1],
    [1000, 2],
  ]);
  expect(mergeTrials([t1]).requests).toBe(1);
  expect(() => mergeTrials([])).toThrow(/at least one/);
});

test('a generator pod log is validated: the last JSON line is the trial', () => {
  const trial = generatorTrial([1000], '2026-01-01T00:00:00Z');
  expect(parseGeneratorOutput(`starting\n${JSON.stringify(trial)}\n`, 'p-0').requests).toBe(1);
  expect(() => parseGeneratorOutput('node: cannot find module\n', 'p-1')).toThrow(
    /p-1 printed no trial; its log ends:\nnode: cannot find module/,
  );
  expect(() => parseGeneratorOutput('{"requests": -1}', 'p-2')).toThrow(
    /p-2 printed an invalid trial: startTime/,
  );
  expect(() => parseGeneratorOutput('{oops', 'p-3')).toThrow(/not JSON/);
});
