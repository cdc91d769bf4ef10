/**
 * `perf stat -e instructions:u -x, -p PID,PID,…` over a window: started at the window's start,
 * ended with SIGINT at its end; perf then prints one CSV line for the event, the count summed over
 * every thread of every PID it attached to, and exits by re-raising SIGINT. Documented CSV fields
 * (perf-stat(1), "CSV FORMAT"; no -I, -A or --per-* here, so no leading time stamp or CPU fields):
 *   counter value, unit (empty), event name, run time of counter (ns), percentage of the
 *   measurement time the counter ran, [variance with -r], [metric value], [metric unit]
 * e.g. `1234567,,instructions:u,1002003004,100.00,,` where a counter counts, and on this VM
 * `<not supported>,,instructions:u,0,100.00,,`; `<not counted>` when it never ran. A count that
 * ran less than 100% of the time was multiplexed and scaled by perf: an estimate, refused here.
 * Threads a process starts after perf attached are not counted (the proxies start their workers
 * at start-up, long before the trials). perf counts from when it has attached, a few ms after the
 * edge here (`perf stat … true` runs in < 10 ms, load 4–8): the window's first milliseconds are
 * missed alike for every variant of a run, a small share of a trial's seconds-long window.
 *
 * Only an arm64 GitHub runner (a vPMU) exercises real counting; x64 hosted runners and this
 * repository's machine answer `<not supported>`, and the tests use a stand-in perf for the rest.
 */
import { spawnManaged } from '../../../system/processes.js';

export type PerfStatResult = { count: number } | { problem: string };

/**
 * How perf is run: the proxies are other users' processes (istio-proxy runs as uid 1337,
 * linkerd-proxy as 2102, ztunnel as root), and perf may attach to those only with CAP_PERFMON or
 * CAP_SYS_PTRACE ("Access to performance monitoring and observability operations is limited",
 * exit 255, for an unprivileged user here). So as root perf itself; otherwise through
 * `sudo -n` (GitHub's runners allow it without a password, as for apt-get in valgrind-setup.ts).
 * sudo relays SIGINT to perf. Only a GitHub runner exercises the sudo path.
 */
export function perfCommand(): string[] {
  return process.getuid?.() === 0 ? ['perf'] : ['sudo', '-n', 'perf'];
}

/** The instructions:u line of perf stat's `-x,` output (stderr), or why there is no count. */
export function parsePerfStatCsv(stderr: string): PerfStatResult {
  for (const line of stderr.split('\n')) {
    const fields = line.trim().split(',');
    if (fields.length < 5 || (fields[2] !== 'instructions:u' && fields[2] !== 'instructions')) continue;
    const [value, , , runTime, percent] = fields;
    if (value.startsWith('<')) return { problem: `perf reports ${value} for instructions:u` };
    const count = Number(value);
    if (value === '' || !Number.isFinite(count) || count < 0)
      return { problem: `perf printed "${value.slice(0, 40)}" as the count of instructions:u` };
    const ran = Number(percent);
    if (!(ran >= 100))
      return {
        problem: `the counter ran ${percent || '?'}% of the window (multiplexed; perf scaled the count) after ${runTime || '?'} ns`,
      };
    return { count };
  }
  const said = stderr.trim().split('\n')[0]?.slice(0, 200);
  return { problem: `perf printed no instructions:u line${said ? ` (${said})` : ''}` };
}

export interface PerfStatSession {
  /** SIGINT, then the count of the window. Never rejects. */
  stop(): Promise<PerfStatResult>;
}

/** How long perf is given to print after SIGINT before it is killed (and the window lost). */
const STOP_TIMEOUT_MS = 10_000;

/** Start counting instructions:u of `pids` now (`perf` from PATH in `env` unless given). */
export function startPerfStat(
  pids: readonly number[],
  options: { perf?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): PerfStatSession {
  if (pids.length === 0 || pids.some((pid) => !Number.isInteger(pid) || pid <= 0))
    throw new Error(`perf stat -p needs PIDs, got "${pids.join(',')}"`);
  const [program, ...prefix] = options.perf ?? perfCommand();
  // Managed: stopped with meshgate's other processes on a signal, and by the watchdog if it dies.
  const { child } = spawnManaged(
    'perf stat',
    program,
    [...prefix, 'stat', '-e', 'instructions:u', '-x', ',', '-p', pids.join(',')],
    { stdio: ['ignore', 'ignore', 'pipe'], env: options.env ?? process.env },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 64_000) stderr += chunk;
  });
  let failed: string | undefined;
  const closed = new Promise<number | string | null>((resolve) => {
    child.on('error', (error) => {
      failed = `perf could not be started: ${error.message}`;
      resolve(null);
    });
    child.on('close', (code, signal) => resolve(code ?? signal));
  });
  let early = false;
  void closed.then(() => (early = true));
  return {
    async stop() {
      if (failed) return { problem: failed };
      // perf that ended before the window did (a PID gone at attach: "Problems finding threads").
      const endedBefore = early;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const status = await closed;
      clearTimeout(timer);
      if (failed) return { problem: failed };
      const parsed = parsePerfStatCsv(stderr);
      if (endedBefore && 'count' in parsed)
        return { problem: `perf stat ended before the window did (exit ${status})` };
      if ('problem' in parsed && endedBefore)
        return { problem: `${parsed.problem}; perf stat -p ${pids.join(',')} ended early (exit ${status})` };
      return parsed;
    },
  };
}
