import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTrendMarkdown } from '../../src/report/trend-markdown.js';
import { renderTrendText } from '../../src/report/trend-text.js';
import type { Results } from '../../src/results/schema.js';
import { createRandom } from '../../src/stats/prng.js';
import { analyseTrend } from '../../src/trend/analyse.js';
import { readHistory } from '../../src/trend/history.js';
import type { HistoryEntry } from '../../src/trend/series.js';
import { runCli } from '../helpers/cli.js';
import { makeResults } from '../__fixtures__/results.js';

/**
 * A history of main: each baseline one job on a runner that is uniformly faster or slower
 * (±15% between jobs, log-normal), 4 trials per variant with 3% noise inside the job, the mesh
 * costing `overhead(i)` on top of the application.
 */
function history(count: number, overhead: (i: number) => number, seed: number, sha = (i: number) => `c0ffee${i}`): HistoryEntry[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const runner = Math.exp(0.15 * random.normal());
    const trials = (level: number) => Array.from({ length: 4 }, () => level * runner * Math.exp(0.03 * random.normal()));
    const results = makeResults({
      variants: { 'head/none': { p99Ms: trials(2) }, 'head/istio': { p99Ms: trials(2 * overhead(i)) } },
      createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      sha: sha(i),
    });
    return { file: `baseline-${i}.json`, results };
  });
}

const stepAt = (position: number, size: number) => (i: number) => (i >= position ? 1.6 * (1 + size) : 1.6);

describe('meshgate trend', () => {
  test('one step of +12% in the mesh overhead: found at its commit, and no other', () => {
    const report = analyseTrend(history(30, stepAt(18, 0.12), 1));
    const istio = report.series.find((s) => s.variant === 'head/istio')!;
    expect(istio.normalisedBy).toBe('head/none');
    expect(istio.steps.map((s) => [s.at.position, s.at.sha, s.previous.sha])).toEqual([[18, 'c0ffee18', 'c0ffee17']]);
    expect(istio.steps[0].relativeChange).toBeGreaterThan(0.09);
    expect(istio.steps[0].relativeChange).toBeLessThan(0.15);
    // The raw series carries ±15% runner noise between jobs and no step.
    const none = report.series.find((s) => s.variant === 'head/none')!;
    expect(none.normalisedBy).toBeUndefined();
    expect(none.steps).toEqual([]);
  });

  test('a flat noisy history: no step in any series', () => {
    const report = analyseTrend(history(30, () => 1.6, 2));
    expect(report.series.map((s) => [s.variant, s.steps.length])).toEqual([
      ['head/none', 0],
      ['head/istio', 0],
    ]);
    expect(renderTrendText(report)).toContain('no step: the series is flat within its noise');
  });

  test('a mesh variant in jobs without its no-mesh variant: nothing to divide by, said so', () => {
    const entries = history(30, stepAt(18, 0.12), 1);
    const rawOnly = entries.map(({ file, results }) => ({
      file,
      results: { ...results, variants: results.variants.filter((v) => v.id === 'head/istio') } as Results,
    }));
    const [series] = analyseTrend(rawOnly).series;
    expect(series.normalisedBy).toBe('head/none');
    expect(series.points).toHaveLength(0);
    expect(series.skipped).toMatch(/0 baseline\(s\); at least 6 are needed/);
  });

  test('text chart marks the step; markdown shows strings from files inertly', () => {
    const report = analyseTrend(history(30, stepAt(18, 0.12), 1, (i) => (i === 18 ? '@admin <img src=x> [x](http://e)' : `c0ffee${i}`)));
    const text = renderTrendText(report);
    const chart = text.slice(text.indexOf('head/istio ÷')).split('\n');
    const marker = chart.find((line) => line.includes('▲'))!;
    const axis = chart.find((line) => line.includes('└'))!;
    expect(marker.indexOf('▲')).toBe(axis.indexOf('└') + 1 + 18);
    // Wrapped at 100 columns: the step's sentence may continue on the next line.
    expect(text).toMatch(/step at baseline 19\/30 [\s\S]*\+1\d\.\d%,\s+slower\),\s+p = 0\.00\d/);
    for (const line of text.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(100);
    const markdown = renderTrendMarkdown(report);
    expect(markdown).not.toMatch(/<img|\]\(http|@admin/);
    expect(markdown).toContain('@&#8203;admin');
    expect(markdown).toContain('**1 of 2 series stepped.**');
  });
});

describe('meshgate trend: reading baselines', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshgate-trend-'));
    const entries = history(12, stepAt(6, 0.3), 3);
    // Artifacts unpack into folders; names out of order; a verdict file among them.
    for (const [i, { results }] of entries.entries()) {
      await mkdir(join(dir, `run-${11 - i}`));
      await writeFile(join(dir, `run-${11 - i}`, 'results.json'), JSON.stringify(results));
    }
    await writeFile(join(dir, 'verdict.json'), '{"schema": "meshgate/verdict@1"}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a directory: results found a few levels down, ordered by creation, other JSON skipped', async () => {
    const skipped: string[] = [];
    const entries = await readHistory([dir], (line) => skipped.push(line));
    expect(entries.map((e) => e.results.environment.git?.sha)).toEqual(Array.from({ length: 12 }, (_, i) => `c0ffee${i}`));
    expect(skipped).toEqual([expect.stringMatching(/verdict\.json: not a meshgate results file/)]);
  });

  test('the CLI: a step found in a directory, markdown and JSON written; bad input is exit 2', async () => {
    const markdown = join(dir, 'trend.md');
    const json = join(dir, 'trend.out');
    const run = await runCli(['trend', dir, '--markdown', markdown, '--json', json]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/head\/istio ÷ head\/none, p99 ratio/);
    expect(run.stdout).toMatch(/step at baseline 7\/12 \(c0ffee6/);
    expect(JSON.parse(await readFile(json, 'utf8')).schema).toBe('meshgate/trend@1');
    expect(await readFile(markdown, 'utf8')).toMatch(/1 of 2 series stepped/);
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"schema": "meshgate/results@1", "variants": []}');
    const bad = await runCli(['trend', join(dir, 'run-0', 'results.json'), broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.json/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const metric = await runCli(['trend', dir, '--metric', 'p42']);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toMatch(/--metric: expected one of p50, p90, p99, p999, got "p42"/);
  }, 60_000);
});
