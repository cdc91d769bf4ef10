/**
 * The machine's own pauses, as a reference for the latency rows: one process per CPU spins on
 * the clock for a few seconds and records every gap of ≥ 0.5 ms in which it did not run (the
 * scheduler, interrupts, or the hypervisor taking the virtual CPU away). No load runs meanwhile.
 * A request whose path meets such a gap is late by it, whatever the load generator.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median } from '../../src/stats/descriptive.js';
import { NO_MEMORY_REDUCER } from '../../src/util/memory-reducer.js';
import { runToEnd } from './processes.js';

const PROBE = `
const gaps = [];
let last = performance.now();
const end = last + Number(process.argv[1]);
for (;;) {
  const t = performance.now();
  if (t - last >= 0.5) gaps.push(t - last);
  last = t;
  if (t > end) break;
}
process.stdout.write(JSON.stringify(gaps));
`;

export interface MachinePauses {
  seconds: number;
  cpus: number;
  /** Gaps of ≥ 1 ms per second per CPU. */
  perSecondPerCpu: number;
  /** Share of the time lost in gaps of ≥ 0.5 ms. */
  lostFraction: number;
  longestMs: number;
}

export async function measurePauses(seconds: number): Promise<MachinePauses> {
  const cpus = availableParallelism();
  const runs = await Promise.all(
    Array.from({ length: cpus }, () =>
      runToEnd(process.execPath, ['-e', PROBE, String(seconds * 1000)], {
        env: { ...process.env, NODE_OPTIONS: '' },
      }),
    ),
  );
  const gaps = runs.flatMap((run) => (run.code === 0 ? (JSON.parse(run.stdout) as number[]) : []));
  return {
    seconds,
    cpus,
    perSecondPerCpu: gaps.filter((g) => g >= 1).length / seconds / cpus,
    lostFraction: gaps.reduce((sum, g) => sum + g, 0) / (seconds * 1000 * cpus),
    longestMs: gaps.length > 0 ? Math.max(...gaps) : 0,
  };
}

export interface WakeLag {
  /** Wake-ups measured, over all processes. */
  count: number;
  /** Medians over the processes. */
  p50Ms: number;
  p99Ms: number;
  /** The latest wake-up of any process. */
  maxMs: number;
}

/**
 * A reference for the generator's schedule lag: `processes` bare wakers (wake-probe.ts), each at
 * `rate` wake-ups a second for `seconds` after `skipS` of warm-up, run together with the same
 * flags as the load workers and nothing else. No sockets, no recording: what is left is the
 * machine's and Node's.
 */
export async function measureWakeLag(
  processes: number,
  rate: number,
  seconds: number,
  skipS = 2,
): Promise<WakeLag> {
  const script = fileURLToPath(new URL('./wake-probe.ts', import.meta.url));
  const runs = await Promise.all(
    Array.from({ length: processes }, () =>
      runToEnd(
        process.execPath,
        [NO_MEMORY_REDUCER, '--import', 'tsx', script, String(rate), String(seconds), String(skipS)],
        {
          env: { ...process.env, NODE_OPTIONS: '' },
          timeoutMs: (seconds + skipS + 30) * 1000,
        },
      ),
    ),
  );
  const done = runs
    .filter((run) => run.code === 0)
    .map((run) => JSON.parse(run.stdout) as { count: number; p50: number; p99: number; max: number });
  if (done.length === 0) throw new Error(`wake probe failed: ${runs[0]?.stderr.trim().slice(0, 200)}`);
  return {
    count: done.reduce((sum, run) => sum + run.count, 0),
    p50Ms: median(done.map((run) => run.p50)),
    p99Ms: median(done.map((run) => run.p99)),
    maxMs: Math.max(...done.map((run) => run.max)),
  };
}
