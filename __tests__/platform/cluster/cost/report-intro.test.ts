// test-group: unit
/**
 * The HTML report's cost section says how the counts were taken: on platform local the proxies
 * ran again under the tool; on a cluster perf counted the trials' own windows.
 */
import { expect, test } from '@jest/globals';
import { renderCost } from '../../../../src/report/html/cost.js';
import { makeResults, around } from '../../../__fixtures__/results.js';
import { withCost } from '../../../__fixtures__/cost.js';

const results = (platform: string) => {
  const r = withCost(
    makeResults({
      variants: {
        'base/istio': { p99Ms: around(2, 4, 0.02) },
        'head/istio': { p99Ms: around(2, 4, 0.02, 3) },
      },
    }),
    { 'base/istio': { level: 40_000 }, 'head/istio': { level: 41_000 } },
  );
  r.environment.platform = platform;
  return r;
};

test('the cost section says perf counted the trial windows on a cluster, a separate run locally', () => {
  const kind = renderCost(results('kind'));
  expect(kind).toContain('counted with perf over every trial’s measured window');
  expect(kind).not.toContain('ran again under the counting tool');
  expect(renderCost(results('local'))).toContain('ran again under the counting tool (1 worker)');
});
