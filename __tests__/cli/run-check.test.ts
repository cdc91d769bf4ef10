import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseResults } from '../../src/results/io.js';
import { nodeArgsFor } from '../../src/util/entry.js';
import { runCli } from '../helpers/cli.js';
import { descendants, isAlive } from '../helpers/procfs.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const twoBuilds = (trials: number, duration: string) => `name: cli-test
workload:
  builds:
    base: { sample: echo, delay: 2ms }
    head: { sample: echo, delay: 2ms }
load: { rps: 100, connections: 2, duration: ${duration}, warmup: 200ms }
trials: ${trials}
max_trials: ${trials}
`;

describe('meshgate run and check', () => {
  test('run writes results that check and the zod reader accept', async () => {
    const profile = join(dir, 'p.yaml');
    const out = join(dir, 'results.json');
    await writeFile(profile, twoBuilds(2, '700ms'));
    const run = await runCli(['run', profile, '--out', out]);
    expect(run.stderr).toContain('trial 4/4');
    expect(run.code).toBe(0);
    const results = parseResults(await readFile(out, 'utf8'), out);
    expect(results.variants.map((v) => v.id)).toEqual(['base/none', 'head/none']);
    expect(results.variants.every((v) => v.trials.length === 2)).toBe(true);
    expect(results.variants[0].trials.map((t) => t.sequence)).toEqual([0, 3]);

    const verdictFile = join(dir, 'verdict.json');
    const markdownFile = join(dir, 'comment.md');
    const check = await runCli(['check', out, '--json', verdictFile, '--markdown', markdownFile]);
    expect([0, 1]).toContain(check.code);
    const verdict = JSON.parse(await readFile(verdictFile, 'utf8'));
    expect(verdict.schema).toBe('meshgate/verdict@1');
    expect(check.code).toBe(verdict.verdict === 'regression' ? 1 : 0);
    expect((await readFile(markdownFile, 'utf8')).length).toBeGreaterThan(100);

    // A baseline from another profile compares different experiments: said, not silently used.
    const foreign = join(dir, 'foreign.json');
    await writeFile(foreign, JSON.stringify({ ...results, profile: { ...results.profile, name: 'other' } }));
    const mixed = await runCli(['check', out, '--baseline', foreign]);
    expect(mixed.stderr).toContain(
      `warning: --baseline ${foreign}: it holds results of profile "other", not "cli-test"; the cross-job rows compare different experiments`,
    );
  });

  test.each([
    ['truncated', '{"schema": "meshgate/results@1", "variants": [', 'not valid JSON'],
    ['foreign', '{"RunType": "HTTP", "ActualQPS": 10}', 'schema: expected "meshgate/results@1", got nothing'],
    ['incomplete', '{"schema": "meshgate/results@1", "variants": []}', 'createdAt'],
  ])('check rejects a %s results file with exit 2 naming the file', async (label, text, message) => {
    const file = join(dir, `${label}.json`);
    await writeFile(file, text);
    const check = await runCli(['check', file]);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(file);
    expect(check.stderr).toContain(message);
    expect(check.stderr).not.toMatch(/\n\s+at /);
  });

  test('bad arguments are exit 2', async () => {
    expect((await runCli(['run'])).code).toBe(2);
    expect((await runCli(['run', 'profiles/smoke.yaml', '--platform', 'mars'])).stderr).toContain(
      '--platform: expected one of local, kind, kubernetes, got "mars"',
    );
    expect((await runCli(['check', 'a.json', '--colour'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  test('SIGINT mid-trial stops the run and every process it started', async () => {
    const profile = join(dir, 'long.yaml');
    await writeFile(profile, twoBuilds(4, '20s'));
    const child = spawn(
      process.execPath,
      [...nodeArgsFor('cli'), 'run', profile, '--out', join(dir, 'never.json')],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!stderr.includes('trial 1/') && Date.now() < deadline) await sleep(100);
    expect(stderr).toContain('trial 1/');
    await sleep(500); // inside the first trial
    const started = descendants(child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(2); // two sample servers at least
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT received');
    await sleep(200);
    expect(started.filter(isAlive)).toEqual([]);
  });
});
