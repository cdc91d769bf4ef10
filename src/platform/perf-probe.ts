/**
 * Whether perf can count `instructions:u` here, and how to read its CSV count: shared by the local
 * cost phase (local/cost/perf.ts) and the cluster's counter of proxies (cluster/cost/). perf lists
 * the event by name even where it cannot be opened (it prints `<not supported>`), so the probe
 * requires a real count, never a name match.
 */
import { run } from '../system/run-command.js';

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
