/**
 * What the load generator saw of itself and of the machine, as notes beside the verdict:
 *  - generator hiccups (pauses of the generator thread with a connection free or an answer to
 *    read): kept out of the gated latency, but a trial with a long one is flagged, and when
 *    pauses delayed a share of requests comparable to a percentile's tail (1% for p99), that
 *    percentile is mostly the machine's: pauses of that size hit the server's threads as well —
 *    unless the pauses are far shorter than the percentile (then the server made it);
 *  - backpressure: the server kept every connection busy, so requests left late and fewer than
 *    requested were sent on time (the gated latency counts that wait).
 */
import type { Results } from '../../results/schema.js';
import { maxOf } from '../../util/extent.js';

/** A generator pause longer than this flags its trial. */
export const HICCUP_LIMIT_MS = 20;
/** Sent rate below this share of the requested one is backpressure worth saying. */
const BACKPRESSURE_SHARE = 0.95;

const TAILS = [
  { label: 'p99', key: 'p99', share: 0.01 },
  { label: 'p99.9', key: 'p999', share: 0.001 },
] as const;

const median = (values: number[]): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function generatorNotes(results: Results): string[] {
  const notes: string[] = [];
  for (const variant of results.variants) {
    const trials = variant.trials;
    const flagged = trials.filter((t) => (t.generatorHiccups?.maxMs ?? 0) > HICCUP_LIMIT_MS);
    if (flagged.length > 0) {
      const worst = Math.max(...flagged.map((t) => t.generatorHiccups!.maxMs));
      notes.push(
        `${variant.id}: the load generator itself paused up to ${worst.toFixed(1)} ms in ${flagged.length} of ${trials.length} trials (limit ${HICCUP_LIMIT_MS} ms); requests it sent late and answers it read late are charged to the generator, not to the server`,
      );
    }
    const requests = trials.reduce((sum, t) => sum + t.requests, 0);
    const delayed = trials.reduce((sum, t) => sum + (t.generatorHiccups?.requests ?? 0), 0);
    if (requests > 0) {
      const share = delayed / requests;
      const tail = TAILS.find((t) => share >= t.share);
      // A pause adds at most its own length to what the server's threads do: pauses far shorter
      // than the percentile (4 ms pauses under a 300 ms p99 of a stalled server) cannot be most of it.
      const longestMs = maxOf(trials.map((t) => t.generatorHiccups?.maxMs ?? 0));
      const tailMs = tail && median(trials.map((t) => t.latencyMs[tail.key]));
      if (tail && tailMs !== undefined && longestMs >= tailMs / 2)
        notes.push(
          `${variant.id}: pauses of the machine delayed ${(share * 100).toFixed(2)}% of the generator's sends, as many as lie above ${tail.label}: ${tail.label} here is mostly the machine, not the system under test`,
        );
    }
    const openLoop = trials.filter((t) => t.requestedRps > 0);
    const slow = openLoop.filter((t) => t.actualRps < BACKPRESSURE_SHARE * t.requestedRps);
    if (slow.length > 0) {
      const worst = slow.reduce((a, b) =>
        b.actualRps / b.requestedRps < a.actualRps / a.requestedRps ? b : a,
      );
      notes.push(
        `${variant.id}: backpressure in ${slow.length} of ${trials.length} trials — the server kept every connection busy; worst trial sent ${worst.actualRps.toFixed(0)} of ${worst.requestedRps} rps, schedule lag p50 ${worst.scheduleLagMs.p50.toFixed(1)} ms (the wait is counted in its latency)`,
      );
    }
  }
  return notes;
}
