// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { parseProfileText } from '../../src/profile/load.js';

describe('profile normalisation', () => {
  test('defaults fill every field', () => {
    const profile = parseProfileText('name: demo', 'p.yaml');
    expect(profile.platform).toBe('local');
    expect(profile.mesh.map((m) => m.id)).toEqual(['none']);
    expect(profile.workload.builds.head).toMatchObject({ kind: 'sample', delayMs: 0 });
    expect(profile.workload.builds.base).toBeUndefined();
    // No min_delta: the floor is measured from each run (stats/noise-floor.ts).
    expect(profile.gate.latency.p99).toEqual({ maxIncrease: 0.1 });
    expect(profile.gate.errorRate.max).toBeCloseTo(0.001);
    expect(profile.maxTrials).toBe(profile.trials * 2);
    expect(profile.load).toMatchObject({ rps: 500, connections: 50, durationS: 5, warmupS: 1 });
    expect(parseProfileText('name: c\nload: {rps: 50}', 'p.yaml').load.connections).toBe(16);
  });

  test('units and percentages are converted', () => {
    const profile = parseProfileText(
      [
        'name: units',
        'load: {duration: 1.5s, warmup: 250ms, timeout: 2m}',
        'gate: {p99: {max_increase: 12.5%, min_delta: 300us}, error_rate: {max: 1%}, confidence: 99%}',
      ].join('\n'),
      'p.yaml',
    );
    expect(profile.load.durationS).toBe(1.5);
    expect(profile.load.warmupS).toBe(0.25);
    expect(profile.load.timeoutMs).toBe(120_000);
    expect(profile.gate.latency.p99).toEqual({ maxIncrease: 0.125, minDeltaMs: 0.3 });
    expect(profile.gate.errorRate.max).toBeCloseTo(0.01);
    expect(profile.gate.confidence).toBeCloseTo(0.99);
  });

  test('mesh entries get ids that tell variants apart', () => {
    const profile = parseProfileText(
      'name: m\nplatform: kind\nmesh: [none, istio, {name: istio, mode: ambient}, {name: linkerd, mtls: true}]',
      'p.yaml',
    );
    expect(profile.mesh.map((m) => m.id)).toEqual(['none', 'istio', 'istio-ambient', 'linkerd-mtls']);
  });

  test('two builds and a command with {port}', () => {
    const profile = parseProfileText(
      'name: b\nworkload:\n  builds:\n    base: {sample: echo, delay: 2ms}\n    head: {command: [srv, "--port={port}"], env: {A: "1"}}',
      'p.yaml',
    );
    expect(profile.workload.builds.base).toMatchObject({ kind: 'sample', delayMs: 2 });
    expect(profile.workload.builds.head).toEqual({
      kind: 'command',
      command: ['srv', '--port={port}'],
      env: { A: '1' },
      readyPath: '/',
    });
  });

  test('the same mesh twice is an error', () => {
    expect(() => parseProfileText('name: d\nmesh: [none, none]', 'p.yaml')).toThrow(
      'mesh: mesh variant "none" is listed twice',
    );
  });
});
