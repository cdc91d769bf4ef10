/**
 * Benchmark of the cost phase (instructions per request, counted under Callgrind) on loopback
 * with the real nginx and HAProxy, through the real pipeline (measure() then judge()):
 *  - calibration, alone first: per proxy, the instructions one extra response-header line costs
 *    (nginx `add_header`, HAProxy `http-response set-header`), from a cost phase of the stock
 *    config against one with CAL_LINES lines; then the lines that make +1%, +2% and +5%.
 *  - A/A: the stock config as base and head, nginx and HAProxy. Target: spread of instructions
 *    per request ≤ 0.5%, 0 false alarms in ≥ 20 decisions at a 2% threshold.
 *  - changes of known size: nominal +1% (judged at 1%), +2% and +5% (at 2%) on nginx, each the
 *    fewest whole header lines whose calibrated cost is at least the nominal size (a change
 *    exactly at the threshold is a coin flip under significant-and-material); the table prints
 *    the calibrated size. Target: detected in
 *    ≥ 95% at +2% and +5%, ≥ 90% at +1% (Wilson 95% intervals). The timed CPU-per-request row
 *    (gate.dataplane.cpu at the same threshold) is judged on the same trials, so the table shows
 *    what each can see.
 *  - wall time of the cost phase per verdict and Valgrind's slowdown (the same batch of requests
 *    through the proxy natively and under Callgrind).
 * Scenarios alternate within each round, so a noisy spell on the machine is shared by all.
 *
 *   npm run bench:cost                       20 decisions per scenario (~2 h on 2 cores)
 *   npm run bench:cost -- --quick            1 short decision per scenario (a smoke, ~3 min)
 *   options: --decisions N, --json FILE (per-decision rows)
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge } from '../src/gate.js';
import { measure } from '../src/pipeline.js';
import { runCostPhase } from '../src/platform/local/cost/phase.js';
import { sendBatch } from '../src/platform/local/cost/requests.js';
import { CallgrindProcess, callgrindCommand } from '../src/platform/local/cost/callgrind.js';
import type { ProxyChain } from '../src/platform/local/proxies/chain.js';
import { cpuTicks } from '../src/platform/local/resources.js';
import { localDataPlane } from '../src/platform/local/proxies/registry.js';
import { parseProfile } from '../src/profile/load.js';
import type { MeshSpec, Profile } from '../src/profile/types.js';
import type { Results } from '../src/results/schema.js';
import { batchValues } from '../src/verdict/cost.js';
import { median } from '../src/stats/descriptive.js';
import { startSampleServer } from '../src/sample-server/server.js';
import { log, progressPrefix, quietLogger as quiet, startBenchRun } from './lib/bench-run.js';
import { rateWithInterval } from './lib/gate-report.js';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const DECISIONS = Number(option('decisions') ?? (QUICK ? 1 : 20));
if (!Number.isInteger(DECISIONS) || DECISIONS < 1)
  throw new Error(`--decisions '${option('decisions')}': expected a whole number ≥ 1`);
const JSON_FILE = option('json');

const COST = QUICK
  ? { requests: 200, batches: 3, warmup_requests: 100 }
  : { requests: 1000, batches: 5, warmup_requests: 300 };
const LOAD = QUICK
  ? { rps: 300, duration: '500ms', warmup: '200ms' }
  : { rps: 500, duration: '3s', warmup: '1s' };
const TRIALS = QUICK ? { trials: 2, max_trials: 2 } : { trials: 6, max_trials: 6 };
const CAL_LINES = 20;
const REQUEST = { method: 'GET', path: '/api/users/42', headers: {}, body: '' };

type Proxy = 'nginx' | 'haproxy';
/** `count` response-header lines, in the proxy's include syntax. */
const headerLines = (proxy: Proxy, count: number): string =>
  Array.from({ length: count }, (_, i) =>
    proxy === 'nginx' ? `add_header X-Cal-${i} v${i} always;` : `http-response set-header X-Cal-${i} v${i}`,
  ).join('\n') + '\n';

interface Scenario {
  name: string;
  proxy: Proxy;
  /** Extra header lines of head (0: A/A). */
  lines: number;
  threshold: number;
  /** Calibrated size of the change (fraction), for the table. */
  size: number;
}

interface DecisionRow {
  scenario: string;
  costVerdict?: string;
  costChange?: number | null;
  cpuVerdict?: string;
  cpuChange?: number | null;
  /** CV of instructions per request across each side's batches. */
  spread: number[];
  costWallS: number;
  verdict: string;
}

/** A profile comparing `base` and `head` includes of one proxy, cost and timed CPU at `threshold`. */
function pairProfile(dir: string, scenario: Scenario, headFile: string): Profile {
  const pct = `${+(scenario.threshold * 100).toFixed(2)}%`;
  return parseProfile(
    {
      name: `bench-cost-${scenario.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`,
      platform: 'local',
      workload: { sample: 'echo', delay: '1ms' },
      mesh: [
        {
          name: scenario.proxy,
          concurrency: 1,
          builds: { base: {}, head: scenario.lines > 0 ? { include: headFile } : {} },
        },
      ],
      load: { ...LOAD, request: { path: REQUEST.path } },
      ...TRIALS,
      cost: COST,
      gate: {
        p99: { max_increase: '50%' },
        cost: { max_increase: pct },
        dataplane: { cpu: { max_increase: pct } },
      },
    },
    join(dir, 'profile.yaml'),
  );
}

/** Instructions per request of the stock proxy and of one with CAL_LINES header lines, and native vs counted batch time. */
/** Median wall time and proxy CPU time of three batches, natively or under Callgrind with instrumentation on. */
async function timeBatches(
  dir: string,
  proxy: Proxy,
  mesh: MeshSpec,
  appUrl: string,
  signal: AbortSignal,
  counted = false,
) {
  const outDir = await mkdtemp(join(dir, 'slowdown-'));
  const running = (await localDataPlane(proxy)!.start(appUrl, mesh, {
    log: quiet,
    workDir: dir,
    ...(counted ? { counting: { wrap: (program, args) => callgrindCommand(outDir, program, args) } } : {}),
  })) as ProxyChain;
  const send = (count: number) =>
    sendBatch(running.url, REQUEST, count, { connections: 2, timeoutMs: 120_000, signal });
  const cpuMs = () => running.pids().reduce((sum, pid) => sum + (cpuTicks(pid) ?? 0), 0) * 10;
  try {
    await send(COST.warmup_requests);
    if (counted) await new CallgrindProcess(running.hops[0].proc.pid, outDir).instrumentationOn();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = cpuMs();
      wall.push((await send(COST.requests)).durationMs);
      cpu.push(cpuMs() - before);
    }
    return { wallMs: median(wall), cpuMs: median(cpu) };
  } finally {
    await running.stop();
  }
}

async function calibrate(dir: string, proxy: Proxy, signal: AbortSignal) {
  // In process: calibration counts; the slowdown compares two batches through the same server.
  const app = await startSampleServer({ delayMs: 1 });
  try {
    const file = join(dir, `${proxy}-cal.conf`);
    await writeFile(file, headerLines(proxy, CAL_LINES));
    const mesh = (dataPlane?: MeshSpec['dataPlane']): MeshSpec =>
      ({
        id: proxy,
        name: proxy,
        mtls: false,
        tls: false,
        accessLog: false,
        hops: 1,
        upstreamProtocol: 'http1',
        concurrency: 1,
        ...(dataPlane ? { dataPlane } : {}),
      }) as MeshSpec;
    const spec = {
      method: 'callgrind' as const,
      requests: COST.requests,
      batches: 3,
      warmupRequests: COST.warmup_requests,
      connections: 2,
      workload: false,
    };
    const costs = await runCostPhase(
      [
        { variantId: 'base/stock', mesh: mesh(), appUrl: app.url },
        {
          variantId: `head/${CAL_LINES}-lines`,
          mesh: mesh({ include: file, field: 'bench' }),
          appUrl: app.url,
        },
      ],
      { spec, request: REQUEST, log: quiet, workDir: dir, signal },
    );
    const base = median(batchValues(costs.get('base/stock')!));
    const head = median(batchValues(costs.get(`head/${CAL_LINES}-lines`)!));
    // The same batches through the proxy natively and under Callgrind (instrumented): wall time
    // of a batch (the 1 ms application included) and the proxy's own CPU time (schedstat).
    const native = await timeBatches(dir, proxy, mesh(), app.url, signal);
    const counted = await timeBatches(dir, proxy, mesh(), app.url, signal, true);
    return {
      base,
      perLine: (head - base) / CAL_LINES,
      slowdown: counted.wallMs / native.wallMs,
      cpuSlowdown: counted.cpuMs / native.cpuMs,
    };
  } finally {
    await app.close();
  }
}

async function decideOnce(
  dir: string,
  scenario: Scenario,
  headFile: string,
  signal: AbortSignal,
): Promise<DecisionRow> {
  const results: Results = await measure(pairProfile(dir, scenario, headFile), { log: quiet, signal });
  const { verdict } = judge(results);
  const row = (metric: string) =>
    verdict.checks.find((c) => c.id === `build:head/${scenario.proxy}:${metric}`);
  const cost = row('instructionsPerRequest');
  const cpu = row('proxyCpuMsPer1kRequests');
  const spread = results.variants
    .filter((v) => v.cost)
    .map((v) => {
      const values = batchValues(v.cost!);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return (
        Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, values.length - 1)) / mean
      );
    });
  return {
    scenario: scenario.name,
    costVerdict: cost?.verdict,
    costChange: cost?.change,
    cpuVerdict: cpu?.verdict,
    cpuChange: cpu?.change,
    spread,
    costWallS: results.variants.reduce((sum, v) => sum + (v.cost?.wallS ?? 0), 0),
    verdict: verdict.verdict,
  };
}

const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '–' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(digits)}%`;
const range = (values: number[], show: (x: number) => string) =>
  values.length === 0
    ? '–'
    : `${show(median(values))} (${show(Math.min(...values))} – ${show(Math.max(...values))})`;

async function main(): Promise<number> {
  const run = startBenchRun();
  const dir = await mkdtemp(join(tmpdir(), 'meshgate-bench-cost-'));
  const rows: DecisionRow[] = [];
  const calibration: Record<Proxy, Awaited<ReturnType<typeof calibrate>> | undefined> = {
    nginx: undefined,
    haproxy: undefined,
  };
  const scenarios: Scenario[] = [];
  try {
    for (const proxy of ['nginx', 'haproxy'] as const) {
      calibration[proxy] = await calibrate(dir, proxy, run.signal);
      const c = calibration[proxy]!;
      log(
        `calibration ${proxy}: ${Math.round(c.base)} instructions per request, ${c.perLine.toFixed(0)} per header line, Valgrind slowdown ${c.slowdown.toFixed(1)}× wall, ${c.cpuSlowdown.toFixed(0)}× proxy CPU`,
      );
    }
    const nginx = calibration.nginx!;
    // At least the nominal size: the table prints the calibrated one.
    const linesFor = (size: number) => Math.max(1, Math.ceil((size * nginx.base) / nginx.perLine));
    scenarios.push(
      { name: 'A/A nginx', proxy: 'nginx', lines: 0, threshold: 0.02, size: 0 },
      { name: 'A/A haproxy', proxy: 'haproxy', lines: 0, threshold: 0.02, size: 0 },
      ...[
        [0.01, 0.01],
        [0.02, 0.02],
        [0.05, 0.02],
      ].map(([size, threshold]) => {
        const lines = linesFor(size);
        return {
          name: `nominal +${size * 100}% nginx (${lines} header line${lines === 1 ? '' : 's'})`,
          proxy: 'nginx' as const,
          lines,
          threshold,
          size: (lines * nginx.perLine) / nginx.base,
        };
      }),
    );
    for (const s of scenarios)
      if (s.lines > 0) await writeFile(join(dir, `head-${s.lines}.conf`), headerLines(s.proxy, s.lines));
    for (let i = 0; i < DECISIONS; i++)
      for (const scenario of scenarios) {
        const row = await decideOnce(dir, scenario, `head-${scenario.lines}.conf`, run.signal);
        rows.push(row);
        log(
          `${progressPrefix(rows.length, DECISIONS * scenarios.length, run.elapsedS())} ${scenario.name} ${i + 1}/${DECISIONS}: cost ${row.costVerdict} ${pct(row.costChange, 2)}, timed CPU ${row.cpuVerdict} ${pct(row.cpuChange)}, spread ${row.spread.map((s) => pct(s, 2)).join('/')}, cost phase ${row.costWallS.toFixed(0)} s`,
        );
      }
  } catch (error) {
    if (!run.interrupted) throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const of = (name: string) => rows.filter((r) => r.scenario === name);
  const lines = [
    `bench:cost${QUICK ? ` --quick (${COST.batches} batches of ${COST.requests} requests, ${TRIALS.trials} trials per variant)` : ''}, ${DECISIONS} decision(s) per scenario${DECISIONS < 20 ? ' (too few for the targets)' : ''}, ${new Date().toISOString()}, ${Math.round(run.elapsedS())} s`,
    '',
    ...(['nginx', 'haproxy'] as const).map((proxy) => {
      const c = calibration[proxy];
      return c
        ? `calibration ${proxy}: ${Math.round(c.base).toLocaleString('en-US')} instructions per request (stock, 1 worker), ${c.perLine.toFixed(0)} per extra header line, Valgrind slowdown ${c.slowdown.toFixed(1)}× in wall time per batch (1 ms application included), ${c.cpuSlowdown.toFixed(0)}× in the proxy's CPU time (same batch natively vs under Callgrind, instrumented)`
        : `calibration ${proxy}: –`;
    }),
    '',
    '| scenario | threshold | decisions | counted: regression [Wilson 95%] | counted change, median (range) | timed CPU: regression [Wilson 95%] | timed CPU change, median (range) | batch spread (CV), median (range) |',
    '|---|---|---|---|---|---|---|---|',
    ...scenarios.map((s) => {
      const r = of(s.name);
      const costChanges = r.map((x) => x.costChange).filter((x): x is number => typeof x === 'number');
      const cpuChanges = r.map((x) => x.cpuChange).filter((x): x is number => typeof x === 'number');
      return `| ${s.name}${s.size > 0 ? `: calibrated ${pct(s.size, 2)}` : ''} | ${pct(s.threshold, 0)} | ${r.length} | ${rateWithInterval(r.filter((x) => x.costVerdict === 'regression').length, r.length)} | ${range(costChanges, (x) => pct(x, 2))} | ${rateWithInterval(r.filter((x) => x.cpuVerdict === 'regression').length, r.length)} | ${range(cpuChanges, (x) => pct(x))} | ${range(
        r.flatMap((x) => x.spread),
        (x) => pct(x, 2),
      )} |`;
    }),
    '',
    `cost phase wall time per verdict (two variants, one proxy): ${range(
      rows.map((r) => r.costWallS),
      (x) => `${x.toFixed(0)} s`,
    )}`,
    'targets: A/A spread ≤ 0.5% and 0 false alarms in ≥ 20; detected ≥ 95% at +2% and +5%, ≥ 90% at +1% (1% threshold); cost phase ≤ 60 s',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify({ calibration, rows }, null, 2));
  return run.interrupted ? 130 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench:cost failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
