/**
 * The machine's own pauses, as a reference for the latency rows: one process per CPU spins on
 * the clock for a few seconds and records every gap of ≥ 0.5 ms in which it did not run (the
 * scheduler, interrupts, or the hypervisor taking the virtual CPU away). No load runs meanwhile.
 * A request whose path meets such a gap is late by it, whatever the load generator.
 */
import { availableParallelism } from 'node:os';
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
