// test-group: unit
/**
 * Every surface of each kind of run, byte for byte: the PR comment, the terminal (verdict table
 * and variant table, at 100 columns) and the HTML report, for a latency run, a data plane that
 * failed on proxy CPU, a capacity search and an import of other tools' files; and the trend's
 * summary and terminal text (issue #34). A
 * change to any renderer shows here as a diff to review; a missing golden fails (never writes
 * itself): UPDATE_GOLDENS=1 NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/report/surfaces.test.ts
 *
 * The import's inputs are real fortio and Nighthawk output (__fixtures__/external); the others
 * are the deterministic builders the report tests share. Results of real runs of each shipped
 * profile kind would be better inputs still; none is recorded in the repository yet.
 */
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { relative, resolve } from 'node:path';
import { judge } from '../../src/gate.js';
import { importedResults } from '../../src/interop/import-results.js';
import { readSource } from '../../src/interop/read-source.js';
import { renderComment } from '../../src/report/comment/comment.js';
import { renderHtmlReport } from '../../src/report/html/report.js';
import { renderTrendMarkdown } from '../../src/report/trend-markdown.js';
import { renderTrendText } from '../../src/report/trend-text.js';
import { renderVariantSummary } from '../../src/report/variant-summary.js';
import { createRandom } from '../../src/stats/prng.js';
import { analyseTrend } from '../../src/trend/analyse.js';
import type { HistoryEntry } from '../../src/trend/series.js';
import { parseResults } from '../../src/results/io.js';
import type { Results } from '../../src/results/schema.js';
import { makeBigResults } from '../__fixtures__/big-results.js';
import { makeCapacityResults } from '../__fixtures__/capacity.js';
import { around, makeResults } from '../__fixtures__/results.js';
import { expectGolden } from '../helpers/golden.js';

const OUTPUTS = resolve('__tests__/__outputs__/surfaces');
// Relative to the checkout (jest runs there), so the goldens do not carry where it was cloned.
const EXTERNAL = relative(process.cwd(), fileURLToPath(new URL('../__fixtures__/external', import.meta.url)));

function dataPlane(): Results {
  const base = around(40, 8, 0.03);
  const head = base.map((v, i) => v * 1.45 * (1 + 0.01 * ((i % 3) - 1)));
  const memory = around(20, 8, 0.01);
  const resources = (cpu: number[]) =>
    cpu.map((value, i) => ({ cpuMsPer1kRequests: value, memoryMibPeak: memory[i] }));
  return makeResults({
    histograms: true,
    variants: {
      'base/nginx': {
        p99Ms: around(1.8, 8, 0.03, 1),
        p50Ms: around(1.2, 8, 0.02, 1),
        resources: resources(base),
      },
      'head/nginx': {
        p99Ms: around(1.8, 8, 0.03, 2),
        p50Ms: around(1.2, 8, 0.02, 2),
        resources: resources(head),
      },
    },
    gate: {
      p99: { maxIncrease: 0.1, minDelta: 0.05 },
      overhead: {},
      errorRate: { max: 0.001 },
      confidence: 0.95,
      dataPlane: { cpu: { maxIncrease: 0.2, minDelta: 2 }, memory: { maxIncrease: 0.2, minDelta: 4 } },
    },
  });
}

function imported(): Results {
  const base = readSource(`${EXTERNAL}/nighthawk/output.json`);
  const head = readSource(`${EXTERNAL}/fortio/http-post-result.json`);
  // Through JSON and the reader, as `meshgate check` reads the file `import` wrote.
  const results = importedResults([head, base, head, base], {
    variants: ['head/none', 'base/none', 'head/none', 'base/none'],
  });
  // The import stamps the time it ran; a golden needs a fixed one.
  return parseResults(JSON.stringify({ ...results, createdAt: '2026-01-01T00:00:00.000Z' }), 'results.json');
}

const KINDS: Array<[string, () => Results]> = [
  ['latency', () => makeBigResults({ meshes: ['none', 'istio'], trials: 4 })],
  ['data-plane', dataPlane],
  [
    'capacity',
    () =>
      makeCapacityResults(
        {
          'base/none': { capacityRps: 500 },
          'head/none': { capacityRps: 333 },
          'head/nginx': { capacityRps: 300, millicoresPerKrps: 400 },
        },
        { overheadCapacity: { maxDecrease: 0.4 } },
      ),
  ],
  ['import', imported],
];

describe.each(KINDS)('the %s run', (kind, make) => {
  const results = make();
  const { verdict, text } = judge(results);

  it('comment', () => {
    expectGolden(resolve(OUTPUTS, `${kind}.comment.md`), renderComment(results, verdict));
  });

  it('terminal, within 100 columns', () => {
    const terminal = `${renderVariantSummary(results)}\n\n${text}`;
    expect(terminal.split('\n').filter((line) => Array.from(line).length > 100)).toEqual([]);
    expectGolden(resolve(OUTPUTS, `${kind}.terminal.txt`), terminal);
  });

  it('HTML report', () => {
    const html = renderHtmlReport(results, verdict);
    // The same input renders the same bytes: nothing of the clock or the machine leaks in.
    expect(renderHtmlReport(results, verdict)).toBe(html);
    expectGolden(resolve(OUTPUTS, `${kind}.report.html`), html);
  });
});

/**
 * The trend of main's baselines (`meshgate trend`): 30 jobs on runners ±15% apart, the mesh's
 * overhead stepping +12% at the 19th (as __tests__/trend/trend.test.ts builds it).
 */
function trendHistory(): HistoryEntry[] {
  const random = createRandom(1);
  return Array.from({ length: 30 }, (_, i) => {
    const runner = Math.exp(0.15 * random.normal());
    const trials = (level: number) =>
      Array.from({ length: 4 }, () => level * runner * Math.exp(0.03 * random.normal()));
    const overhead = i >= 18 ? 1.6 * 1.12 : 1.6;
    const results = makeResults({
      variants: { 'head/none': { p99Ms: trials(2) }, 'head/istio': { p99Ms: trials(2 * overhead) } },
      createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      sha: `c0ffee${i}`,
    });
    return { file: `baseline-${i}.json`, results };
  });
}

describe('the trend', () => {
  const report = analyseTrend(trendHistory());

  it('markdown (the job summary)', () => {
    expectGolden(resolve(OUTPUTS, 'trend.summary.md'), renderTrendMarkdown(report));
  });

  it('terminal, within 100 columns', () => {
    const text = renderTrendText(report);
    for (const line of text.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(100);
    expectGolden(resolve(OUTPUTS, 'trend.terminal.txt'), text);
  });
});
