/**
 * perf as a counting method, where the machine exposes a hardware instruction counter (GitHub's
 * arm64 runners; not x64 hosted runners nor this VM, whose kernel has no `cpu` PMU). The probe
 * opens `instructions:u` on a trivial command and requires a count: perf lists the event by name
 * even where it cannot be opened (it prints `<not supported>`), so a name match proves nothing.
 * A batch is one `perf stat -e instructions:u -x, -p PID` from zero to SIGINT. Only a runner with
 * a vPMU exercises the counting path; here the probe refuses and the tests check that it does.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { SetupError } from '../../../errors.js';
import { parsePerfCount } from '../../perf-probe.js';
import type { CallgrindDump } from './callgrind-file.js';

export { probePerf, type PerfProbe } from '../../perf-probe.js';

/** How long perf takes to attach before a batch starts (it says nothing when it has). */
const ATTACH_MS = 200;

/** One process counted with perf: each batch a fresh `perf stat -p`. No per-function split. */
export class PerfProcess {
  private session?: { stop: () => Promise<string> };
  constructor(readonly pid: number) {}

  async instrumentationOn(): Promise<void> {}

  async zero(): Promise<void> {
    const child = spawn('perf', ['stat', '-e', 'instructions:u', '-x', ',', '-p', String(this.pid)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: process.env,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    this.session = {
      stop: async () => {
        child.kill('SIGINT');
        await closed;
        return stderr;
      },
    };
    await sleep(ATTACH_MS);
  }

  async dump(): Promise<CallgrindDump> {
    if (!this.session) throw new SetupError(`perf: no counting session for pid ${this.pid}`);
    const parsed = parsePerfCount(await this.session.stop());
    this.session = undefined;
    if ('problem' in parsed) throw new SetupError(`perf stat -p ${this.pid}: ${parsed.problem}`);
    return { totals: parsed.count, selfByFunction: new Map(), callsByFunction: new Map() };
  }
}
