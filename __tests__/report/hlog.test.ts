/**
 * `meshgate export --hlog`: the interval log round-trips through hdr-histogram-js's
 * HistogramLogReader (and meshgate's own importer, and Java HdrHistogram's HistogramLogProcessor
 * when a JDK and the jar are on this machine) with counts equal.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { decodeHistogram } from '../../src/load/histogram.js';
import { importHdrLog } from '../../src/interop/formats/hdr-log/reader.js';
import { renderHlog } from '../../src/report/hlog.js';
import { makeBigResults } from '../__fixtures__/big-results.js';

const results = makeBigResults({ trials: 4 });
const log = renderHlog(results);

interface Read {
  tag: string;
  count: number;
  startMs: number;
  endMs: number;
}

function readAll(text: string): Read[] {
  const reader = new hdr.HistogramLogReader(text, 64);
  const read: Read[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram())
    read.push({ tag: h.tag, count: h.totalCount, startMs: h.startTimeStampMsec, endMs: h.endTimeStampMsec });
  return read;
}

const trialCount = (variantId: string) =>
  results.variants
    .find((v) => v.id === variantId)!
    .trials.reduce((sum, t) => sum + decodeHistogram(t.histogram).totalCount, 0);

describe('renderHlog', () => {
  test('one tagged interval per trial-second; counts per variant equal the trials’ histograms', () => {
    const read = readAll(log);
    expect(read).toHaveLength(results.variants.length * 4 * 10);
    expect(hdr.listTags(log).sort()).toEqual(results.variants.map((v) => v.id).sort());
    for (const variant of results.variants) {
      const mine = read.filter((r) => r.tag === variant.id);
      expect(mine.reduce((sum, r) => sum + r.count, 0)).toBe(trialCount(variant.id));
      // Each interval's count is the stored interval histogram's, in order.
      const stored = variant.trials.flatMap((t) =>
        t.intervals!.map((i) => decodeHistogram(i.histogram).totalCount),
      );
      expect(mine.map((r) => r.count)).toEqual(stored);
    }
  });

  test('timestamps are absolute after the reader applies BaseTime, one second long', () => {
    const first = results.variants[0].trials[0];
    const read = readAll(log).filter((r) => r.tag === results.variants[0].id);
    expect(read[0].startMs).toBe(Date.parse(first.startTime));
    expect(read[0].endMs - read[0].startMs).toBe(1000);
    expect(read.map((r) => r.startMs)).toEqual([...read.map((r) => r.startMs)].sort((a, b) => a - b));
  });

  test('--variant keeps one variant; trials without intervals give one line per trial', () => {
    const one = readAll(renderHlog(results, { variantId: 'head/istio' }));
    expect(new Set(one.map((r) => r.tag))).toEqual(new Set(['head/istio']));
    const whole = makeBigResults({ trials: 2, intervals: false });
    const lines = readAll(renderHlog(whole));
    expect(lines).toHaveLength(whole.variants.length * 2);
    expect(lines[0].endMs - lines[0].startMs).toBe(10_000);
    expect(() => renderHlog(results, { variantId: 'head/nope', file: 'r.json' })).toThrow(
      /no variant "head\/nope" in r\.json; variants: base\/none/,
    );
  });

  test('meshgate’s own HdrHistogram-log importer reads it back with the unit inferred as µs', () => {
    const trial = importHdrLog(renderHlog(results, { variantId: 'head/none' }), 'head-none.hlog');
    expect(trial.requests).toBe(trialCount('head/none'));
    expect(trial.latencyMs.p50).toBeCloseTo(
      results.variants.find((v) => v.id === 'head/none')!.latencyMs.p50,
      1,
    );
  });

  const jar =
    process.env.HDRHISTOGRAM_JAR ??
    join(homedir(), '.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar');
  const java = existsSync(jar) && existsSync('/usr/bin/java');
  (java ? test : test.skip)(
    'Java HdrHistogram’s HistogramLogProcessor reads every tag with the same total count',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshgate-hlog-'));
      const file = join(dir, 'all.hlog');
      writeFileSync(file, log);
      const tags = execFileSync(
        'java',
        ['-cp', jar, 'org.HdrHistogram.HistogramLogProcessor', '-i', file, '-listtags'],
        { encoding: 'utf8' },
      );
      for (const variant of results.variants) expect(tags).toContain(variant.id);
      const out = join(dir, 'head-istio');
      execFileSync('java', [
        '-cp',
        jar,
        'org.HdrHistogram.HistogramLogProcessor',
        '-i',
        file,
        '-tag',
        'head/istio',
        '-outputValueUnitRatio',
        '1000',
        '-o',
        out,
      ]);
      const summary = readFileSync(`${out}.hgrm`, 'utf8');
      expect(Number(/Total count\s*=\s*(\d+)/.exec(summary)?.[1])).toBe(trialCount('head/istio'));
    },
  );
});
