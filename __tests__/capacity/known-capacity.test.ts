/**
 * A capacity profile against sample servers of known capacity: one request in service at a time,
 * 2 ms each (500 requests per second) as the base build and 3 ms each (333) as the head. The
 * search must find each within its stated precision, keep every step's trial, and the gate must
 * call the head's loss of a third a regression — through the CLI, as a user runs it.
 *
 * The SLO is on p90, not p99: above capacity the queue grows without bound, so any percentile
 * finds the boundary sharply (at 2% over capacity p90 passes 25 ms within the 1.5 s of a step),
 * while a shared machine's pauses, which the test cannot control, land in p99 first.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseResults } from '../../src/results/io.js';
import { parseVerdictText } from '../../src/verdict/schema.js';
import { runCli } from '../helpers/cli.js';

const PRECISION = 0.05;
/**
 * The servers' capacities are 500 and 333 requests per second only while the machine can run
 * them: with more than 3 runnable processes per CPU (measured here: load 11–18 on 2 CPUs while
 * other suites ran), scheduling delays of 50–150 ms make the machine, not the servers, the
 * bottleneck, and the search rightly finds a lower capacity. The test then says so and does not
 * run, rather than report the machine as a failure of the search.
 */
const OVERLOADED = loadavg()[0] > 3 * availableParallelism();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-capacity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('capacity search against a server of known capacity', () => {
  (OVERLOADED ? test.skip : test)('finds 500 and 333 requests/s within the precision; the gate sees the regression', async () => {
    const profile = join(dir, 'known.yaml');
    await writeFile(
      profile,
      `name: capacity-known
workload:
  builds:
    base: { sample: echo, delay: 2ms, concurrency: 1 }
    head: { sample: echo, delay: 3ms, concurrency: 1 }
load:
  duration: 1s
  warmup: 500ms
  connections: 16
  threads: 1
  capacity:
    slo: { p90: 25ms, errors: 0.1% }
    min_rps: 100
    max_rps: 1000
    precision: ${PRECISION * 100}%
    max_time: 90s
gate:
  capacity: { max_decrease: 10% }
`,
    );
    const out = join(dir, 'results.json');
    const run = await runCli(['run', profile, '--out', out, '-q'], { timeoutMs: 150_000 });
    // stderr is in the object so that a failure shows it.
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const results = parseResults(await readFile(out, 'utf8'), out);
    const known: Record<string, number> = { 'base/none': 500, 'head/none': 1000 / 3 };
    for (const variant of results.variants) {
      const capacity = variant.capacity!;
      const truth = known[variant.id];
      expect(capacity.stop).toBe('precision');
      // The highest rate that held is within the stated precision of the true capacity …
      expect(Math.abs(capacity.lowerRps! / truth - 1)).toBeLessThanOrEqual(PRECISION);
      // … and the search's own bracket is as narrow as asked.
      expect(capacity.precision!).toBeLessThanOrEqual(PRECISION);
      // Every trial belongs to one step, at that step's rate; none is left out.
      const listed = capacity.steps.flatMap((step) => step.trials);
      expect([...listed].sort((a, b) => a - b)).toEqual(variant.trials.map((t) => t.index));
      for (const step of capacity.steps)
        for (const index of step.trials) expect(variant.trials[index].requestedRps).toBe(step.rps);
    }

    const verdictFile = join(dir, 'verdict.json');
    const comment = join(dir, 'comment.md');
    const check = await runCli(['check', out, '--json', verdictFile, '--markdown', comment]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('Capacity at the SLO (p90 ≤ 25 ms, errors ≤ 0.1%)');
    const verdict = parseVerdictText(await readFile(verdictFile, 'utf8'), verdictFile);
    expect(verdict.verdict).toBe('regression');
    expect(verdict.checks).toEqual([
      expect.objectContaining({ id: 'build:head/none:capacityRps', verdict: 'regression', comparedWith: 'base/none' }),
    ]);
    expect(verdict.capacity?.variants.map((v) => v.variant)).toEqual(['base/none', 'head/none']);
    const markdown = await readFile(comment, 'utf8');
    expect(markdown).toContain('### Capacity at the SLO: p90 ≤ 25 ms, errors ≤ 0.1%');
    expect(markdown).toContain('**Capacity, head vs base**');
    expect(markdown).toContain('| ❌ regression | head/none vs base/none |');

    const html = join(dir, 'report.html');
    expect((await runCli(['report', out, '--html', html])).code).toBe(0);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<section id="capacity">');
    expect(page).toContain('data-plot="capacity-steps"');
  }, 180_000);
});
