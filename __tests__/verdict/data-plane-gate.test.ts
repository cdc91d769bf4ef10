// test-group: unit
/**
 * The data plane's cost as a gate, on synthetic results: head vs base data plane on proxy CPU per
 * 1,000 requests and memory (gate.dataplane, paired per trial like latency), ceilings over no
 * mesh (gate.overhead.cpu / .memory), and the efficiency notes next to latency.
 */
import { describe, expect, it } from '@jest/globals';
import { parseProfileText } from '../../src/profile/load.js';
import { renderHtmlReport } from '../../src/report/html/report.js';
import { parseResults } from '../../src/results/io.js';
import { renderComment } from '../../src/report/comment/comment.js';
import { formatChange, formatLevels } from '../../src/report/format.js';
import { renderVerdictText } from '../../src/report/text.js';
import { decide } from '../../src/verdict/decide.js';
import type { VerdictRow } from '../../src/verdict/schema.js';
import { around, makeResults } from '../__fixtures__/results.js';

const row = (checks: VerdictRow[], id: string) => {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no row ${id} in ${checks.map((c) => c.id).join(', ')}`);
  return found;
};

const GATE = {
  latency: { p99: { maxIncrease: 0.2, minDeltaMs: 0.5 } },
  overhead: {},
  errorRate: { max: 0.001 },
  confidence: 0.95,
  dataPlane: { cpu: { maxIncrease: 0.2, minDelta: 2 }, memory: { maxIncrease: 0.2, minDelta: 4 } },
  overheadResources: { cpu: { max: 60 }, memory: { max: 64 } },
};

/** head/none, base/nginx and head/nginx with per-trial CPU (ms per 1k requests) and memory (MiB). */
function dataPlanes(
  cpu: { base: number[]; head: number[] },
  memory = { base: around(20, 8, 0.01), head: around(20, 8, 0.01, 3) },
) {
  const resources = (c: number[], m: number[]) =>
    c.map((value, i) => ({ cpuMsPer1kRequests: value, memoryMibPeak: m[i] }));
  return makeResults({
    variants: {
      'head/none': { p99Ms: around(1.5, 8, 0.03), p50Ms: around(1.1, 8, 0.02) },
      'base/nginx': {
        p99Ms: around(1.8, 8, 0.03, 1),
        p50Ms: around(1.2, 8, 0.02, 1),
        resources: resources(cpu.base, memory.base),
      },
      'head/nginx': {
        p99Ms: around(1.8, 8, 0.03, 2),
        p50Ms: around(1.2, 8, 0.02, 2),
        resources: resources(cpu.head, memory.head),
      },
    },
    gate: GATE,
  });
}

describe('gate.dataplane: head vs base data plane', () => {
  it('+45% CPU per request is a regression, paired per trial, with the threshold in its unit', () => {
    const base = around(40, 8, 0.03);
    const verdict = decide(
      dataPlanes({ base, head: base.map((v, i) => v * 1.45 * (1 + 0.01 * ((i % 3) - 1))) }),
    );
    const cpu = row(verdict.checks, 'build:head/nginx:proxyCpuMsPer1kRequests');
    expect(cpu).toMatchObject({
      verdict: 'regression',
      gating: true,
      unit: 'ms/1k requests',
      comparedWith: 'base/nginx',
      pairs: 8,
    });
    expect(cpu.threshold).toEqual({
      kind: 'increase',
      maxIncrease: 0.2,
      minDelta: 2,
      minDeltaSource: 'profile',
    });
    expect(cpu.change!).toBeCloseTo(0.45, 1);
    expect(verdict.verdict).toBe('regression');
    expect(verdict.reason).toContain('head/nginx: proxy CPU per 1k requests rose');
  });

  it('A/A: the same data plane twice passes on CPU and memory', () => {
    const verdict = decide(dataPlanes({ base: around(40, 8, 0.05), head: around(40, 8, 0.05, 5) }));
    expect(row(verdict.checks, 'build:head/nginx:proxyCpuMsPer1kRequests').verdict).toBe('pass');
    expect(row(verdict.checks, 'build:head/nginx:proxyMemoryMib').verdict).toBe('pass');
    expect(verdict.verdict).toBe('pass');
  });

  it('a change under min_delta passes even when relatively large', () => {
    const base = around(4, 8, 0.01);
    const verdict = decide(dataPlanes({ base, head: base.map((v) => v * 1.4) })); // +1.6 ms < 2 ms floor
    const cpu = row(verdict.checks, 'build:head/nginx:proxyCpuMsPer1kRequests');
    expect(cpu.verdict).toBe('pass');
    expect(cpu.reason).toMatch(/below the 2.0 ms\/1k requests floor/);
  });

  it('memory +50% is a regression in MiB', () => {
    const verdict = decide(
      dataPlanes(
        { base: around(40, 8), head: around(40, 8, 0.03, 1) },
        { base: around(20, 8, 0.01), head: around(30, 8, 0.01, 2) },
      ),
    );
    expect(row(verdict.checks, 'build:head/nginx:proxyMemoryMib')).toMatchObject({
      verdict: 'regression',
      unit: 'MiB',
    });
  });

  it('without gate.dataplane the rows are reported only', () => {
    const results = dataPlanes({ base: around(40, 8), head: around(80, 8) });
    const verdict = decide(results, {
      gate: { ...GATE, dataPlane: undefined, overheadResources: undefined },
    });
    expect(row(verdict.checks, 'build:head/nginx:proxyCpuMsPer1kRequests')).toMatchObject({
      gating: false,
      verdict: 'info',
    });
  });
});

describe('gate.overhead.cpu / memory: ceilings over no mesh', () => {
  it('passes under the ceiling, fails clearly above it, and is inconclusive when the interval straddles it', () => {
    const under = decide(dataPlanes({ base: around(40, 8), head: around(40, 8) }));
    expect(row(under.checks, 'overhead:head/nginx:proxyCpuMsPer1kRequests:ceiling')).toMatchObject({
      verdict: 'pass',
      threshold: { kind: 'ceiling', max: 60 },
      comparedWith: 'ceiling (none runs no proxy)',
      gating: true,
    });
    const above = decide(dataPlanes({ base: around(40, 8), head: around(80, 8, 0.02) }), {
      gate: { ...GATE, dataPlane: undefined },
    });
    const cpu = row(above.checks, 'overhead:head/nginx:proxyCpuMsPer1kRequests:ceiling');
    expect(cpu.verdict).toBe('regression');
    expect(cpu.reason).toMatch(
      /proxy CPU 80 ms\/1k requests \(CI .*\) is above the 60 ms\/1k requests ceiling/,
    );
    const noisy = [50, 95, 45, 90, 55, 85, 50, 100];
    const straddle = decide(dataPlanes({ base: around(40, 8), head: noisy }), {
      gate: { ...GATE, dataPlane: undefined },
    });
    expect(row(straddle.checks, 'overhead:head/nginx:proxyCpuMsPer1kRequests:ceiling').verdict).toBe(
      'inconclusive',
    );
  });

  it('memory over its ceiling', () => {
    const verdict = decide(
      dataPlanes(
        { base: around(40, 8), head: around(40, 8) },
        { base: around(80, 8, 0.01), head: around(80, 8, 0.01) },
      ),
    );
    expect(row(verdict.checks, 'overhead:head/nginx:proxyMemoryMib:ceiling')).toMatchObject({
      verdict: 'regression',
      unit: 'MiB',
    });
  });
});

describe('efficiency notes', () => {
  it('requests per proxy CPU-second, latency per hop over none, and what head costs', () => {
    const base = around(40, 8, 0.02);
    const results = dataPlanes({ base, head: base.map((v) => v * 1.42) });
    (results.profile as Record<string, unknown>).mesh = [
      { id: 'none', name: 'none' },
      {
        id: 'nginx',
        name: 'nginx',
        hops: 1,
        builds: {
          base: { field: 'mesh[1].builds.base' },
          head: { include: '/repo/f/<b>gzip.conf', field: 'x' },
        },
      },
    ];
    const verdict = decide(results);
    const notes = verdict.notes;
    expect(notes).toContain(
      'Data-plane builds of nginx: base/nginx runs the stock config, head/nginx runs include _b_gzip.conf, in front of the same application build.',
    );
    const efficiency = notes.find((n) => n.startsWith('Efficiency of head/nginx'))!;
    expect(efficiency).toMatch(
      /^Efficiency of head\/nginx: 17,\d{3} requests per proxy CPU-second \(5\d\.\d\d ms CPU per 1,000 requests\); \+0\.\d{3} ms p50 and \+0\.\d{3} ms p99 per hop over none \(1 hop\)\.$/,
    );
    // The figures a note quotes are its rows' own: after − before at the levels' digits, the change.
    const row = (comparison: string, metric: string) =>
      verdict.checks.find(
        (c) => c.comparison === comparison && c.variant === 'head/nginx' && c.metric === metric,
      )!;
    const delta = (check: VerdictRow) => {
      const [before, after] = formatLevels(check).replace(/ ms$/, '').split(' → ').map(Number);
      return `${after >= before ? '+' : '−'}${Math.abs(after - before).toFixed(3)} ms`;
    };
    expect(efficiency).toContain(
      `${delta(row('overhead', 'p50'))} p50 and ${delta(row('overhead', 'p99'))} p99 per hop`,
    );
    const cpu = row('build', 'proxyCpuMsPer1kRequests');
    const memory = row('build', 'proxyMemoryMib');
    expect(formatChange(cpu)).toBe('+42.0%');
    expect(notes.find((n) => n.startsWith('head/nginx against base/nginx'))).toBe(
      `head/nginx against base/nginx: head costs ${delta(row('build', 'p99'))} p99 and ${formatChange(cpu)} CPU per request (${formatChange(memory)} memory).`,
    );
  });
});

describe('rendered', () => {
  it('ceiling and data-plane rows read in their units in the comment, the terminal and the HTML report', () => {
    const results = dataPlanes({ base: around(40, 8), head: around(80, 8, 0.02) });
    const verdict = decide(results);
    const markdown = renderComment(results, verdict);
    expect(markdown).toContain('≤ 60 ms/1k requests');
    expect(markdown).toContain('+20%, ≥ 2 ms/1k requests');
    expect(markdown).toContain('≤ 64 MiB');
    expect(renderVerdictText(verdict)).toContain('≤ 60 ms/1k'); // cut to fit 100 columns
    expect(renderHtmlReport(results, verdict)).toMatch(/≤ 60(\.0)? ms\/1k requests/);
  });
});

describe('hostile gates', () => {
  it('a results file whose embedded data-plane gate is unusable is refused naming the field', () => {
    const results = dataPlanes({ base: around(40, 8), head: around(40, 8) });
    (results.profile.gate as Record<string, unknown>).overheadResources = { cpu: { max: -5 } };
    expect(() => parseResults(JSON.stringify(results), 'r.json')).toThrow(
      'r.json: profile.gate.overheadResources.cpu.max',
    );
    (results.profile.gate as Record<string, unknown>).overheadResources = undefined;
    (results.profile.gate as Record<string, unknown>).dataPlane = { cpu: { maxIncrease: 'x', minDelta: 1 } };
    expect(() => parseResults(JSON.stringify(results), 'r.json')).toThrow(
      'r.json: profile.gate.dataPlane.cpu.maxIncrease',
    );
  });

  it('a zero ceiling in a profile is exit 2', () => {
    expect(() => parseProfileText('name: z\ngate: { overhead: { cpu: { max: 0 } } }', 'p.yaml')).toThrow(
      'p.yaml: gate.overhead.cpu.max: expected a CPU time > 0, like 40ms',
    );
  });
});
