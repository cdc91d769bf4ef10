/**
 * Cost rows beyond the comment: the HTML report's section and table (names escaped: a results
 * file may come from a fork), `export --smp` as a resource metric, and the action's outputs.
 */
import { expect, it } from '@jest/globals';
import { measureOutputs } from '../../src/action/outputs.js';
import { smpDocument } from '../../src/interop/smp-export.js';
import { renderHtmlReport } from '../../src/report/html/report.js';
import { decide } from '../../src/verdict/decide.js';
import { parseResults } from '../../src/results/io.js';
import { withCost } from '../__fixtures__/cost.js';
import { around, makeResults } from '../__fixtures__/results.js';

const results = withCost(
  makeResults({
    variants: { 'base/nginx': { p99Ms: around(2, 4, 0.02) }, 'head/nginx': { p99Ms: around(2, 4, 0.02, 3) } },
  }),
  {
    'base/nginx': { level: 18_000, cv: 0, functions: { ngx_hash_find: 4_000 } },
    'head/nginx': {
      level: 20_000,
      cv: 0,
      functions: { ngx_hash_find: 4_000, '<img src=x onerror=alert(1)>': 900 },
    },
  },
  { maxIncrease: 0.02 },
);
const verdict = decide(results);

it('the HTML report has a cost section with each batch and where the change went, names escaped', () => {
  const html = renderHtmlReport(results, verdict);
  expect(html).toContain('<section id="cost"><h2>Instructions per request (counted)</h2>');
  expect(html).toContain('18,000, 18,000, 18,000, 18,000, 18,000');
  expect(html).toMatch(
    /Where head\/nginx’s instructions went against base\/nginx \(\+2\.00k per request, self cost\)/,
  );
  expect(html).not.toContain('<img');
  expect(html).toContain('_img_src_x_onerror_alert_1__');
});

it('export --smp carries the count as a resource metric of each variant', () => {
  type Entry = { variant: string; meshgate_extensions: Record<string, unknown> };
  const head = (smpDocument(results).results as Entry[]).find((r) => r.variant === 'head/nginx')!;
  expect(head.meshgate_extensions.data_plane_instructions).toMatchObject({
    method: 'callgrind',
    instructions_per_request: 20_000,
    batches_instructions_per_request: [20_000, 20_000, 20_000, 20_000, 20_000],
    idle_instructions: [283],
  });
});

it('the action outputs the headline count and its change', () => {
  const outputs = measureOutputs(results, verdict, { results: 'r', verdict: 'v', report: 'c' }, {});
  expect(outputs['instructions-per-request']).toBe('20000');
  expect(Number(outputs['instructions-change'])).toBeCloseTo(0.1111, 3);
});

it('a results file whose cost counts do not match its components is refused, naming the field', () => {
  const bad = JSON.parse(JSON.stringify(results));
  bad.variants[1].cost.batches[2].instructions = [1, 2];
  expect(() => parseResults(JSON.stringify(bad), 'r.json')).toThrow(
    /^r\.json: variants\[1\]\.cost\.batches\[2\]\.instructions: expected 1 counts, one per component$/,
  );
  const negative = JSON.parse(JSON.stringify(results));
  negative.variants[0].cost.idle.instructions = [-5];
  expect(() => parseResults(JSON.stringify(negative), 'r.json')).toThrow(
    /variants\[0\]\.cost\.idle\.instructions\[0\]/,
  );
});
