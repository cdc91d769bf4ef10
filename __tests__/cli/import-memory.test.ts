// `meshgate import` keeps memory in proportion to the log (the bundled CLI, peak RSS from GNU
// time): an HdrHistogram log of 10,000 one-second intervals (1.3 MB) used to keep each interval
// decoded, ~140 KB of counts apiece (1.4 GB at the peak); now each is decoded when it is added.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import * as hdr from 'hdr-histogram-js';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, runBounded, type BundledCli } from '../helpers/cli-bundle.js';

let dir: string;
let cli: BundledCli;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-import-memory-'));
  cli = await bundleCli();
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const INTERVALS = 10_000;
/** Peak resident memory allowed: Node itself takes ~60 MB, the log and the results a few tens. */
const MAX_RSS_MB = 400;

test(`import of ${INTERVALS} intervals stays under ${MAX_RSS_MB} MB`, async () => {
  // A jHiccup-like log: values in ns over a 1 ns … 1 h range, 200 values per interval.
  const histogram = hdr.build({
    bitBucketSize: 64,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (let i = 0; i < 200; i++) histogram.recordValue(1_000_000 + i * 37_000);
  const encoded = hdr.encodeIntoCompressedBase64(histogram);
  const maxMs = (histogram.maxValue / 1e6).toFixed(3);
  const lines = [
    '#[StartTime: 1700000000.000 (seconds since epoch)]',
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
  ];
  for (let i = 0; i < INTERVALS; i++) lines.push(`${i}.000,1.000,${maxMs},${encoded}`);
  const log = join(dir, 'big.hlog');
  await writeFile(log, `${lines.join('\n')}\n`);
  const out = join(dir, 'results.json');
  const run = await runBounded(cli.script, ['import', log, '--out', out, '--variant', 'head/none'], {
    timeoutMs: 120_000,
    heapMb: 512,
  });
  expect({ code: run.code, stderr: run.stderr.slice(-500) }).toMatchObject({ code: 0 });
  const results = JSON.parse(await readFile(out, 'utf8'));
  expect(results.variants[0].trials[0].requests).toBe(200 * INTERVALS);
  if (run.maxRssKb === undefined || !existsSync('/usr/bin/time')) {
    console.warn('peak memory not measured: GNU time (/usr/bin/time) is not installed');
    return;
  }
  console.log(
    `import of ${INTERVALS} intervals: peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MB in ${run.ms} ms`,
  );
  expect(run.maxRssKb / 1024).toBeLessThan(MAX_RSS_MB);
}, 180_000);
