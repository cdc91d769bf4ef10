// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { pairTrials, pairedValues } from '../../src/stats/pairing.js';
import { makeResults } from '../__fixtures__/results.js';

describe('pairing by run order', () => {
  const results = makeResults({
    variants: { 'base/none': { p99Ms: [10, 11, 12, 13] }, 'head/none': { p99Ms: [20, 21, 22, 23] } },
  });
  const [base, head] = results.variants;

  it('lays the fixture out as A B B A A B B A', () => {
    const order = results.variants
      .flatMap((v) => v.trials.map((t) => ({ id: v.id, sequence: t.sequence })))
      .sort((a, b) => a.sequence - b.sequence)
      .map((t) => (t.id === 'base/none' ? 'A' : 'B'))
      .join('');
    expect(order).toBe('ABBAABBA');
  });

  it('pairs the k-th trials of each variant in sequence order, whatever the array order', () => {
    const shuffled = { ...head, trials: [...head.trials].reverse() };
    const { pairs, unpaired } = pairTrials(base, shuffled);
    expect(unpaired).toBe(0);
    expect(pairs.map((p) => [p.baseline.latencyMs.p99, p.current.latencyMs.p99])).toEqual([
      [10, 20],
      [11, 21],
      [12, 22],
      [13, 23],
    ]);
    for (const pair of pairs) expect(Math.abs(pair.baseline.sequence - pair.current.sequence)).toBe(1);
  });

  it('leaves the trials of an unfinished round unpaired', () => {
    const short = { ...head, trials: head.trials.slice(0, 3) };
    const { pairs, unpaired } = pairTrials(base, short);
    expect(pairs).toHaveLength(3);
    expect(unpaired).toBe(1);
  });

  it('marks unmeasured values (a trial without requests) as NaN', () => {
    const empty = { ...head, trials: head.trials.map((t, i) => (i === 0 ? { ...t, requests: 0 } : t)) };
    const values = pairedValues(pairTrials(base, empty).pairs, 'p99');
    expect(values.current[0]).toBeNaN();
    expect(values.current[1]).toBe(21);
  });
});
