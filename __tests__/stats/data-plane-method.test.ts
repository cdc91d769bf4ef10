// test-group: unit
// Which method judged a customised data plane, said in the verdict: same job for data-plane
// builds; cross-job for a cluster mesh's mesh-wide install values, whose cross-job rows then gate
// even when other rows of the run compared head with base in the same job.
import { describe, expect, it } from '@jest/globals';
import type { Results } from '../../src/results/schema.js';
import { decide } from '../../src/verdict/decide.js';
import { around, makeResults } from '../__fixtures__/results.js';

const sample = { kind: 'sample', sample: 'echo', delayMs: 10, jitterMs: 0, responseBytes: 64 };
const app = { kind: 'image', image: 'app:head', port: 8080 };

/**
 * A kind job: calibration server (base), the app (head, as fast: its same-job row passes), and
 * Istio in front of the app, `istioFactor` × none.
 */
function job(istioFactor: number, phase: number, mesh: object[]): Results {
  const results = makeResults({
    builds: { base: sample, head: app },
    variants: {
      'base/none': { p99Ms: around(10, 8, 0.02, phase) },
      'head/none': { p99Ms: around(10, 8, 0.02, phase + 3) },
      'head/istio': { p99Ms: around(10 * istioFactor, 8, 0.02, phase + 5) },
    },
  });
  (results.profile as Record<string, unknown>).mesh = mesh;
  results.environment.platform = 'kind';
  return results;
}

const meshWide = [
  { id: 'none', name: 'none' },
  { id: 'istio', name: 'istio', installValues: '/repo/profiles/dataplane/istio-values.yaml' },
];
const stock = [
  { id: 'none', name: 'none' },
  { id: 'istio', name: 'istio' },
];

describe('the data-plane method in the verdict', () => {
  it('install values: cross-job against the baseline, and those rows gate beside same-job build rows', () => {
    // The PR's install values make Istio's overhead 1.5 → 2.0 × none: a real regression.
    const verdict = decide(job(2.0, 0, meshWide), { baseline: job(1.5, 2, stock) });
    expect(verdict.notes).toContainEqual(
      'Method for istio: cross-job. Its install_values (istio-values.yaml) are mesh-wide: one control plane serves the whole cluster, so two settings cannot run side by side; head/istio ÷ head/none in this job is compared with the same ratio in the baseline run.',
    );
    const overheadTrend = verdict.checks.filter(
      (c) => c.comparison === 'cross-job' && c.variant === 'head/istio ÷ head/none',
    );
    expect(overheadTrend.length).toBeGreaterThan(0);
    // Rows with a threshold gate (p99 here); the others are information, as everywhere.
    const p99 = overheadTrend.find((c) => c.metric === 'p99')!;
    expect(p99.gating).toBe(true);
    expect(p99.verdict).toBe('regression');
    expect(verdict.verdict).toBe('regression');
    expect(verdict.reason).toContain('head/istio ÷ head/none');
    // The application's cross-job rows are still reported only: head and base met in this job.
    expect(
      verdict.checks
        .filter((c) => c.comparison === 'cross-job' && !c.variant.endsWith('÷ head/none'))
        .every((c) => !c.gating),
    ).toBe(true);
  });

  it('without the install values the same change is only reported, as before', () => {
    const verdict = decide(job(2.0, 0, stock), { baseline: job(1.5, 2, stock) });
    expect(verdict.checks.filter((c) => c.comparison === 'cross-job').every((c) => !c.gating)).toBe(true);
    expect(verdict.verdict).toBe('pass');
    expect(verdict.notes.some((n) => n.startsWith('Method for'))).toBe(false);
  });

  it('install values without a baseline: the note says the change was not judged', () => {
    const verdict = decide(job(2.0, 0, meshWide));
    expect(verdict.notes).toContainEqual(
      "Method for istio: none yet. Its install_values (istio-values.yaml) are mesh-wide: one control plane serves the whole cluster, so two settings cannot run side by side, and no baseline run was given: the change is not judged, only this job's overhead over none.",
    );
  });

  it('data-plane builds: same job, one namespace each on a cluster, this machine locally', () => {
    const cluster = job(1, 0, [
      { id: 'none' },
      { id: 'istio', builds: { base: {}, head: { manifests: ['/x/f.yaml'] } } },
    ]);
    expect(decide(cluster).notes).toContainEqual(
      'Method for istio: same job. base/istio and head/istio ran side by side (one namespace each, in one cluster) in interleaved trials and are compared pair by pair.',
    );
    cluster.environment.platform = 'local';
    expect(decide(cluster).notes.join('\n')).toContain('ran side by side (on this machine)');
    cluster.environment.platform = 'kubernetes';
    expect(decide(cluster).notes.join('\n')).toContain(
      'ran side by side (one namespace each, in one cluster)',
    );
    // A name no platform has (a hand-edited or foreign file) is not taken for a cluster.
    cluster.environment.platform = 'laptop';
    expect(decide(cluster).notes).toContainEqual(
      'Method for istio: same job. base/istio and head/istio ran side by side in interleaved trials and are compared pair by pair.',
    );
  });
});
