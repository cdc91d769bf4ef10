/**
 * How many requests a gated percentile rests on. A per-trial p99 from 2,000 requests is its 20
 * slowest; p99.9 from the same trial is its 2. Below ~20 a single slow request moves the value,
 * so the verdict says so and names the cure: more requests per trial (rate × duration) rather
 * than more trials.
 */
import type { GateSpec, LatencyMetric } from '../../profile/types.js';
import type { Results } from '../../results/schema.js';
import { median } from '../../stats/descriptive.js';

const TAIL_SHARE: Record<LatencyMetric, number> = { p50: 0.5, p90: 0.1, p99: 0.01, p999: 0.001 };
const LABEL: Record<LatencyMetric, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' };
/** Fewer requests than this above a gated percentile in a typical trial is worth a note. */
export const THIN_TAIL_REQUESTS = 20;

export function tailNotes(results: Results, gate: GateSpec): string[] {
  const gated = new Set<LatencyMetric>([
    ...(Object.keys(gate.latency) as LatencyMetric[]),
    ...(Object.keys(gate.overhead) as LatencyMetric[]),
  ]);
  const perTrial = results.variants.flatMap((v) => v.trials.map((t) => t.requests)).filter((n) => n > 0);
  if (perTrial.length === 0) return [];
  const typical = median(perTrial);
  const notes: string[] = [];
  for (const metric of ['p50', 'p90', 'p99', 'p999'] as const) {
    if (!gated.has(metric)) continue;
    // Below 1/share requests the percentile is the trial's slowest request itself (nearest rank), never "its 0 slowest".
    const above = Math.max(1, Math.floor(typical * TAIL_SHARE[metric]));
    if (above < THIN_TAIL_REQUESTS)
      notes.push(
        `Each trial's ${LABEL[metric]} rests on ${above <= 1 ? 'its single slowest' : `its ${above} slowest`} of ~${Math.round(typical)} requests: one slow request moves it. More requests per trial (rate × duration) steady it more than more trials do.`,
      );
  }
  return notes;
}
