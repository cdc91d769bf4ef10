// test-group: unit
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { decodeHistogram } from '../../../src/load/histogram.js';
import { importFortio, importFortioFile } from '../../../src/interop/formats/fortio/reader.js';
import { importHdrLog, importHdrLogFile } from '../../../src/interop/formats/hdr-log/reader.js';
import { importNighthawk, importNighthawkFile } from '../../../src/interop/formats/nighthawk/reader.js';

// Real output of fortio, Nighthawk and the Java HdrHistogram library (see its README).
const FIXTURES = fileURLToPath(new URL('../../__fixtures__/external', import.meta.url));
const json = (path: string) =>
  JSON.parse(readFileSync(`${FIXTURES}/${path}`, 'utf8')) as Record<string, unknown>;

describe('fortio JSON', () => {
  test('http-post-result.json: counts, codes, min/max exact, percentiles inside the one bucket', () => {
    const trial = importFortioFile(`${FIXTURES}/fortio/http-post-result.json`);
    expect(trial.requests).toBe(4);
    expect(trial.statusCodes).toEqual({ '200': 4 });
    expect(trial.errors).toBe(0);
    expect(trial.requestedRps).toBe(40);
    expect(trial.actualRps).toBeCloseTo(38.4, 1);
    expect(trial.durationS).toBeCloseTo(0.104, 3);
    expect(trial.startTime).toBe('2022-03-19T22:34:23.279Z');
    expect(decodeHistogram(trial.histogram).totalCount).toBe(4);
    expect(trial.latencyMs.min).toBeCloseTo(0.273, 2);
    expect(trial.latencyMs.max).toBeCloseTo(0.93, 2);
    expect(trial.latencyMs.p50).toBeGreaterThan(0.273);
    expect(trial.latencyMs.p50).toBeLessThan(0.93);
    expect(trial.uncorrectedHistogram).toBe(trial.histogram);
  });

  test("Nighthawk's fortio format: counts as strings, many buckets", () => {
    const trial = importFortioFile(`${FIXTURES}/nighthawk/output-as-fortio.json`);
    expect(trial.requests).toBe(53);
    expect(decodeHistogram(trial.histogram).totalCount).toBe(53);
    expect(trial.requestedRps).toBe(30);
    expect(trial.statusCodes).toEqual({ '200': 56 });
    expect(trial.latencyMs.min).toBeCloseTo(53.8, 1);
    expect(trial.latencyMs.max).toBeCloseTo(310.9, 0);
    // Nighthawk's own ladder says p50 = 65.08 ms and p90 = 85.05 ms.
    expect(Math.abs(trial.latencyMs.p50 - 65.08)).toBeLessThan(3);
    expect(Math.abs(trial.latencyMs.p90 - 85.05)).toBeLessThan(3);
  });

  test('errors name the file and the field', () => {
    const bad = { ...json('fortio/http-post-result.json'), ActualDuration: 'soon' };
    expect(() => importFortio(bad, 'run.json')).toThrow(UserError);
    expect(() => importFortio(bad, 'run.json')).toThrow(/run\.json: ActualDuration/);
    const badBucket = json('fortio/http-post-result.json');
    (badBucket.DurationHistogram as { Data: { Count: unknown }[] }).Data[0].Count = 'many';
    expect(() => importFortio(badBucket, 'run.json')).toThrow(
      /run\.json: DurationHistogram\.Data\[0\]\.Count/,
    );
  });
});

describe('Nighthawk JSON', () => {
  test('output.json: the global ladder rebuilt exactly', () => {
    const trial = importNighthawkFile(`${FIXTURES}/nighthawk/output.json`);
    expect(trial.requests).toBe(4);
    expect(decodeHistogram(trial.histogram).totalCount).toBe(4);
    expect(trial.latencyMs.min).toBeCloseTo(0.18, 2);
    expect(trial.latencyMs.p50).toBeCloseTo(0.19, 2);
    expect(trial.latencyMs.max).toBeCloseTo(0.21, 2);
    expect(trial.generators).toBe(2);
    expect(trial.durationS).toBe(1);
    expect(trial.startTime).toBe('2009-02-13T23:31:31.567Z');
  });

  test('a statistic can be chosen; a missing one is named', () => {
    const raw = json('nighthawk/output.json');
    expect(() => importNighthawk(raw, 'nh.json', 'benchmark_http_client.request_to_response')).toThrow(
      /nh\.json: .*"foo_latency"/,
    );
    expect(importNighthawk(raw, 'nh.json', 'foo_latency').requests).toBe(4);
  });

  test('invalid input names the field', () => {
    const raw = json('nighthawk/output.json');
    (
      raw.results as { statistics: { percentiles: { duration: string }[] }[] }[]
    )[0].statistics[3].percentiles[0].duration = '180us';
    expect(() => importNighthawk(raw, 'nh.json')).toThrow(
      /nh\.json: results\[0\]\.statistics\[3\]\.percentiles\[0\]\.duration/,
    );
    expect(() => importNighthawk({ results: [] }, 'nh.json')).toThrow(/nh\.json: results/);
  });
});

describe('HdrHistogram interval log', () => {
  const path = `${FIXTURES}/hdrhistogram/jHiccup-2.0.7S.logV2.hlog`;

  test('jHiccup log: intervals added exactly, nanoseconds detected and converted to µs', () => {
    const trial = importHdrLogFile(path);
    expect(trial.intervals!.length).toBeGreaterThan(50);
    const sum = trial.intervals!.reduce((total, i) => total + decodeHistogram(i.histogram).totalCount, 0);
    expect(trial.requests).toBe(sum);
    expect(decodeHistogram(trial.histogram).totalCount).toBe(sum);
    // The log's Interval_Max column is in ms; its largest entry is 1551.892 ms.
    expect(trial.latencyMs.max).toBeGreaterThan(1500);
    expect(trial.latencyMs.max).toBeLessThan(2000);
    expect(trial.startTime.startsWith('2015-09-09T15:24:39')).toBe(true);
    expect(trial.intervals![0].startOffsetMs).toBe(0);
  });

  test('an explicit unit overrides detection', () => {
    const text = readFileSync(path, 'utf8');
    // Read as µs, the largest values exceed the 60 s range and are clamped to it.
    expect(importHdrLog(text, 'x.hlog', 'us').latencyMs.max).toBeGreaterThanOrEqual(59_999);
  });

  test('bad lines are reported with their line number', () => {
    expect(() => importHdrLog('#c\n0.1,1.0,2.0\n', 'bad.hlog')).toThrow(/bad\.hlog: line 2/);
    expect(() => importHdrLog('0.1,1.0,2.0,HISTnotbase64\n', 'bad.hlog')).toThrow(
      /bad\.hlog: line 1: Interval_Compressed_Histogram/,
    );
    expect(() => importHdrLog('# only comments\n', 'empty.hlog')).toThrow(/empty\.hlog: no interval lines/);
  });
});
