// Imported fortio results keep fortio's own percentiles (issue #34 item 7): twelve files of
// ~60,000 requests each once gave every base trial the same p50 (CV 0.0%, an interval
// "+11.8 … +11.8") because each bucket was spread over 64 points only, while fortio's own
// interpolated percentiles moved from file to file. Files are built here the way fortio writes
// them: its default bucket edges, counts per bucket, and its percentiles interpolated linearly
// inside a bucket (fortio's stats.go: Start + (End − Start) × (rank − count before) / count).
import { expect, test } from '@jest/globals';
import { importFortio } from '../../src/interop/formats/fortio/reader.js';
import { coefficientOfVariation } from '../../src/stats/descriptive.js';

const EDGES_MS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 200,
];

/** A deterministic pseudo-random latency sample around `medianMs` (log-normal, σ = 0.25). */
function sample(medianMs: number, n: number, seed: number): number[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 || 1e-9;
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    return medianMs * Math.exp(0.25 * z);
  });
}

function fortioFile(valuesMs: number[]) {
  const data = EDGES_MS.slice(0, -1)
    .map((start, i) => ({
      Start: start / 1000,
      End: EDGES_MS[i + 1] / 1000,
      Count: valuesMs.filter((v) => v >= start && v < EDGES_MS[i + 1]).length,
    }))
    .filter((bucket) => bucket.Count > 0);
  const percentile = (p: number) => {
    const target = (valuesMs.length * p) / 100;
    let before = 0;
    for (const bucket of data) {
      if (before + bucket.Count >= target)
        return bucket.Start + ((bucket.End - bucket.Start) * (target - before)) / bucket.Count;
      before += bucket.Count;
    }
    return data[data.length - 1].End;
  };
  return {
    json: {
      StartTime: '2026-01-01T00:00:00Z',
      RequestedQPS: '1000',
      ActualQPS: 1000,
      ActualDuration: 60e9,
      DurationHistogram: {
        Count: valuesMs.length,
        Data: data,
        Percentiles: [{ Percentile: 50, Value: percentile(50) }],
      },
      RetCodes: { '200': valuesMs.length },
    },
    fortioP50Ms: percentile(50) * 1000,
  };
}

test('each file’s p50 is fortio’s own, so trials differ as fortio’s do (no CV of 0)', () => {
  const files = [0, 1, 2, 3, 4, 5].map((i) => fortioFile(sample(12, 60_000, 100 + i)));
  const ours = files.map((file, i) => importFortio(file.json, `base-${i}.json`).latencyMs.p50);
  const theirs = files.map((file) => file.fortioP50Ms);
  // Within the histogram's own precision (3 significant digits) plus fortio's rank rounding.
  for (const [i, value] of ours.entries()) expect(Math.abs(value / theirs[i] - 1)).toBeLessThan(0.002);
  // fortio's p50s differ between these files by ~0.1%; so must ours.
  expect(coefficientOfVariation(theirs)).toBeGreaterThan(0.0003);
  expect(new Set(ours.map((v) => v.toFixed(3))).size).toBeGreaterThan(1);
  expect(coefficientOfVariation(ours)).toBeGreaterThan(0.0003);
});

test('the comment and the report say, where the rows are read, that fortio’s buckets are coarse', async () => {
  const { importedResults } = await import('../../src/interop/import-results.js');
  const { decide } = await import('../../src/verdict/decide.js');
  const { renderComment } = await import('../../src/report/comment/comment.js');
  const { renderHtmlReport } = await import('../../src/report/html/report.js');
  const sources = [0, 1, 2].flatMap((i) =>
    (['base', 'head'] as const).map((side) => {
      const file = `${side}-${i}.json`;
      const { json } = fortioFile(
        sample(side === 'base' ? 12 : 13.6, 2_000, (side === 'base' ? 100 : 200) + i),
      );
      return {
        file,
        format: 'fortio' as const,
        precision: 'coarse',
        groups: [{ tag: '', trials: [importFortio(json, file)] }],
      };
    }),
  );
  const results = importedResults(sources, {
    variants: [0, 1, 2].flatMap(() => ['base/none', 'head/none']),
  });
  const verdict = decide(results);
  const comment = renderComment(results, verdict);
  const note = /^> Imported from fortio \(6 files\): fortio keeps only coarse histogram buckets/m;
  expect(comment).toMatch(note);
  // Not inside a collapsed section: every <details> opened before the note is closed before it.
  const before = comment.slice(0, comment.search(note));
  expect(before.split('<details>').length).toBe(before.split('</details>').length);
  const html = renderHtmlReport(results, verdict);
  expect(html).toMatch(/class="sub">[^<]*imported from 6 file\(s\): fortio, coarse buckets/);
  expect(html).toContain('Imported from fortio (6 files)');
});
