/**
 * Where a head build's instructions per request went: Callgrind's self cost per function, summed
 * over a variant's batches and divided by its requests, head minus base, the largest changes
 * first. Only the largest functions of each side are kept in results.json (phase.ts): a function
 * in one side's list and not the other's counts as 0 there, a bias below the smallest kept
 * function's share. Also the notes that say how the count was taken.
 */
import type { Results, Variant, VariantCost } from '../results/schema.js';
import { batchValues } from './cost.js';
import { median } from '../stats/descriptive.js';
import type { VerdictRow, CostChange } from './schema.js';

/** Functions listed per variant. */
const LISTED = 8;

/**
 * A function name reduced to characters that are plain text in markdown, HTML and a terminal:
 * C and mangled names pass unchanged; a C++ signature loses its punctuation.
 */
export const functionName = (name: string): string =>
  name.replace(/[^A-Za-z0-9_.:~$@+-]/g, '_').slice(0, 120) || '_';

const requestsOf = (cost: VariantCost) => cost.batches.reduce((sum, batch) => sum + batch.requests, 0);

function perRequest(cost: VariantCost): Map<string, { component: string; value: number }> {
  const requests = requestsOf(cost);
  const out = new Map<string, { component: string; value: number }>();
  for (const fn of cost.functions ?? []) {
    const component = cost.components[fn.component] ?? '?';
    out.set(`${component}\u0000${fn.name}`, { component, value: fn.instructions / requests });
  }
  return out;
}

const counted = (variant: Variant | undefined): variant is Variant & { cost: VariantCost } =>
  Boolean(variant?.cost && variant.cost.batches.length > 0);

export function costChanges(results: Results): CostChange[] {
  const byId = new Map(results.variants.map((v) => [v.id, v] as const));
  const changes: CostChange[] = [];
  for (const head of results.variants.filter((v) => v.build === 'head')) {
    const base = byId.get(`base/${head.mesh}`);
    if (!counted(head) || !counted(base) || !head.cost.functions || !base.cost.functions) continue;
    if (head.cost.method !== base.cost.method) continue;
    const before = perRequest(base.cost);
    const after = perRequest(head.cost);
    const functions = [...new Set([...before.keys(), ...after.keys()])]
      .map((key) => {
        const b = before.get(key)?.value ?? 0;
        const h = after.get(key)?.value ?? 0;
        const component = (before.get(key) ?? after.get(key))!.component;
        return { component, name: functionName(key.split('\u0000')[1]), base: b, head: h, delta: h - b };
      })
      .filter((fn) => Math.abs(fn.delta) >= 0.5)
      .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta))
      .slice(0, LISTED)
      .map((fn) => ({ ...fn, base: round1(fn.base), head: round1(fn.head), delta: round1(fn.delta) }));
    changes.push({
      variant: head.id,
      comparedWith: base.id,
      delta: Math.round(median(batchValues(head.cost)) - median(batchValues(base.cost))),
      functions,
    });
  }
  return changes;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** "+9.9k", "−420", "+12": instructions per request, signed and short. */
export function signedCount(value: number): string {
  const sign = value >= 0 ? '+' : '−';
  const abs = Math.abs(value);
  return `${sign}${abs >= 10_000 ? `${(abs / 1000).toFixed(1)}k` : abs >= 1000 ? `${(abs / 1000).toFixed(2)}k` : abs.toFixed(0)}`;
}

/** One sentence per head variant: "+2.05k per request: +1.21k in `ngx_regex_exec_array`, …". */
export function whereItWent(change: CostChange, count = 3): string {
  const top = change.functions.filter((fn) => Math.round(fn.delta) !== 0).slice(0, count);
  const parts = top.map((fn) => `${signedCount(fn.delta)} in ${functionName(fn.name)}`);
  return `${signedCount(change.delta)} instructions per request${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

export function costNotes(results: Results, checks: readonly VerdictRow[]): string[] {
  const variants = results.variants.filter(counted);
  if (variants.length === 0) return [];
  const first = variants[0].cost;
  const tool = first.tool.replace(/[^A-Za-z0-9 ._-]/g, '_').slice(0, 60);
  const batches = Math.min(...variants.map((v) => v.cost.batches.length));
  const requests = Math.round(median(variants.flatMap((v) => v.cost.batches.map((b) => b.requests))));
  // Idle: the largest share any variant's idle window is of one of its batches.
  const idleShare = Math.max(
    ...variants.map((v) => {
      const idle = v.cost.idle.instructions.reduce((a, b) => a + b, 0);
      const batch = median(v.cost.batches.map((b) => b.instructions.reduce((x, y) => x + y, 0)));
      return batch > 0 ? idle / batch : 0;
    }),
  );
  const notes = [
    `Instructions per request are counted, not timed: ${first.method} (${tool}) on separate instances of each proxy (1 worker)${variants.some((v) => v.cost.components.some((c) => c.startsWith('workload'))) ? ' and of the application' : ''} after the trials, ${batches} interleaved batches of ${requests.toLocaleString('en-US')} requests per variant; idle work in a batch-length window (${(idleShare * 100).toFixed(idleShare < 0.001 ? 3 : 2)}% of a batch) was subtracted. The count leaves out kernel time, cache misses and lock contention: the timed rows stay beside it.`,
  ];
  const compared = new Set(
    checks
      .filter((c) => c.metric === 'instructionsPerRequest' && c.comparison === 'build')
      .map((c) => c.variant),
  );
  for (const change of costChanges(results))
    if (compared.has(change.variant))
      notes.push(
        `Where ${change.variant}'s cost went against ${change.comparedWith}: ${whereItWent(change)}.`,
      );
  return notes;
}
