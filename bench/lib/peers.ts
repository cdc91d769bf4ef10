/** Peer load generators run against the same targets: wrk (Debian), autocannon (npm), hey (Debian). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runToEnd } from './processes.js';

export const WRK = '/usr/bin/wrk';
export const HEY = '/usr/bin/hey';

export function autocannonCli(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('autocannon/package.json');
    const cli = join(dirname(pkg), 'autocannon.js');
    return existsSync(cli) ? cli : undefined;
  } catch {
    return undefined;
  }
}

export interface PeerResult {
  rps: number;
  p50Ms?: number;
  p90Ms?: number;
  p99Ms?: number;
}

/** wrk closed loop: `threads` threads, `connections` connections. */
export async function runWrk(
  url: string,
  durationS: number,
  threads: number,
  connections: number,
): Promise<PeerResult | undefined> {
  if (!existsSync(WRK)) return undefined;
  const run = await runToEnd(WRK, [`-t${threads}`, `-c${connections}`, `-d${durationS}s`, `${url}/`]);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout);
  return match ? { rps: Number(match[1]) } : undefined;
}

/** autocannon; `rateRps` set = its rate-limited mode (-R). Latencies have 1 ms resolution. */
export async function runAutocannon(
  url: string,
  durationS: number,
  connections: number,
  rateRps?: number,
): Promise<PeerResult | undefined> {
  const cli = autocannonCli();
  if (!cli) return undefined;
  const args = [cli, '-c', String(connections), '-d', String(durationS), '-j'];
  if (rateRps) args.push('-R', String(rateRps));
  const run = await runToEnd(process.execPath, [...args, `${url}/`], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  try {
    const result = JSON.parse(run.stdout) as {
      requests: { total: number };
      duration: number;
      latency: { p50: number; p90: number; p99: number };
    };
    return {
      rps: result.requests.total / result.duration,
      p50Ms: result.latency.p50,
      p90Ms: result.latency.p90,
      p99Ms: result.latency.p99,
    };
  } catch {
    return undefined;
  }
}

/** hey at a total rate of `rateRps` over `workers` workers (its -q is per worker). */
export async function runHey(
  url: string,
  durationS: number,
  workers: number,
  rateRps: number,
): Promise<PeerResult | undefined> {
  if (!existsSync(HEY)) return undefined;
  const run = await runToEnd(HEY, [
    '-z',
    `${durationS}s`,
    '-c',
    String(workers),
    '-q',
    String(rateRps / workers),
    `${url}/`,
  ]);
  const percentile = (p: number) => {
    const match = new RegExp(`\\b${p}% in ([\\d.]+) secs`).exec(run.stdout);
    return match ? Number(match[1]) * 1000 : undefined;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout);
  return rps
    ? { rps: Number(rps[1]), p50Ms: percentile(50), p90Ms: percentile(90), p99Ms: percentile(99) }
    : undefined;
}

/** wrk's time text ("812.00us", "1.05ms", "1.20s") in ms. */
function wrkMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/**
 * wrk with one connection and one thread (closed loop, so it runs at the server's own pace):
 * its mean and its --latency percentiles. At D = 1 ms that is ~900 rps, next to meshgate's 1,000.
 */
export async function runWrkLatency(
  url: string,
  durationS: number,
): Promise<(PeerResult & { meanMs: number }) | undefined> {
  if (!existsSync(WRK)) return undefined;
  const run = await runToEnd(WRK, ['-t1', '-c1', `-d${durationS}s`, '--latency', `${url}/`]);
  const mean = /Latency\s+(\S+)/.exec(run.stdout);
  const percentile = (p: number) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(run.stdout);
    return match ? wrkMs(match[1]) : undefined;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout);
  if (!mean || !rps) return undefined;
  return {
    rps: Number(rps[1]),
    meanMs: wrkMs(mean[1]),
    p50Ms: percentile(50),
    p90Ms: percentile(90),
    p99Ms: percentile(99),
  };
}
