/**
 * Benchmark of the gate (issue 5): many complete decisions against real servers on loopback,
 * through the real pipeline (measure() with the profile's sequential design, then judge()).
 * A/A: two sample servers at D; A/B: D vs 1.03·D, 1.15·D, 1.2·D; overhead: nginx measured
 * directly and behind the nginx data plane (reported, no target). Counts come from a shortened
 * profile; a few decisions with the default profile give the load seconds per verdict.
 * Decisions of all scenarios are interleaved over the run, so a noisy spell on the machine is
 * shared by every scenario instead of spoiling one. Prints one table and exits 0 (130 when
 * interrupted, after printing what was done).
 *
 * The mesh-scale section (bench/lib/gate-mesh.ts: D = 1 ms, proxy hops, accuracy rows) runs
 * first and is printed beside it.
 *
 *   npm run bench:gate                 both sections (~50 + ~50 min on 2 cores)
 *   npm run bench:gate -- --quick      2 decisions per scenario, 1 with the default profile (~6 min)
 *   options: --section mesh|classic (one section only),
 *            --decisions N (per A/B scenario; A/A gets max(N, 40) in a full run), --default N,
 *            --overhead N, --json FILE (raw per-decision rows),
 *            --mesh-decisions N, --mesh-aa N, --mesh-hops N, --mesh-accuracy-s S, --mesh-rounds N,
 *            --mesh-rps N, --mesh-trial-s S (the decisions' rate and trial length; 1000, 2),
 *            --mesh-only LABEL[,LABEL] (only these scenarios, e.g. "+15%"; --mesh-rounds 0 skips
 *            the accuracy rows), --mesh-save DIR (every decision's results.json, for a look at
 *            its trials afterwards), --mesh-fresh-servers (new sample-server processes for every
 *            decision, as every CI run has; the nginx hops keep theirs)
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { judge } from '../src/gate.js';
import { sequentialDesign } from '../src/verdict/looks.js';
import { measure } from '../src/pipeline.js';
import { parseProfile } from '../src/profile/load.js';
import { DEFAULT_RULE, describeRule } from '../src/verdict/rule.js';
import type { Profile } from '../src/profile/types.js';
import type { Results } from '../src/results/schema.js';
import { countsTable, defaultTable, targets, type DecisionRow, type ProfileKind } from './lib/gate-report.js';
import { clock, log, progressPrefix, quietLogger, startBenchRun } from './lib/bench-run.js';
import { runMeshSection } from './lib/gate-mesh.js';
import { startOverhead, startPair, type Scenario } from './lib/gate-scenarios.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const count = (name: string, fallback: number): number => {
  const raw = option(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} '${raw}': expected a whole number ≥ 0`);
  return value;
};
const QUICK = args.includes('--quick');
const DECISIONS = count('decisions', QUICK ? 2 : 20);
const MIN_AA = 40;
const AA_DECISIONS = QUICK ? DECISIONS : Math.max(DECISIONS, MIN_AA);
const DEFAULT_DECISIONS = count('default', QUICK ? 1 : 3);
const OVERHEAD_DECISIONS = count('overhead', QUICK ? 1 : 2);
const JSON_FILE = option('json');
const SECTION = option('section') ?? 'all';
if (!['all', 'mesh', 'classic'].includes(SECTION))
  throw new Error(`--section '${SECTION}': expected mesh or classic`);
const MESH = {
  aaDecisions: count('mesh-aa', QUICK ? 2 : MIN_AA),
  decisions: count('mesh-decisions', QUICK ? 2 : 15),
  hopDecisions: count('mesh-hops', QUICK ? 1 : 4),
  accuracyS: count('mesh-accuracy-s', QUICK ? 3 : 10),
  rounds: count('mesh-rounds', QUICK ? 1 : 3),
  decisionRps: count('mesh-rps', 1000),
  trialS: Number(option('mesh-trial-s') ?? 2),
  only: option('mesh-only')?.split(','),
  saveDir: option('mesh-save'),
  freshServers: args.includes('--mesh-fresh-servers'),
};

/**
 * Sample-server delay of the base build. The generator and server add a tail of ~1.5 ms (up to
 * 4 ms on a busy machine) at p99 on a shared 2-core machine, which dilutes an injected change:
 * a +15% delay showed as +12.5% at p99 with D = 10 ms and +14% with 20 ms (medians, runs of
 * 2026-11-23), and as +9% in a decision whose base tail grew to 3.3 ms. 40 ms keeps the measured
 * change within ~0.5% of the injected one even then; the tail still gives per-trial noise.
 * Both profiles use it: 64 connections (short) and the default's 50 carry 24 in flight at 500 rps.
 */
const D_MS = 40;
const PAIRS = [
  { label: 'A/A', ratio: 1 },
  { label: '+3%', ratio: 1.03 },
  { label: '+15%', ratio: 1.15 },
  { label: '+20%', ratio: 1.2 },
];
const OVERHEAD_LABEL = 'nginx proxy';
/** The default-profile decisions cycle through these (the gray zone first: most likely to extend). */
const DEFAULT_SCENARIOS = ['+15%', 'A/A', '+20%', '+3%'];

/**
 * Shortened profile for the counts: the default's rate with 1 s trials after a 250 ms warm-up,
 * 6 → 9 → 12 trials; 64 connections for 48 ms answers (24 in flight at 500 rps).
 * A trial costs ~0.35 s more than its load (worker threads start per trial), so a decision takes
 * 19 s, 38 s when extended to 12, 26 s on average; 40 + 3 × 20 + 2 of them and 3 default-profile
 * decisions (72–144 s of load each) took 49 min on a quiet 2-core machine with 20 per A/B.
 */
const SHORT = {
  load: { rps: 500, connections: 64, duration: '1s', warmup: '250ms' },
  trials: 6,
  max_trials: 12,
};

function profileFor(kind: ProfileKind, scenario: Pick<Scenario, 'doc'>): Profile {
  const doc = { name: `bench-gate-${kind}`, ...scenario.doc, ...(kind === 'short' ? SHORT : {}) };
  return parseProfile(doc, `bench ${kind} profile`);
}

const describeProfile = (p: Profile) =>
  `rps ${p.load.rps}, connections ${p.load.connections} on ${p.load.threads} threads, ${p.load.durationS} s trials after ${p.load.warmupS} s warm-up, trials ${p.trials}, max_trials ${p.maxTrials}, p99 threshold ${(p.gate.latency.p99?.maxIncrease ?? NaN) * 100}% (min_delta ${p.gate.latency.p99?.minDeltaMs === undefined ? 'measured from the run' : `${p.gate.latency.p99.minDeltaMs} ms`}), confidence ${p.gate.confidence * 100}%`;

interface Planned {
  scenario: Scenario;
  kind: ProfileKind;
  index: number;
}

/** Every scenario's decisions spread evenly over the run (by fraction of its own count). */
function plan(counted: Scenario[], withDefaults: Scenario[]): Planned[] {
  const items: (Planned & { at: number })[] = [];
  for (const scenario of counted) {
    const n =
      scenario.label === 'A/A' ? AA_DECISIONS : scenario.ratio === null ? OVERHEAD_DECISIONS : DECISIONS;
    for (let i = 0; i < n; i++) items.push({ scenario, kind: 'short', index: i + 1, at: (i + 0.5) / n });
  }
  for (let i = 0; i < DEFAULT_DECISIONS; i++) {
    const scenario = withDefaults[i % withDefaults.length];
    items.push({ scenario, kind: 'default', index: i + 1, at: (i + 0.5) / DEFAULT_DECISIONS });
  }
  return items.sort((a, b) => a.at - b.at);
}

const errorsOf = (results: Results) =>
  results.variants.reduce((total, v) => total + v.trials.reduce((sum, t) => sum + t.errors, 0), 0);

async function decide(item: Planned, signal: AbortSignal): Promise<DecisionRow> {
  const { scenario, kind } = item;
  const profile = profileFor(kind, scenario);
  const startedMs = performance.now();
  const row: DecisionRow = {
    scenario: scenario.label,
    profile: kind,
    injectedRatio: scenario.ratio,
    baseDelayMs: scenario.delayMs,
    index: item.index,
    verdict: 'error',
    reason: '',
    trialsPerVariant: 0,
    loadS: 0,
    p99Ratio: null,
    p99RatioLower: null,
    p99RatioUpper: null,
    baseP99Ms: null,
    headP99Ms: null,
    baseCv: null,
    headCv: null,
    baseTrialP99Ms: [],
    headTrialP99Ms: [],
    errors: 0,
    wallS: 0,
  };
  try {
    const results = await measure(profile, { log: quietLogger, signal, ...sequentialDesign(profile) });
    const { verdict } = judge(results);
    const p99 = verdict.checks.find((c) => c.comparison === scenario.comparison && c.metric === 'p99');
    const ratio = (change: number | null | undefined) => (change == null ? null : 1 + change);
    const trialCount = results.variants.reduce((sum, v) => sum + v.trials.length, 0);
    const trialP99Ms = (id: string | undefined) =>
      results.variants.find((v) => v.id === id)?.trials.map((t) => t.latencyMs.p99) ?? [];
    Object.assign(row, {
      verdict: verdict.verdict,
      reason: verdict.reason,
      trialsPerVariant: Math.min(...results.variants.map((v) => v.trials.length)),
      loadS: trialCount * (profile.load.durationS + profile.load.warmupS),
      p99Ratio: ratio(p99?.change),
      p99RatioLower: ratio(p99?.changeLower),
      p99RatioUpper: ratio(p99?.changeUpper),
      baseP99Ms: p99?.baseline ?? null,
      headP99Ms: p99?.current ?? null,
      baseCv: p99?.noise.baselineCv ?? null,
      headCv: p99?.noise.currentCv ?? null,
      baseTrialP99Ms: trialP99Ms(p99?.comparedWith),
      headTrialP99Ms: trialP99Ms(p99?.variant),
      errors: errorsOf(results),
    });
  } catch (error) {
    if (signal.aborted) throw error;
    row.reason = (error as Error).message;
  }
  row.wallS = (performance.now() - startedMs) / 1000;
  return row;
}

function progressLine(row: DecisionRow, done: number, total: number, elapsedS: number): string {
  const ratio = row.p99Ratio === null ? 'n/a' : `×${row.p99Ratio.toFixed(3)}`;
  const errors = row.errors > 0 ? ` · ${row.errors} request errors` : '';
  const what =
    row.verdict === 'error'
      ? `FAILED: ${row.reason}`
      : `${row.verdict} · ${row.trialsPerVariant} trials/variant · p99 ${ratio}`;
  return `${progressPrefix(done, total, elapsedS)} ${row.profile} ${row.scenario} #${row.index}: ${what}${errors} · ${row.wallS.toFixed(1)} s`;
}

function report(rows: DecisionRow[], startLoad: number, wallS: number, interrupted: boolean): string {
  const somePair = {
    doc: {
      workload: { builds: { base: { url: 'http://127.0.0.1:1' }, head: { url: 'http://127.0.0.1:2' } } },
    },
  };
  const allTargets = targets(QUICK ? Math.min(MIN_AA, AA_DECISIONS) : MIN_AA);
  const labels = [...PAIRS.map((s) => s.label), ...(OVERHEAD_DECISIONS > 0 ? [OVERHEAD_LABEL] : [])];
  const counts = countsTable(
    rows.filter((r) => r.profile === 'short'),
    labels,
    allTargets,
  );
  const perVerdict = defaultTable(rows);
  const judged = [...counts.results, perVerdict.pass];
  const passed = judged.filter((j) => j === true).length;
  const failed = judged.filter((j) => j === false).length;
  const unjudged = judged.length - passed - failed;
  const heads = PAIRS.filter((s) => s.ratio !== 1).map((s) => `${s.ratio}·D`);
  const defaultLabels = DEFAULT_SCENARIOS.slice(0, DEFAULT_DECISIONS).join(', ');
  return [
    '',
    `meshgate gate benchmark (${QUICK ? 'quick' : 'full'}${interrupted ? ', INTERRUPTED' : ''}), ${new Date().toISOString()}`,
    `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}); load average at start ${startLoad.toFixed(2)}; wall time ${clock(wallS)}`,
    `servers: built-in sample server in this process, base D = ${D_MS} ms, heads at ${heads.join(', ')}; the default profile's decisions: ${defaultLabels}`,
    `rule: ${describeRule(DEFAULT_RULE)}; interval: Yuen's ${DEFAULT_RULE.trim * 100}%-trimmed t from ${DEFAULT_RULE.trimFrom} pairs, Student t below`,
    `${OVERHEAD_LABEL}: nginx (1 worker) measured directly and behind the nginx data plane, overhead p99 threshold 10% (min_delta 0.5 ms)`,
    `shortened profile (counts): ${describeProfile(profileFor('short', somePair))}`,
    `default profile (load per verdict): ${describeProfile(profileFor('default', somePair))}`,
    'regression: share of "regression" verdicts [Wilson 95%]; load s/verdict: Σ over variants × trials of (duration + warm-up);',
    'base p99 ms, p99 ratio: medians over decisions of the p99 row (median of per-trial p99; Hodges–Lehmann ratio of paired trials)',
    '',
    counts.table,
    '',
    'default profile, per decision:',
    '',
    perVerdict.table,
    '',
    `${passed} targets passed, ${failed} failed${unjudged > 0 ? `, ${unjudged} not judged (too few decisions)` : ''}`,
    '',
  ].join('\n');
}

function writeJson(rows: DecisionRow[], startLoad: number, wallS: number): void {
  if (!JSON_FILE) return;
  const settings = {
    quick: QUICK,
    delayMs: D_MS,
    rule: DEFAULT_RULE,
    short: SHORT,
    startLoad,
    wallS,
  };
  writeFileSync(JSON_FILE, `${JSON.stringify({ settings, rows }, null, 2)}\n`);
  log(`rows written to ${JSON_FILE}`);
}

async function main(): Promise<number> {
  const startLoad = loadavg()[0];
  // First signal: abort the decision under way, clean up, print what was done; second: stop at once.
  const run = startBenchRun();
  const elapsedS = run.elapsedS;
  const counted: Scenario[] = [];
  const withDefaults: Scenario[] = [];
  const rows: DecisionRow[] = [];

  let meshText = '';
  if (SECTION !== 'classic') {
    try {
      const mesh = await runMeshSection({ ...MESH, log, logger: quietLogger, signal: run.signal });
      meshText = mesh.text;
      const passed = mesh.results.filter((r) => r === true).length;
      const failed = mesh.results.filter((r) => r === false).length;
      meshText += `\n\nmesh scale: ${passed} targets passed, ${failed} failed\n`;
    } catch (error) {
      if (!run.interrupted) log(`bench:gate mesh section failed: ${(error as Error).stack ?? error}`);
    }
    process.stdout.write(`\n${meshText}\n`);
    if (SECTION === 'mesh') return run.interrupted ? 130 : 0;
  }
  try {
    for (const pair of PAIRS) counted.push(await startPair(pair.label, pair.ratio, D_MS));
    if (OVERHEAD_DECISIONS > 0) counted.push(await startOverhead(OVERHEAD_LABEL));
    for (const label of DEFAULT_SCENARIOS.slice(0, DEFAULT_DECISIONS)) {
      const pair = PAIRS.find((p) => p.label === label)!;
      withDefaults.push(await startPair(pair.label, pair.ratio, D_MS));
    }
    const items = plan(counted, withDefaults);
    log(
      `bench:gate: ${items.length} decisions (A/A ${AA_DECISIONS}, A/B ${DECISIONS} each, ${OVERHEAD_LABEL} ${OVERHEAD_DECISIONS}, default profile ${DEFAULT_DECISIONS}); load average ${startLoad.toFixed(2)}`,
    );
    for (const item of items) {
      if (run.interrupted) break;
      const row = await decide(item, run.signal);
      rows.push(row);
      log(progressLine(row, rows.length, items.length, elapsedS()));
    }
  } catch (error) {
    if (!run.interrupted) log(`bench:gate failed: ${(error as Error).stack ?? error}`);
  } finally {
    await Promise.allSettled([...counted, ...withDefaults].map((s) => s.close()));
  }
  process.stdout.write(report(rows, startLoad, elapsedS(), run.interrupted));
  writeJson(rows, startLoad, elapsedS());
  return run.interrupted ? 130 : 0;
}

process.exit(await main());
