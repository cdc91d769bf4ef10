/**
 * A bare waker, run as its own process by `measureWakeLag` (pauses.ts): the load generator's
 * wake-up path (PreciseWake, then setImmediate polling to the due time) on a random-phase
 * schedule, with no sockets, no histograms and nothing else to do. How late it wakes is the
 * floor of any generator thread in Node on this machine.
 *
 *   node --no-memory-reducer --import tsx bench/lib/wake-probe.ts RATE SECONDS SKIP_S
 * prints {"count": N, "p50": ms, "p99": ms, "max": ms} on stdout.
 */
import { PreciseWake } from '../../src/load/precise-wake.js';
import { quantileSorted, sortedCopy } from '../../src/stats/descriptive.js';

const [rate, seconds, skipS] = process.argv.slice(2).map(Number);
const periodMs = 1000 / rate;
const startMs = performance.now();
const measureFromMs = startMs + skipS * 1000;
const endMs = startMs + (skipS + seconds) * 1000;
const lags: number[] = [];
let k = 0;
let dueMs = startMs + periodMs * Math.random();
const wake = new PreciseWake(() => tick());

function tick(): void {
  const t = performance.now();
  if (t < dueMs) return void setImmediate(tick);
  if (dueMs >= measureFromMs) lags.push(t - dueMs);
  k += 1;
  dueMs = startMs + periodMs * (k + Math.random());
  if (dueMs > endMs) return finish();
  if (dueMs - performance.now() > wake.pollWindowMs) wake.at(dueMs - wake.pollWindowMs);
  else setImmediate(tick);
}

function finish(): void {
  wake.close();
  const sorted = sortedCopy(lags);
  const at = (q: number) => (sorted.length > 0 ? quantileSorted(sorted, q) : 0);
  process.stdout.write(JSON.stringify({ count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) }));
}

wake.at(dueMs - wake.pollWindowMs);
