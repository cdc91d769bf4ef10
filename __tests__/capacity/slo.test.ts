// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { judgeStep, judgeTrial, type StepTrial, type TrialJudgement } from '../../src/capacity/slo.js';

const SLO = { latencyMs: { p99: 5 }, errorRate: 0.001 };

function trial(p99: number, overrides: Partial<StepTrial> = {}): StepTrial {
  return {
    requestedRps: 500,
    actualRps: 500,
    requests: 1000,
    errors: 0,
    latencyMs: { min: 0.5, mean: 1, p50: 1, p90: 2, p99, p999: p99 * 2, max: p99 * 3 },
    ...overrides,
  };
}

describe('one trial against the SLO', () => {
  test.each([
    ['clear pass', trial(3), true, false],
    ['pass by a hair', trial(4.8), true, true],
    ['miss by a hair', trial(5.3), false, true],
    ['clear miss', trial(9), false, false],
    ['errors over the ceiling', trial(3, { errors: 5 }), false, false],
    ['errors just under the ceiling are borderline', trial(3, { errors: 1, requests: 1050 }), true, true],
    ['rate not sustained', trial(3, { actualRps: 400 }), false, false],
    ['nothing completed', trial(3, { requests: 0, actualRps: 0 }), false, false],
  ])('%s', (_name, input, passed, borderline) => {
    const judgement = judgeTrial(input, SLO, 0.1);
    expect(judgement.passed).toBe(passed);
    expect(judgement.borderline).toBe(borderline);
  });

  test('every ceiling counts, and the reason names each', () => {
    const slo = { latencyMs: { p50: 1.5, p99: 5 }, errorRate: 0.001 };
    const judgement = judgeTrial(trial(3, { latencyMs: { min: 1, mean: 2, p50: 2, p90: 2.5, p99: 3, p999: 4, max: 5 } }), slo, 0.1);
    expect(judgement.passed).toBe(false);
    expect(judgement.reason).toBe('p50 2 ms > 1.5 ms; p99 3 ms ≤ 5 ms; errors 0.00% ≤ 0.10%');
  });

  test('a ceiling of zero errors has no band: one error misses clearly', () => {
    const judgement = judgeTrial(trial(3, { errors: 1 }), { latencyMs: { p99: 5 }, errorRate: 0 }, 0.1);
    expect(judgement).toMatchObject({ passed: false, borderline: false });
  });
});

describe('a step from its trials', () => {
  const clear = (passed: boolean): TrialJudgement => ({ passed, borderline: false, reason: '' });
  const hair = (passed: boolean): TrialJudgement => ({ passed, borderline: true, reason: '' });

  test('a clear first trial decides alone', () => {
    expect(judgeStep([clear(true)], 2)).toBe('pass');
    expect(judgeStep([clear(false)], 2)).toBe('fail');
  });

  test('a borderline first trial is re-run and the majority of three decides', () => {
    expect(judgeStep([hair(false)], 2)).toBeUndefined();
    expect(judgeStep([hair(false), clear(true)], 2)).toBeUndefined();
    expect(judgeStep([hair(false), clear(true), hair(true)], 2)).toBe('pass');
    expect(judgeStep([hair(true), hair(false), clear(false)], 2)).toBe('fail');
    expect(judgeStep([hair(true), clear(true)], 2)).toBe('pass');
  });

  test('no retries: the first trial decides; an even count ties to a miss', () => {
    expect(judgeStep([hair(true)], 0)).toBe('pass');
    expect(judgeStep([hair(true), clear(false)], 1)).toBe('fail');
    expect(judgeStep([], 2)).toBeUndefined();
  });
});
