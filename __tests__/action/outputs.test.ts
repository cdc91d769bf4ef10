// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { headlineVariant, measureOutputs } from '../../src/action/outputs.js';
import { median } from '../../src/stats/descriptive.js';
import { fixtureResults } from '../baseline/fixture-results.js';
import { makeCapacityResults } from '../__fixtures__/capacity.js';
import { fakeVerdict } from './fixtures.js';

describe('outputs', () => {
  const results = fixtureResults('echo-p99', { 'head/none': 1000, 'head/nginx': 1300, 'base/nginx': 1200 });
  const outputs = measureOutputs(
    results,
    fakeVerdict('pass', 0.123456),
    { results: 'r.json', verdict: 'v.json', report: 'r.md' },
    {},
  );

  it('are exactly the outputs action.yml declares', () => {
    const declared = Object.keys((parse(readFileSync('action.yml', 'utf8')) as { outputs: object }).outputs);
    expect(Object.keys(outputs).sort()).toEqual(declared.sort());
  });

  it("report the head build through the first mesh, and the gate's overhead estimate", () => {
    expect(headlineVariant(results)?.id).toBe('head/nginx');
    expect(outputs).toMatchObject({
      verdict: 'pass',
      'overhead-p99': '0.1235',
      // The median of the variant's trials' p99 (the variant table's figure), not a pooled histogram's.
      'p99-ms': String(Number(median(results.variants[1].trials.map((t) => t.latencyMs.p99)).toFixed(3))),
      'comment-url': '',
    });
  });

  it("give a capacity profile's headline capacity, and nothing for other runs", () => {
    expect(outputs['capacity-rps']).toBe('');
    const capacity = makeCapacityResults({
      'head/none': { capacityRps: 1000 },
      'head/nginx': { capacityRps: 700 },
    });
    const found = capacity.variants[1].capacity!.lowerRps!;
    expect(
      measureOutputs(capacity, fakeVerdict('pass'), { results: '', verdict: '', report: '' }, {})[
        'capacity-rps'
      ],
    ).toBe(String(found));
  });

  it('leave overhead empty without an overhead check', () => {
    const verdict = { ...fakeVerdict('pass'), checks: [] };
    expect(
      measureOutputs(results, verdict, { results: '', verdict: '', report: '' }, {})['overhead-p99'],
    ).toBe('');
  });
});
