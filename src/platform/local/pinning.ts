/**
 * CPU pinning for `cpu_pinning: true` on the local platform: the load generator, the proxies and
 * the application each get their own CPUs (taskset from util-linux), so they stop trading places
 * on the same core between trials. With two CPUs the generator gets one and the system under
 * test (app and proxies) the other; with one CPU nothing is pinned.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { SetupError, errorMessage } from '../../errors.js';

const exec = promisify(execFile);

export interface PinningPlan {
  /** taskset CPU lists. */
  generator: string;
  proxies: string;
  app: string;
}

/** CPUs this process may run on, from /proc/self/status (e.g. "0-3,6" → [0,1,2,3,6]). */
export function allowedCpus(status = readFileSync('/proc/self/status', 'utf8')): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '';
  return parseCpuList(list);
}

export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',').filter(Boolean)) {
    const [from, to] = part.split('-').map(Number);
    for (let cpu = from; cpu <= (to ?? from); cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** Which CPUs each role gets; undefined when there are too few CPUs to separate anything. */
export function planPinning(cpus: number[]): PinningPlan | undefined {
  const n = cpus.length;
  if (n < 2) return undefined;
  if (n === 2) return { generator: String(cpus[0]), proxies: String(cpus[1]), app: String(cpus[1]) };
  return { generator: cpus.slice(0, n - 2).join(','), proxies: String(cpus[n - 2]), app: String(cpus[n - 1]) };
}

/** argv that runs `program args` pinned to `cpuList` (taskset execs, so the pid is the program's). */
export function pinnedCommand(cpuList: string | undefined, program: string, args: string[]): [string, string[]] {
  return cpuList ? ['taskset', ['-c', cpuList, program, ...args]] : [program, args];
}

/** Pin every thread of `pid` (workers started later inherit it); returns the list it had before. */
export async function pinProcess(pid: number, cpuList: string): Promise<string> {
  try {
    const { stdout } = await exec('taskset', ['-p', '-c', String(pid)], { timeout: 5000 });
    const before = /:\s*(\S+)\s*$/.exec(stdout.trim())?.[1] ?? '';
    await exec('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { timeout: 5000 });
    return before;
  } catch (error) {
    throw new SetupError(`cpu_pinning: taskset could not pin process ${pid} to CPUs ${cpuList}: ${errorMessage(error)}; is util-linux installed?`);
  }
}
