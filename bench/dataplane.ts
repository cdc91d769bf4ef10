/**
 * Benchmark of data-plane builds on loopback with the real nginx and HAProxy, through the real
 * pipeline (measure() with the profile's sequential design, then judge()):
 *  - detect: head's nginx gzips every 16 KiB answer, base's runs the stock config; a decision
 *    detects it when the proxy-CPU-per-request row (gate.dataplane.cpu, +10%) is a regression.
 *    Target: ≥ 95% of decisions; the measured CPU ratio head/base is printed.
 *  - A/A: the same config (nginx with the native route filter) as base and head. Target: 0 false
 *    alarms on the CPU and memory rows in ≥ 20 decisions.
 *  - table: profiles/dataplane-filters.yaml once — the route function none / native / scripted on
 *    nginx (map vs njs) and HAProxy (ACLs vs Lua): p50 and p99 added over no proxy, proxy CPU per
 *    1,000 requests, and the scripted/native ratios from the paired rows.
 * Detect and A/A decisions alternate, so a noisy spell on the machine is shared by both.
 *
 *   npm run bench:dataplane                 20 + 20 decisions and the table (~60 min on 2 cores)
 *   npm run bench:dataplane -- --quick      1 + 1 short decisions and a 1-trial table (a smoke, ~1 min)
 *   options: --decisions N (each of detect and A/A), --json FILE (per-decision rows)
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { judge } from '../src/gate.js';
import { sequentialDesign } from '../src/verdict/looks.js';
import { measure } from '../src/pipeline.js';
import { loadProfile, parseProfile } from '../src/profile/load.js';
import type { Profile } from '../src/profile/types.js';
import type { Results, Variant } from '../src/results/schema.js';
import { median } from '../src/stats/descriptive.js';
import { variantValues } from '../src/stats/pairing.js';
import type { VerdictRow } from '../src/verdict/schema.js';
import { log, progressPrefix, quietLogger as quiet, startBenchRun } from './lib/bench-run.js';
import { rateWithInterval } from './lib/gate-report.js';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const DECISIONS = Number(option('decisions') ?? (QUICK ? 1 : 20));
if (!Number.isInteger(DECISIONS) || DECISIONS < 1) throw new Error(`--decisions '${option('decisions')}': expected a whole number ≥ 1`);
const JSON_FILE = option('json');


const LOAD = QUICK
  ? { rps: 300, duration: '500ms', warmup: '200ms' }
  : { rps: 500, duration: '5s', warmup: '1s' };
const TRIALS = QUICK ? { trials: 2, max_trials: 2 } : { trials: 6, max_trials: 12 };

/** base and head nginx data planes in front of one sample server answering 16 KiB after 1 ms. */
function pairProfile(name: string, head: Record<string, string>, base: Record<string, string>): Profile {
  return parseProfile(
    {
      name,
      platform: 'local',
      workload: { sample: 'echo', delay: '1ms', response_size: 16384 },
      mesh: [{ name: 'nginx', concurrency: 1, builds: { base, head } }],
      load: { ...LOAD, request: { path: '/api/items', headers: { 'accept-encoding': 'gzip' } } },
      ...TRIALS,
      gate: {
        p99: { max_increase: '20%' },
        dataplane: { cpu: { max_increase: '10%', min_delta: '1ms' }, memory: { max_increase: '10%', min_delta: '2MiB' } },
      },
    },
    resolve('profiles/bench-dataplane.yaml'), // includes resolve against profiles/
  );
}

const native = { include: 'dataplane/nginx-native.conf' };
const SCENARIOS = {
  detect: pairProfile('bench-dataplane-gzip', { include: 'dataplane/nginx-gzip.conf' }, {}),
  'A/A': pairProfile('bench-dataplane-aa', native, native),
};

interface DecisionRow {
  scenario: keyof typeof SCENARIOS;
  verdict: string;
  cpu?: string;
  memory?: string;
  p99?: string;
  cpuChange?: number | null;
  trials: number;
}

async function decideOnce(scenario: keyof typeof SCENARIOS, signal: AbortSignal): Promise<DecisionRow> {
  const profile = SCENARIOS[scenario];
  const results = await measure(profile, { log: quiet, signal, ...sequentialDesign(profile) });
  const { verdict } = judge(results);
  const row = (metric: VerdictRow['metric']) => verdict.checks.find((c) => c.id === `build:head/nginx:${metric}`);
  return {
    scenario,
    verdict: verdict.verdict,
    cpu: row('proxyCpuMsPer1kRequests')?.verdict,
    memory: row('proxyMemoryMib')?.verdict,
    p99: row('p99')?.verdict,
    cpuChange: row('proxyCpuMsPer1kRequests')?.change,
    trials: results.variants[0].trials.length,
  };
}

const ms = (value: number | undefined) => (value === undefined ? '–' : `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)} ms`);
const levelOf = (variant: Variant | undefined, metric: Parameters<typeof variantValues>[1]) => {
  const values = variant ? variantValues(variant, metric) : [];
  return values.length > 0 ? median(values) : undefined;
};

/** none / native / scripted per proxy, from one run of profiles/dataplane-filters.yaml. */
function filtersTable(results: Results, checks: VerdictRow[]): string {
  const byId = new Map(results.variants.map((v) => [v.id, v]));
  const none = byId.get('head/none');
  const lines = [
    '| proxy | function | p50 added | p99 added | proxy CPU per 1,000 requests | requests per proxy CPU-second |',
    '|---|---|---|---|---|---|',
  ];
  const ratios: string[] = [];
  for (const proxy of ['nginx', 'haproxy']) {
    const ways: [string, string][] = [
      ['none (stock proxy)', `head/${proxy}`],
      [proxy === 'nginx' ? 'native (map)' : 'native (ACLs)', `base/${proxy}-route`],
      [proxy === 'nginx' ? 'scripted (njs)' : 'scripted (Lua)', `head/${proxy}-route`],
    ];
    for (const [label, id] of ways) {
      const variant = byId.get(id);
      const added = (metric: 'p50' | 'p99') => {
        const mine = levelOf(variant, metric);
        const theirs = levelOf(none, metric);
        return mine !== undefined && theirs !== undefined ? mine - theirs : undefined;
      };
      const cpu = levelOf(variant, 'proxyCpuMsPer1kRequests');
      lines.push(
        `| ${proxy} | ${label} | ${ms(added('p50'))} | ${ms(added('p99'))} | ${cpu === undefined ? '–' : `${cpu.toFixed(1)} ms`} | ${cpu ? Math.round(1e6 / cpu).toLocaleString('en-US') : '–'} |`,
      );
    }
    const row = (metric: VerdictRow['metric']) => checks.find((c) => c.id === `build:head/${proxy}-route:${metric}`);
    const ratio = (check: VerdictRow | undefined) =>
      check?.change === null || check?.change === undefined
        ? '–'
        : `${(1 + check.change).toFixed(2)}×${check.changeLower !== null && check.changeUpper !== null ? ` (CI ${(1 + check.changeLower).toFixed(2)}–${(1 + check.changeUpper).toFixed(2)})` : ''}`;
    ratios.push(`${proxy} scripted/native: CPU per request ${ratio(row('proxyCpuMsPer1kRequests'))}, p99 ${ratio(row('p99'))}`);
  }
  return [...lines, '', ...ratios].join('\n');
}

async function main(): Promise<number> {
  // First signal: abort the decision under way, clean up, print what was done; second: stop at once.
  const run = startBenchRun();
  const rows: DecisionRow[] = [];
  const scenarios = Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[];
  try {
    for (let i = 0; i < DECISIONS; i++)
      for (const scenario of scenarios) {
        const row = await decideOnce(scenario, run.signal);
        rows.push(row);
        log(`${progressPrefix(rows.length, DECISIONS * scenarios.length, run.elapsedS())} ${scenario} ${i + 1}/${DECISIONS}: ${row.verdict} (cpu ${row.cpu}, memory ${row.memory}, p99 ${row.p99}, CPU ${row.cpuChange === null || row.cpuChange === undefined ? '–' : `${(row.cpuChange * 100).toFixed(1)}%`}, ${row.trials} trials)`);
      }
  } catch (error) {
    if (!run.interrupted) throw error;
  }

  let table = '';
  if (!run.interrupted) {
    const profile = await loadProfile('profiles/dataplane-filters.yaml');
    const short: Profile = QUICK
      ? { ...profile, trials: 1, maxTrials: 1, load: { ...profile.load, rps: 300, durationS: 0.5, warmupS: 0.2 } }
      : profile;
    log(`table: ${short.mesh.length} mesh entries × ${short.trials} trials`);
    const results = await measure(short, { log: quiet, signal: run.signal });
    table = filtersTable(results, judge(results).verdict.checks);
  }

  const of = (scenario: keyof typeof SCENARIOS) => rows.filter((r) => r.scenario === scenario);
  const detect = of('detect');
  const aa = of('A/A');
  const detected = detect.filter((r) => r.cpu === 'regression').length;
  const falseAlarms = aa.filter((r) => r.cpu === 'regression' || r.memory === 'regression').length;
  const cpuRatios = detect.map((r) => r.cpuChange).filter((c): c is number => typeof c === 'number');
  const out = [
    `bench:dataplane${QUICK ? ' --quick (smoke: too few decisions for the targets)' : ''}, ${new Date().toISOString()}, ${Math.round(run.elapsedS())} s`,
    '',
    '| scenario | decisions | CPU row regression [Wilson 95%] | memory row regression | target |',
    '|---|---|---|---|---|',
    `| detect: gzip vs stock nginx | ${detect.length} | ${rateWithInterval(detected, detect.length)} | ${detect.filter((r) => r.memory === 'regression').length} | CPU ≥ 95% |`,
    `| A/A: same config | ${aa.length} | ${rateWithInterval(aa.filter((r) => r.cpu === 'regression').length, aa.length)} | ${aa.filter((r) => r.memory === 'regression').length} | 0 false alarms in ≥ 20 |`,
    '',
    `measured CPU per request, gzip head / stock base: ${cpuRatios.length > 0 ? `${(1 + median(cpuRatios)).toFixed(2)}× (median of ${cpuRatios.length} decisions)` : '–'}`,
    `targets: detection ${detect.length > 0 && detected / detect.length >= 0.95 ? 'met' : 'not met'}; A/A ${aa.length >= 20 && falseAlarms === 0 ? 'met' : aa.length < 20 ? `not enough decisions (${aa.length} < 20)` : `${falseAlarms} false alarms`}`,
    '',
    table,
  ].join('\n');
  process.stdout.write(`${out}\n`);
  if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify(rows, null, 2));
  return run.interrupted ? 130 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench:dataplane failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
