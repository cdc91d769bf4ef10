/**
 * What the load generator saw of itself and of the machine, as notes beside the verdict:
 *  - generator hiccups (pauses of the generator thread with a connection free or an answer to
 *    read): kept out of the gated latency, but a trial with a long one is flagged, and when
 *    pauses delayed a share of requests comparable to a percentile's tail (1% for p99) by half
 *    that percentile or more, it is mostly the machine's: pauses of that size hit the server's
 *    threads as well. Sends delayed less (many short pauses beside one long one; pauses far
 *    shorter than the percentile, whose tail the server made) do not count: issue #34 found the
 *    note under every run, p99 failures included;
 *  - backpressure: the server kept every connection busy, so requests left late and fewer than
 *    requested were sent on time (the gated latency counts that wait).
 */
import type { Results } from '../../results/schema.js';
import { HICCUP_MIN_MS } from '../../load/recorder.js';

/** A generator pause longer than this flags its trial. */
export const HICCUP_LIMIT_MS = 20;
/** Sent rate below this share of the requested one is backpressure worth saying. */
const BACKPRESSURE_SHARE = 0.95;

const TAILS = [
  { label: 'p99', key: 'p99', share: 0.01 },
  { label: 'p99.9', key: 'p999', share: 0.001 },
] as const;

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * At most how many of a trial's sends a pause delayed by `minimumMs` or more. A pause of P ms
 * delays the sends due in it by 0 … P, evenly: HICCUP_MIN_MS … P for the `requests` counted, and
 * `minimumMs` … P for those asked about, a share (P − minimumMs) / (P − HICCUP_MIN_MS) of them. That
 * share grows with P, so the longest pause's share bounds every pause's: a pause adds at most its
 * own length to what the server's threads do, and pauses far shorter than the percentile (4 ms
 * pauses under a 300 ms p99 of a stalled server) cannot be most of it.
 */
function tailSends(trial: Results['variants'][number]['trials'][number], minimumMs: number): number {
  const hiccups = trial.generatorHiccups;
  if (!hiccups || hiccups.maxMs < minimumMs) return 0;
  if (minimumMs <= HICCUP_MIN_MS || hiccups.maxMs <= HICCUP_MIN_MS) return hiccups.requests;
  return (hiccups.requests * (hiccups.maxMs - minimumMs)) / (hiccups.maxMs - HICCUP_MIN_MS);
}

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
    if (requests > 0) {
      // Per trial, only the sends a pause could have delayed by half the trial's own percentile or
      // more count (tailSends): a run of many short pauses and one long one is not a tail of
      // pauses. The first tail whose share they reach is "mostly the machine".
      const tail = TAILS.find(
        (t) => sum(trials.map((trial) => tailSends(trial, trial.latencyMs[t.key] / 2))) / requests >= t.share,
      );
      if (tail) {
        const share = sum(trials.map((trial) => tailSends(trial, trial.latencyMs[tail.key] / 2))) / requests;
        notes.push(
          `${variant.id}: pauses of the machine delayed ${(share * 100).toFixed(2)}% of the generator's sends by half the ${tail.label} or more, as many as lie above ${tail.label}: ${tail.label} here is mostly the machine, not the system under test`,
        );
      }
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
