import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { parseResults } from '../../src/results/io.js';
import type { Trial } from '../../src/results/schema.js';
import { fileURLToPath } from 'node:url';
import { copyFile, mkdir } from 'node:fs/promises';
import { runCli } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../__fixtures__/external', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-import-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every (value bucket, count) of an encoded histogram. */
function buckets(encoded: string): string[] {
  const histogram = hdr.decodeFromCompressedBase64(encoded, 64, false) as hdr.JsHistogram;
  const out: string[] = [];
  const iterator = histogram.recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    out.push(`${histogram.lowestEquivalentValue(step.valueIteratedTo)}:${step.countAtValueIteratedTo}`);
  }
  return out;
}

const trialShape = (trial: Trial) => ({
  sequence: trial.sequence,
  requests: trial.requests,
  histogram: buckets(trial.histogram),
  intervals: (trial.intervals ?? []).map((i) => [i.startOffsetMs, buckets(i.histogram)]),
});

describe('meshgate import', () => {
  test('run → export --hlog → import keeps every histogram count, trial and pairing', async () => {
    const profile = join(dir, 'p.yaml');
    await writeFile(
      profile,
      `name: round-trip
workload:
  builds:
    base: { sample: echo, delay: 1ms }
    head: { sample: echo, delay: 1ms }
load: { rps: 200, connections: 2, duration: 1500ms, warmup: 200ms }
trials: 2
max_trials: 2
`,
    );
    const original = join(dir, 'results.json');
    expect((await runCli(['run', profile, '--out', original, '-q'])).code).toBe(0);
    const log = join(dir, 'run.hlog');
    expect((await runCli(['export', original, '--hlog', log])).code).toBe(0);
    const imported = join(dir, 'imported.json');
    const run = await runCli(['import', log, '--out', imported, '--profile', profile]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/full: HdrHistogram intervals/);

    const before = parseResults(await readFile(original, 'utf8'), original);
    const after = parseResults(await readFile(imported, 'utf8'), imported);
    expect(after.variants.map((v) => v.id)).toEqual(before.variants.map((v) => v.id));
    for (const variant of before.variants) {
      const copy = after.variants.find((v) => v.id === variant.id)!;
      expect(copy.trials.map(trialShape)).toEqual(variant.trials.map(trialShape));
      expect(copy.trials.some((t) => (t.intervals ?? []).length > 1)).toBe(true);
    }
    const smpFile = join(dir, 'smp.json');
    const smp = await runCli(['export', imported, '--smp', smpFile, '--variant', 'head/none']);
    expect(smp.code).toBe(0);
    const document = JSON.parse(await readFile(smpFile, 'utf8'));
    expect(document.results.map((r: { variant: string }) => r.variant)).toEqual(['head/none']);
    expect(document.results[0].performance_test_result.latencies_ms.p99).toBeCloseTo(
      after.variants.find((v) => v.id === 'head/none')!.latencyMs.p99,
      6,
    );

    const check = await runCli(['check', imported]);
    expect(check.stdout).toMatch(/head\/none vs base\/none[\s\S]*\bp99\b/);
    expect([0, 1]).toContain(check.code);
  }, 90_000);

  test('a profile with import_results: meshgate run gates the files instead of running load', async () => {
    await mkdir(join(dir, 'runs'), { recursive: true });
    await copyFile(join(FIXTURES, 'nighthawk/output.json'), join(dir, 'runs', 'base.json'));
    await copyFile(join(FIXTURES, 'fortio/http-post-result.json'), join(dir, 'runs', 'head.json'));
    await copyFile(join(FIXTURES, 'hdrhistogram/jHiccup-2.0.7S.logV2.hlog'), join(dir, 'runs', 'istio.hlog'));
    const profile = join(dir, 'imported.yaml');
    await writeFile(
      profile,
      `name: from-files
import_results:
  - { file: runs/base.json, variant: base/none }
  - { file: runs/head.json, variant: head/none }
  - { file: runs/istio.hlog, variant: head/istio }
gate:
  error_rate: { max: 1% }
`,
    );
    const out = join(dir, 'from-files.json');
    const run = await runCli(['run', profile, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/importing .*runs\/base\.json as base\/none/);
    const results = parseResults(await readFile(out, 'utf8'), out);
    expect(results.profile.name).toBe('from-files');
    expect(results.variants.map((v) => [v.id, v.trials[0].requests])).toEqual([
      ['base/none', 4],
      ['head/none', 4],
      ['head/istio', 48761],
    ]);
    expect(JSON.stringify((results.profile as { gate?: unknown }).gate)).toContain('0.01');
    const check = await runCli(['check', out]);
    expect(check.stdout).toMatch(/head\/none vs base\/none[\s\S]*\bp99\b/);
    expect(check.stdout).toMatch(/head\/istio vs head\/none/);
  }, 60_000);

  test.each([
    [['import', 'missing.json', '--variant', 'head/none', '--out', 'x.json'], /missing\.json: cannot read/],
    [['import', 'p.yaml', '--variant', 'head/none', '--out', 'x.json'], /p\.yaml: not a fortio JSON result/],
    [['import', 'p.yaml', '--variant', 'head/none'], /--out FILE is required/],
    [['export', 'p.yaml'], /--hlog FILE or --smp FILE is required/],
  ])('exit 2 with one line naming the file or option: %j', async (args, message) => {
    const run = await runCli(args as string[], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
