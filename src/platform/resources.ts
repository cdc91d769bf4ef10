/**
 * CPU and memory of local processes from /proc: CPU from utime+stime deltas of /proc/<pid>/stat,
 * memory as PSS from /proc/<pid>/smaps_rollup (VmRSS of /proc/<pid>/status where PSS is not
 * readable), summed over all processes of a data plane and sampled
 * every SAMPLE_MS for mean and peak. Linux only; elsewhere the sampler reports nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ResourceUse } from '../results/schema.js';
import type { ResourceSampler } from './types.js';

const SAMPLE_MS = 250;
/** USER_HZ: the unit of utime/stime. 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_S = 100;

/** utime + stime in clock ticks, or undefined when the process is gone. */
export function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5)
  } catch {
    return undefined;
  }
}

export function rssMib(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Proportional set size: resident memory with each shared page divided among the processes that
 * map it, so a master and its forked workers are not counted several times over (as summed VmRSS
 * would). Undefined when smaps_rollup is unreadable (old kernels, other users' processes).
 */
export function pssMib(pid: number): number | undefined {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `pid` and all its descendants (a proxy's master and its workers), from /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  const found: number[] = [];
  const visit = (current: number) => {
    found.push(current);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${current}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      let children = '';
      try {
        children = readFileSync(`/proc/${current}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter(Boolean)) visit(Number(child));
    }
  };
  visit(pid);
  return found;
}

/** Start sampling `pids()` (re-read at every sample, so forked workers count). */
export function sampleProcessResources(pids: () => number[], source: string): ResourceSampler | undefined {
  if (process.platform !== 'linux') return undefined;
  const startTicks = new Map<number, number>();
  const lastTicks = new Map<number, number>();
  const memorySamples: number[] = [];
  let memoryKind: 'PSS' | 'RSS' | undefined;
  const take = () => {
    let memory = 0;
    for (const pid of pids()) {
      const ticks = cpuTicks(pid);
      if (ticks === undefined) continue;
      if (!startTicks.has(pid)) startTicks.set(pid, ticks);
      lastTicks.set(pid, ticks);
      const pss = memoryKind === 'RSS' ? undefined : pssMib(pid);
      memoryKind ??= pss === undefined ? 'RSS' : 'PSS';
      memory += pss ?? rssMib(pid) ?? 0;
    }
    memorySamples.push(memory);
  };
  const startedAt = performance.now();
  take();
  const timer = setInterval(take, SAMPLE_MS);
  timer.unref();
  return {
    async stop(requests: number): Promise<ResourceUse | undefined> {
      clearInterval(timer);
      take();
      const wallS = (performance.now() - startedAt) / 1000;
      let ticks = 0;
      for (const [pid, last] of lastTicks) ticks += last - (startTicks.get(pid) ?? last);
      const cpuMs = (ticks / CLOCK_TICKS_PER_S) * 1000;
      if (wallS <= 0 || memorySamples.length === 0) return undefined;
      const round = (value: number) => Math.round(value * 100) / 100;
      return {
        cpuMillicores: round(cpuMs / wallS),
        cpuMsPer1kRequests: requests > 0 ? round((cpuMs / requests) * 1000) : 0,
        memoryMibMean: round(memorySamples.reduce((a, b) => a + b, 0) / memorySamples.length),
        memoryMibPeak: round(Math.max(...memorySamples)),
        source: memoryKind ? `${source}; memory as ${memoryKind}` : source,
      };
    },
  };
}
