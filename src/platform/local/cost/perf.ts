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
import { run } from '../../../system/run-command.js';
import type { CallgrindDump } from './callgrind-file.js';

/** How long perf takes to attach before a batch starts (it says nothing when it has). */
const ATTACH_MS = 200;

/** The count of `instructions:u` in perf stat's CSV (-x,) output, or why there is none. */
export function parsePerfCount(stderr: string): { count: number } | { problem: string } {
  for (const line of stderr.split('\n')) {
    const fields = line.split(',');
    if (fields[2] !== 'instructions:u' && fields[2] !== 'instructions') continue;
    const count = Number(fields[0]);
    if (fields[0] !== '' && Number.isFinite(count)) return { count };
    return { problem: `perf reports ${fields[0] || 'no value'} for instructions:u` };
  }
  return { problem: 'perf printed no instructions:u line' };
}

export interface PerfProbe {
  available: boolean;
  /** perf's version ("perf version 6.1") when available; why not otherwise. */
  detail: string;
}

/** Open instructions:u on `true` and check that it really counted. */
export async function probePerf(env: NodeJS.ProcessEnv = process.env): Promise<PerfProbe> {
  let result;
  try {
    result = await run('perf', ['stat', '-e', 'instructions:u', '-x', ',', '--', 'true'], {
      timeoutMs: 15_000,
      env,
    });
  } catch {
    return { available: false, detail: 'perf is not installed (Debian: apt-get install linux-perf)' };
  }
  if (result.exitCode !== 0)
    return { available: false, detail: `perf stat failed: ${result.stderr.trim().slice(0, 200)}` };
  const parsed = parsePerfCount(result.stderr);
  if ('problem' in parsed)
    return {
      available: false,
      detail: `${parsed.problem}: this machine exposes no hardware instruction counter`,
    };
  if (parsed.count <= 0)
    return { available: false, detail: 'perf counted 0 instructions for `true`: the counter does not count' };
  const version = await run('perf', ['--version'], { timeoutMs: 10_000, env });
  return { available: true, detail: version.stdout.trim() || 'perf' };
}

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
