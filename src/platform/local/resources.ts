/**
 * CPU and memory of local processes from /proc: CPU from utime+stime deltas of /proc/<pid>/stat,
 * memory as PSS from /proc/<pid>/smaps_rollup (VmRSS of /proc/<pid>/status where PSS is not
 * readable), summed over all processes of a data plane and sampled
 * every SAMPLE_MS for mean and peak. Linux only; elsewhere the sampler reports nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ResourceUse } from '../../results/schema.js';
import type { ResourceSampler } from '../types.js';

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

/** One reading of a data plane: CPU ticks per process and summed memory, at a wall-clock time. */
export interface ResourceSample {
  atEpochMs: number;
  ticksByPid: Map<number, number>;
  memoryMib: number;
}

/** The measured part of a trial, in wall-clock ms (warm-up and generator start-up excluded). */
export interface MeasuredWindow {
  startEpochMs: number;
  endEpochMs: number;
}

/**
 * Summarise samples over `window` when at least two samples fall inside it (else over all of
 * them): CPU is the tick delta between the first and last sample used, over the time between
 * them; CPU per 1,000 requests divides that rate by the request rate of the window.
 */
export function summariseSamples(
  all: ResourceSample[],
  requests: number,
  window?: MeasuredWindow,
): Omit<ResourceUse, 'source'> | undefined {
  const inside = window ? all.filter((s) => s.atEpochMs >= window.startEpochMs && s.atEpochMs <= window.endEpochMs) : [];
  const samples = inside.length >= 2 ? inside : all;
  if (samples.length < 2) return undefined;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const spanS = (last.atEpochMs - first.atEpochMs) / 1000;
  if (spanS <= 0) return undefined;
  let ticks = 0;
  for (const [pid, lastTicks] of last.ticksByPid) {
    // A process first seen after `first` (a respawned worker) counts from its first sample.
    const start = first.ticksByPid.get(pid) ?? samples.find((s) => s.ticksByPid.has(pid))!.ticksByPid.get(pid)!;
    ticks += lastTicks - start;
  }
  const cpuMillicores = ((ticks / CLOCK_TICKS_PER_S) * 1000) / spanS;
  const requestSpanS = inside.length >= 2 && window ? (window.endEpochMs - window.startEpochMs) / 1000 : spanS;
  const requestsPerS = requests / requestSpanS;
  const memory = samples.map((s) => s.memoryMib);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    cpuMillicores: round(cpuMillicores),
    cpuMsPer1kRequests: requestsPerS > 0 ? round((cpuMillicores / requestsPerS) * 1000) : 0,
    memoryMibMean: round(memory.reduce((a, b) => a + b, 0) / memory.length),
    memoryMibPeak: round(Math.max(...memory)),
  };
}

/**
 * Start sampling `pids()` (re-read at every sample, so forked workers count). `window`, read at
 * stop, narrows the figures to the trial's measured part.
 */
export function sampleProcessResources(
  pids: () => number[],
  source: string,
  window?: () => MeasuredWindow | undefined,
): ResourceSampler | undefined {
  if (process.platform !== 'linux') return undefined;
  const samples: ResourceSample[] = [];
  let memoryKind: 'PSS' | 'RSS' | undefined;
  const take = () => {
    const ticksByPid = new Map<number, number>();
    let memoryMib = 0;
    for (const pid of pids()) {
      const ticks = cpuTicks(pid);
      if (ticks === undefined) continue;
      ticksByPid.set(pid, ticks);
      const pss = memoryKind === 'RSS' ? undefined : pssMib(pid);
      memoryKind ??= pss === undefined ? 'RSS' : 'PSS';
      memoryMib += pss ?? rssMib(pid) ?? 0;
    }
    samples.push({ atEpochMs: Date.now(), ticksByPid, memoryMib });
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  timer.unref();
  return {
    async stop(requests: number): Promise<ResourceUse | undefined> {
      clearInterval(timer);
      take();
      const summary = summariseSamples(samples, requests, window?.());
      return summary && { ...summary, source: memoryKind ? `${source}; memory as ${memoryKind}` : source };
    },
  };
}
