/**
 * The report's cost section (profile `cost`): per variant the counted instructions per request of
 * every batch, the idle window that was subtracted and the tool; per head build where its
 * instructions went (the functions whose self cost per request changed most against base).
 * Every name is escaped: results files may come from a fork.
 */
import type { Results } from '../../results/schema.js';
import { batchValues } from '../../verdict/cost.js';
import { signedCount } from '../../verdict/cost-functions.js';
import { median } from '../../stats/descriptive.js';
import type { Verdict } from '../../verdict/schema.js';
import { dataTable, esc } from './markup.js';

const count = (value: number) => Math.round(value).toLocaleString('en-US');

export function renderCost(results: Results, verdict?: Verdict): string {
  const counted = results.variants.filter((v) => v.cost && v.cost.batches.length > 0);
  if (counted.length === 0) return '';
  const rows = counted.map((v) => {
    const cost = v.cost!;
    const values = batchValues(cost);
    return [
      v.id,
      count(median(values)),
      values.map(count).join(', '),
      `${cost.idle.instructions.map(count).join(' + ')} in ${count(cost.idle.windowMs)} ms`,
      cost.components.join(', '),
      `${cost.method} (${cost.tool})`,
      `${cost.wallS.toFixed(1)} s`,
    ];
  });
  // On a cluster the batches are the trials' own windows (platform/cluster/cost/counter.ts).
  const intro =
    results.environment.platform === 'local'
      ? '<p>Counted, not timed: each variant’s proxies ran again under the counting tool (1 worker), and every batch’s instructions, less an idle window of the same length, are divided by its requests. The count leaves out kernel time, cache misses and lock contention.</p>'
      : '<p>Counted, not timed: each variant’s proxies were counted with perf over every trial’s measured window, and each window’s instructions, less an idle window of the same length after the trials, are divided by the trial’s requests. The count leaves out kernel time, cache misses and lock contention.</p>';
  const table = dataTable(
    'Instructions per request per variant',
    [
      'variant',
      'median per request',
      'batches (run order)',
      'idle subtracted',
      'components',
      'method',
      'wall time',
    ],
    rows,
    true,
  );
  const changes = (verdict?.costChanges ?? []).map((change) =>
    dataTable(
      `Where ${change.variant}’s instructions went against ${change.comparedWith} (${signedCount(change.delta)} per request, self cost)`,
      ['function', 'component', 'before', 'after', 'change'],
      change.functions.map((fn) => [
        fn.name,
        fn.component,
        count(fn.base),
        count(fn.head),
        signedCount(fn.delta),
      ]),
      true,
    ),
  );
  return [intro, table, ...changes].join('\n');
}
