/**
 * Benchmark of the load engine (issue 4): throughput against wrk and autocannon on one nginx,
 * rate accuracy, noise floor, coordinated omission under a stalling server, peak RSS, merge
 * exactness. Peers run against the same targets in the same run, so the ratios are fair on any
 * machine. Prints one table with PASS/FAIL per target and exits 0.
 *
 *   npm run bench:loadgen            full run (~9 min)
 *   npm run bench:loadgen -- --quick shortened durations (~1.5 min)
 *   npm run bench:loadgen -- --only stall[,noise …]   some sections only (pauses, throughput,
 *                                    noise, stall, memory)
 */
import { runLoad } from '../src/load/engine.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeEncoded,
  recordUs,
} from '../src/load/histogram.js';
import type { LoadJob, LoadTrial } from '../src/load/types.js';
import { median } from '../src/stats/descriptive.js';
import { nodeArgsFor } from '../src/util/entry.js';
import { bundleLoadgen, type Bundle } from './lib/bundle.js';
import { startNginx } from './lib/nginx.js';
import { runAutocannon, runHey, runWrk, type PeerResult } from './lib/peers.js';
import { runToEnd } from './lib/processes.js';
import { startSampleServerProcess } from './lib/sample-server.js';
import { measurePauses } from './lib/pauses.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',')) : undefined;
// Latency rows: a warm-up against the fresh server first (its JIT; not measured), then rounds
// of every tool in turn, each tool's median of rounds kept: on this class of shared machine one
// run apiece moves a p99 by a millisecond.
const S = quick
  ? { throughput: 4, throughputRounds: 1, rate: 5, warm: 2, rounds: 1, noise: 5, stall: 8, rss: 10, probe: 2 }
  : {
      throughput: 10,
      throughputRounds: 3,
      rate: 20,
      warm: 5,
      rounds: 3,
      noise: 10,
      stall: 10,
      rss: 60,
      probe: 5,
    };

interface Row {
  section: string;
  measure: string;
  meshgate: string;
  peers: string;
  target: string;
  pass?: boolean;
}
const rows: Row[] = [];
const f = (value: number | undefined, digits = 2) => (value === undefined ? 'n/a' : value.toFixed(digits));
const log = (line: string) => process.stderr.write(`${line}\n`);

function job(url: string, overrides: Partial<LoadJob>): LoadJob {
  return {
    url,
    rps: 0,
    connections: 16,
    durationS: 10,
    warmupS: 1,
    threads: 1,
    protocol: 'http1',
    request: { method: 'GET', path: '/', headers: {}, body: '' },
    timeoutMs: 10_000,
    ...overrides,
  };
}

async function throughput(): Promise<void> {
  const nginx = await startNginx(1);
  try {
    // Rounds of ours, wrk, autocannon, each tool's median kept: one run apiece swung the ratio
    // from 0.86 to 1.39 between two runs on this shared machine.
    log(`throughput: nginx at ${nginx.url}, ${S.throughputRounds} rounds of ${S.throughput} s per tool`);
    // Ours with 1 and with 2 worker threads: nginx's one worker needs a core of its own, so on a
    // 2-core machine one generator thread tends to go faster; the better median counts.
    const runs: Record<'one' | 'two' | 'wrk' | 'autocannon', number[]> = {
      one: [],
      two: [],
      wrk: [],
      autocannon: [],
    };
    for (let round = 0; round < S.throughputRounds; round++) {
      for (const [key, threads] of [
        ['one', 1],
        ['two', 2],
      ] as const) {
        const trial = await runLoad(
          job(nginx.url, { rps: 0, connections: 16, threads, durationS: S.throughput }),
        );
        if (trial.errors > 0) log(`throughput: ${trial.errors} errors ${JSON.stringify(trial.errorsByKind)}`);
        runs[key].push(trial.actualRps);
      }
      const wrkRun = await runWrk(nginx.url, S.throughput, 2, 16);
      if (wrkRun) runs.wrk.push(wrkRun.rps);
      const autocannonRun = await runAutocannon(nginx.url, S.throughput, 16);
      if (autocannonRun) runs.autocannon.push(autocannonRun.rps);
      log(
        `  round ${round + 1}: ours ${f(runs.one.at(-1), 0)} (1 thread) ${f(runs.two.at(-1), 0)} (2 threads), ` +
          `wrk ${f(wrkRun?.rps, 0)}, autocannon ${f(autocannonRun?.rps, 0)}`,
      );
    }
    const [one, two] = [median(runs.one), median(runs.two)];
    const ours = { actualRps: Math.max(one, two) };
    const wrk = runs.wrk.length > 0 ? { rps: median(runs.wrk) } : undefined;
    const autocannon = runs.autocannon.length > 0 ? { rps: median(runs.autocannon) } : undefined;
    const peers = `wrk ${f(wrk?.rps, 0)}, autocannon ${f(autocannon?.rps, 0)}`;
    const vsAutocannon = autocannon ? ours.actualRps / autocannon.rps : undefined;
    const vsWrk = wrk ? ours.actualRps / wrk.rps : undefined;
    rows.push({
      section: '1 throughput',
      measure: `max rps (16 conns, nginx; median of ${S.throughputRounds})`,
      meshgate: `${f(ours.actualRps, 0)} (${one >= two ? '1 thread' : '2 threads'}; ${one >= two ? `2: ${f(two, 0)}` : `1: ${f(one, 0)}`})`,
      peers,
      target: '',
    });
    rows.push({
      section: '1 throughput',
      measure: '× autocannon',
      meshgate: f(vsAutocannon),
      peers: '',
      target: '≥ 1.0',
      pass: vsAutocannon !== undefined && vsAutocannon >= 1,
    });
    rows.push({
      section: '1 throughput',
      measure: '× wrk',
      meshgate: f(vsWrk),
      peers: '',
      target: '≥ 0.5',
      pass: vsWrk !== undefined && vsWrk >= 0.5,
    });

    log(`rate accuracy: 5000 rps for ${S.rate} s`);
    const rate = await runLoad(job(nginx.url, { rps: 5000, connections: 32, durationS: S.rate }));
    const rateError = Math.abs(rate.actualRps - 5000) / 5000;
    rows.push({
      section: '2 rate',
      measure: 'achieved rps at 5000',
      meshgate: f(rate.actualRps, 1),
      peers: '',
      target: '',
      pass: undefined,
    });
    rows.push({
      section: '2 rate',
      measure: 'rate error',
      meshgate: `${f(rateError * 100)}%`,
      peers: '',
      target: '< 1%',
      pass: rateError < 0.01 && rate.errors === 0,
    });
    rows.push({
      section: '2 rate',
      measure: 'schedule lag p99 / max (ms)',
      meshgate: `${f(rate.scheduleLagMs.p99, 3)} / ${f(rate.scheduleLagMs.max, 1)}`,
      peers: '',
      target: '(reported)',
    });
  } finally {
    await nginx.stop();
  }
}

/** Warm the fresh server up with our load at the test's rate (not measured). */
async function warmUp(url: string, connections: number): Promise<void> {
  log(`  warm-up: ${S.warm} s`);
  await runLoad(job(url, { rps: 1000, connections, durationS: S.warm, warmupS: 0 }));
}

/** Median of each latency field over rounds (undefined when a tool never ran). */
function medianOf(results: (PeerResult | undefined)[], key: 'p50Ms' | 'p90Ms' | 'p99Ms'): number | undefined {
  const values = results.map((r) => r?.[key]).filter((v): v is number => v !== undefined);
  return values.length > 0 ? median(values) : undefined;
}

async function noiseFloor(): Promise<void> {
  const delayMs = 1;
  const server = await startSampleServerProcess({ 'delay-ms': delayMs });
  try {
    log(`noise floor: D = ${delayMs} ms, 1000 rps, ${S.rounds} rounds of ${S.noise} s per tool`);
    await warmUp(server.url, 16);
    const ours: PeerResult[] = [];
    const p9995: number[] = [];
    const autocannon: (PeerResult | undefined)[] = [];
    const hey: (PeerResult | undefined)[] = [];
    for (let round = 0; round < S.rounds; round++) {
      const trial = await runLoad(
        job(server.url, { rps: 1000, connections: 16, durationS: S.noise, warmupS: 1 }),
      );
      ours.push({ rps: trial.actualRps, p50Ms: trial.latencyMs.p50, p99Ms: trial.latencyMs.p99 });
      p9995.push(decodeHistogram(trial.histogram).getValueAtPercentile(99.95) / 1000);
      autocannon.push(await runAutocannon(server.url, S.noise, 16, 1000));
      hey.push(await runHey(server.url, S.noise, 10, 1000));
      log(
        `  round ${round + 1}: p50/p99 ours ${f(trial.latencyMs.p50, 3)}/${f(trial.latencyMs.p99, 3)}, ` +
          `autocannon ${f(autocannon.at(-1)?.p50Ms)}/${f(autocannon.at(-1)?.p99Ms)}, hey ${f(hey.at(-1)?.p50Ms)}/${f(hey.at(-1)?.p99Ms)}`,
      );
    }
    const over = (value: number | undefined, digits: number) =>
      value === undefined ? 'n/a' : `+${f(value - delayMs, digits)}`;
    const peer = (key: 'p50Ms' | 'p99Ms') =>
      `autocannon ${over(medianOf(autocannon, key), 2)}, hey ${over(medianOf(hey, key), 2)}`;
    const p50 = medianOf(ours, 'p50Ms')! - delayMs;
    const p99 = medianOf(ours, 'p99Ms')! - delayMs;
    const rounds = S.rounds > 1 ? `, median of ${S.rounds}` : '';
    rows.push({
      section: '3 noise floor',
      measure: `p50 − D (ms${rounds})`,
      meshgate: `+${f(p50, 3)}`,
      peers: peer('p50Ms'),
      target: '< 0.1',
      pass: p50 < 0.1,
    });
    rows.push({
      section: '3 noise floor',
      measure: `p99 − D (ms${rounds})`,
      meshgate: `+${f(p99, 3)}`,
      peers: peer('p99Ms'),
      target: '< 1',
      pass: p99 < 1,
    });
    // The stall test's p90 sits where its held 10% begins: it stays within 1 ms of D only if
    // fewer than 1 in 2,000 requests (one per stall period) is otherwise late by over 1 ms.
    rows.push({
      section: '3 noise floor',
      measure: `p99.95 − D (ms${rounds}; the stall test's p90 needs it < 1)`,
      meshgate: `+${f(median(p9995) - delayMs, 3)}`,
      peers: '',
      target: '(reported)',
    });
  } finally {
    await server.stop();
  }
}

/** METHOD.md: percentile q of D + (uniform 0..S for a fraction S/P of requests). */
export function analyticStallMs(q: number, delayMs: number, stallMs: number, everyMs: number): number {
  return q > 1 - stallMs / everyMs ? delayMs + stallMs * (1 - ((1 - q) * everyMs) / stallMs) : delayMs;
}

async function stall(): Promise<void> {
  const [delayMs, stallMs, everyMs] = [1, 200, 2000];
  const server = await startSampleServerProcess({
    'delay-ms': delayMs,
    'stall-ms': stallMs,
    'stall-every-ms': everyMs,
  });
  try {
    log(`stall: ${stallMs} ms every ${everyMs} ms, 1000 rps, ${S.rounds} rounds of ${S.stall} s per tool`);
    // Enough connections that the stalled requests (200 at a time) never queue in the client.
    await warmUp(server.url, 400);
    const ours: PeerResult[] = [];
    const uncorrected: PeerResult[] = [];
    const autocannon: (PeerResult | undefined)[] = [];
    for (let round = 0; round < S.rounds; round++) {
      // Whole stall periods, so that exactly S/P of the measured requests meet a stall.
      const trial: LoadTrial = await runLoad(
        job(server.url, { rps: 1000, connections: 400, durationS: S.stall, warmupS: 1 }),
      );
      ours.push({ rps: trial.actualRps, p90Ms: trial.latencyMs.p90, p99Ms: trial.latencyMs.p99 });
      uncorrected.push({
        rps: trial.actualRps,
        p90Ms: trial.uncorrectedLatencyMs.p90,
        p99Ms: trial.uncorrectedLatencyMs.p99,
      });
      autocannon.push(await runAutocannon(server.url, S.stall, 400, 1000));
      log(
        `  round ${round + 1}: p90/p99 ours ${f(trial.latencyMs.p90)}/${f(trial.latencyMs.p99, 1)}, ` +
          `autocannon ${f(autocannon.at(-1)?.p90Ms, 0)}/${f(autocannon.at(-1)?.p99Ms, 0)}`,
      );
    }
    const p99 = analyticStallMs(0.99, delayMs, stallMs, everyMs);
    const p90 = analyticStallMs(0.9, delayMs, stallMs, everyMs);
    const [ours99, ours90] = [medianOf(ours, 'p99Ms')!, medianOf(ours, 'p90Ms')!];
    const rounds = S.rounds > 1 ? `; median of ${S.rounds}` : '';
    const p99Error = Math.abs(ours99 - p99) / p99;
    rows.push({
      section: '4 stall (CO)',
      measure: `p99 (analytic ${f(p99, 1)}${rounds})`,
      meshgate: `${f(ours99, 1)} (uncorr. ${f(medianOf(uncorrected, 'p99Ms'), 1)})`,
      peers: `autocannon ${f(medianOf(autocannon, 'p99Ms'), 0)}`,
      target: 'within 5%',
      pass: p99Error < 0.05,
    });
    rows.push({
      section: '4 stall (CO)',
      measure: `p90 (analytic ${f(p90, 1)}${rounds})`,
      meshgate: `${f(ours90, 2)} (uncorr. ${f(medianOf(uncorrected, 'p90Ms'), 2)})`,
      peers: `autocannon ${f(medianOf(autocannon, 'p90Ms'), 0)}`,
      target: 'within 1 ms',
      pass: Math.abs(ours90 - p90) < 1,
    });
  } finally {
    await server.stop();
  }
}

/** The machine's own pauses, measured with nothing else running (a reference, no target). */
async function pauses(): Promise<void> {
  log(`machine pauses: spinning on every CPU for ${S.probe} s`);
  const probe = await measurePauses(S.probe);
  rows.push({
    section: '0 machine',
    measure: `pauses ≥ 1 ms while spinning (${probe.cpus} CPUs, ${probe.seconds} s)`,
    meshgate: '',
    peers: `${f(probe.perSecondPerCpu, 1)}/s per CPU, longest ${f(probe.longestMs, 1)} ms, ${f(probe.lostFraction * 100, 2)}% of time`,
    target: '(reference)',
  });
}

async function memory(): Promise<void> {
  log('memory: bundling dist/loadgen into a temporary directory');
  let bundle: Bundle | undefined;
  try {
    bundle = bundleLoadgen();
  } catch (error) {
    log(
      `bundling failed, measuring the source form (tsx adds ~40 MiB per thread): ${(error as Error).message}`,
    );
  }
  const nginx = await startNginx(1);
  try {
    log(`memory: max-rate run of ${S.rss} s in the standalone generator`);
    const loadJob = job(nginx.url, { rps: 0, connections: 16, threads: 2, durationS: S.rss, warmupS: 0 });
    const entry = bundle ? [bundle.loadgen] : nodeArgsFor('loadgen');
    const run = await runToEnd(process.execPath, [...entry, '--job', JSON.stringify(loadJob)], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const trial = run.code === 0 ? (JSON.parse(run.stdout) as LoadTrial) : undefined;
    rows.push({
      section: '5 memory',
      measure: `peak RSS, ${S.rss} s max rate, ${bundle ? 'bundle' : 'source'} (MiB)`,
      meshgate: `${f(run.peakRssMib, 0)} (${f(trial?.actualRps, 0)} rps)`,
      peers: '',
      target: '< 150',
      pass: run.code === 0 && run.peakRssMib < 150,
    });
  } finally {
    await nginx.stop();
    bundle?.remove();
  }
}

function mergeExactness(): void {
  const workers = 8;
  const single = createHistogram();
  const parts = Array.from({ length: workers }, () => createHistogram());
  let state = 42;
  for (let i = 0; i < 1_000_000; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const valueUs = 20 + 5000 * -Math.log(1 - state / 2147483648);
    recordUs(single, valueUs);
    recordUs(parts[i % workers], valueUs);
  }
  const merged = mergeEncoded(parts.map(encodeHistogram));
  const same = merged.totalCount === single.totalCount && encodeHistogram(merged) === encodeHistogram(single);
  rows.push({
    section: '6 merge',
    measure: `${workers} workers × 125k values vs one`,
    meshgate: same ? 'identical' : 'DIFFERENT',
    peers: '',
    target: 'count for count',
    pass: same,
  });
}

function printTable(): void {
  const header = ['', 'measure', 'meshgate', 'peers (same run)', 'target', 'result'];
  const lines = rows.map((r) => [
    r.section,
    r.measure,
    r.meshgate,
    r.peers,
    r.target,
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const out = [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`);
  process.stdout.write(
    `\nmeshgate load engine benchmark (${quick ? 'quick' : 'full'}), ${new Date().toISOString()}\n\n${out.join('\n')}\n`,
  );
  const failed = rows.filter((r) => r.pass === false).length;
  process.stdout.write(
    `\n${rows.filter((r) => r.pass !== undefined).length - failed} targets passed, ${failed} failed\n`,
  );
}

async function main(): Promise<void> {
  const steps = [
    ['pauses', 'machine pauses', pauses],
    ['throughput', 'throughput and rate', throughput],
    ['noise', 'noise floor', noiseFloor],
    ['stall', 'stall', stall],
    ['memory', 'memory', memory],
  ] as const;
  const unknown = [...(only ?? [])].filter((key) => !steps.some(([k]) => k === key));
  if (unknown.length > 0)
    throw new Error(`--only: unknown section '${unknown[0]}' (${steps.map(([k]) => k).join(', ')})`);
  for (const [key, name, step] of steps) {
    if (only && !only.has(key)) continue;
    try {
      await step();
    } catch (error) {
      log(`${name} failed: ${(error as Error).stack ?? error}`);
      rows.push({
        section: name,
        measure: 'could not run',
        meshgate: String((error as Error).message),
        peers: '',
        target: '',
        pass: false,
      });
    }
  }
  if (!only) mergeExactness();
  printTable();
}

await main();
process.exit(0);
