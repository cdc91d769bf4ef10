/**
 * Simulation of complete gate decisions on synthetic per-trial values (no servers): how often the
 * gate cries wolf on A/A pairs, calls a small true change a regression, and detects a material
 * one, for the default rule and for alternatives. Runs through the real `decide()`, including
 * sequential looks, so it checks the code as shipped.
 *
 *   npx tsx bench/gate-sim.ts [--decisions 2000] [--seed 7] [--compare]
 *   npx tsx bench/gate-sim.ts --pairs-from DIR [--decisions 2000] [--compare] [--swapped]
 *                                          [--head-p99 1,1.2] [--confidence 0.98,0.99] [--noisy-alpha 1]
 *                                          [--plans 12:24,24:48]
 *
 * Noise model per trial, in log space: the variant's level, plus a slow drift of the runner shared
 * by neighbouring trials (random walk, 1.5% per trial), plus independent noise with a per-decision
 * CV drawn from 3–8%, plus an occasional outlier (3% of trials, +20–80%: a noisy neighbour).
 * Without flags it runs a ladder of noise levels: plain normal noise at 3, 5 and 8%, rare and
 * frequent outliers, the live short profile's (7% of trials 20–45% slower), and a bimodal runner
 * (every trial on one of two levels 10% apart), where a trimmed interval could be fooled.
 *
 * With --pairs-from, the noise is this machine's own: decisions drawn from the trial pairs that
 * `bench:gate --section mesh --mesh-save DIR` kept, one table per scenario (lib/resample-pairs.ts).
 */
import { decide, needsMoreTrials } from '../src/verdict/decide.js';
import type { DecisionRule } from '../src/verdict/rule.js';
import { wilsonInterval } from '../src/stats/counts.js';
import { createRandom, type Random } from '../src/stats/prng.js';
import { planLooks } from '../src/stats/sequential.js';
import type { Results, Trial, Variant } from '../src/results/schema.js';
import {
  historyEffect,
  loadKept,
  p99NoiseSources,
  pairIndependence,
  resampledDecision,
} from './lib/resample-pairs.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DECISIONS = option('decisions', 2000);
const SEED = option('seed', 7);
const COMPARE = args.includes('--compare');
const textOption = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const listOption = (name: string): number[] => textOption(name)?.split(',').map(Number) ?? [];
const PAIRS_FROM = textOption('pairs-from');
/** With --pairs-from: also each scenario with its p99 ratio centred on ×1, then every head trial's p99 multiplied by these. */
const P99_FACTORS = listOption('head-p99');
/** With --pairs-from: also each scenario with base and head swapped (an A/A pool's asymmetry the other way). */
const SWAPPED = args.includes('--swapped');
/** With --pairs-from: the default and centred rows again at these confidence levels (the profile's gate.confidence). */
const CONFIDENCES = listOption('confidence');
/**
 * With --pairs-from: larger trial plans, `first:max` each (`12:24,24:48`), drawn from the same kept
 * pairs: what detection the kept noise would give for more load per verdict. Each plan runs the
 * scenario as kept and every --head-p99 factor; the load column prices it at the kept profile's
 * trial length. Only more trials are drawn: a longer trial cannot be made from the kept ones.
 */
const PLANS = (textOption('plans')?.split(',') ?? []).map((plan) => {
  const [trials, maxTrials] = plan.split(':').map(Number);
  if (!(Number.isInteger(trials) && trials > 0 && Number.isInteger(maxTrials) && maxTrials >= trials)) {
    console.error(`gate-sim: --plans: "${plan}" is not first:max trials per variant (e.g. 12:24)`);
    process.exit(2);
  }
  return { trials, maxTrials };
});
/** Every config's rule with this noisyAlphaFactor (1: rows noisier than θ judged at the look's level, as before). */
const NOISY_ALPHA = listOption('noisy-alpha')[0];
/** Every config's rule with this noisyFrom (a row is noisy when its MDE exceeds this multiple of θ). */
const NOISY_FROM = listOption('noisy-from')[0];
const ruleOf = (config: { rule?: Partial<DecisionRule> }): Partial<DecisionRule> | undefined => ({
  ...config.rule,
  ...(NOISY_ALPHA === undefined ? {} : { noisyAlphaFactor: NOISY_ALPHA }),
  ...(NOISY_FROM === undefined ? {} : { noisyFrom: NOISY_FROM }),
});

const LEVEL_MS = 10;
const THRESHOLD = 0.1;
const TRIAL_LOAD_S = 12; // default profile: 10 s measured + 2 s warm-up per trial
const NOISE_FROM_ARGS = {
  cvMin: option('cv-min', 0.03),
  cvMax: option('cv-max', 0.08),
  driftPerTrial: option('drift', 0.015),
  outlierRate: option('outliers', 0.03),
  outlierMin: option('outlier-min', 0.2),
  outlierMax: option('outlier-max', 0.8),
  /** A second mode: each trial lands on it with probability ½ (a bimodal runner). */
  bimodal: option('bimodal', 0),
};
let NOISE = NOISE_FROM_ARGS;

const summary = (p99: number) => ({
  min: p99 / 5,
  mean: p99 / 3,
  p50: p99 / 3,
  p90: p99 / 2,
  p99,
  p999: p99 * 1.5,
  max: p99 * 2,
});

function trial(index: number, sequence: number, p99: number): Trial {
  const latencyMs = summary(p99);
  return {
    index,
    sequence,
    startTime: '',
    endTime: '',
    durationS: 10,
    requestedRps: 200,
    actualRps: 200,
    requests: 2000,
    errors: 0,
    errorsByKind: {},
    statusCodes: { '200': 2000 },
    latencyMs,
    uncorrectedLatencyMs: latencyMs,
    scheduleLagMs: { p50: 0, p99: 0, max: 0 },
    histogram: 'x',
    uncorrectedHistogram: 'x',
    generators: 1,
  };
}

const variant = (id: string, trials: Trial[]): Variant => ({
  id,
  build: id.startsWith('base') ? 'base' : 'head',
  mesh: 'none',
  target: '',
  latencyMs: summary(LEVEL_MS),
  trials,
  smp: {
    latencies_ms: { min: 0, average: 0, p50: 0, p90: 0, p99: 0, max: 0 },
    actual_qps: 0,
    start_time: '',
    end_time: '',
  },
});

/** p99 of every trial of A (base) and B (head), in the balanced order A B B A A B … */
function simulateRun(random: Random, ratio: number, trialsPerVariant: number): { a: Trial[]; b: Trial[] } {
  const cv = NOISE.cvMin + (NOISE.cvMax - NOISE.cvMin) * random.next();
  let drift = 0;
  const a: Trial[] = [];
  const b: Trial[] = [];
  for (let round = 0; round < trialsPerVariant; round++) {
    const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      drift += NOISE.driftPerTrial * random.normal();
      let log = Math.log(LEVEL_MS * (side === 'b' ? ratio : 1)) + drift + cv * random.normal();
      if (random.next() < NOISE.outlierRate)
        log += NOISE.outlierMin + (NOISE.outlierMax - NOISE.outlierMin) * random.next();
      if (NOISE.bimodal && random.next() < 0.5) log += NOISE.bimodal;
      const list = side === 'a' ? a : b;
      list.push(trial(list.length, a.length + b.length, Math.exp(log)));
    }
  }
  return { a, b };
}

const results = (a: Trial[], b: Trial[]): Results => ({
  schema: 'meshgate/results@1',
  createdAt: '',
  profile: { name: 'sim' },
  environment: {
    platform: 'sim',
    runner: '',
    os: '',
    kernel: '',
    cpuModel: '',
    cpuCount: 2,
    memoryMib: 0,
    node: '',
    meshgate: '',
  },
  variants: [variant('base/none', a), variant('head/none', b)],
});

const GATE = {
  latency: { p99: { maxIncrease: THRESHOLD, minDeltaMs: 0.5 } },
  overhead: {},
  errorRate: { max: 0.001 },
  // Synthetic noise: --confidence X (its first value) replaces the default level.
  confidence: CONFIDENCES[0] ?? 0.95,
};

interface Config {
  name: string;
  trials: number;
  maxTrials: number;
  step?: number;
  rule?: Partial<DecisionRule>;
  /** --pairs-from only: see resampledDecision. */
  headP99Factor?: number;
  swap?: boolean;
  confidence?: number;
}

/** One complete decision with sequential looks; returns the verdict and trials per variant used. */
function decideOnce(random: Random, ratio: number, config: Config) {
  const looks = planLooks(config.trials, config.maxTrials, config.step);
  const run = simulateRun(random, ratio, config.maxTrials);
  for (let look = 1; ; look++) {
    const n = looks[look - 1];
    const verdict = decide(results(run.a.slice(0, n), run.b.slice(0, n)), {
      look,
      maxLooks: looks.length,
      gate: GATE,
      rule: ruleOf(config),
    });
    if (!needsMoreTrials(verdict) || look === looks.length) return { verdict: verdict.verdict, trials: n };
  }
}

const SCENARIOS = [
  { label: 'A/A', ratio: 1 },
  { label: '+3%', ratio: 1.03 },
  { label: '+10%', ratio: 1.1 },
  { label: '+15%', ratio: 1.15 },
  { label: '+20%', ratio: 1.2 },
];

const rate = (k: number, n: number) => {
  const w = wilsonInterval(k, n, 0.95);
  return `${((100 * k) / n).toFixed(1)}% [${(100 * w.lower).toFixed(1)}–${(100 * w.upper).toFixed(1)}]`;
};

function evaluate(config: Config, decisions: number) {
  const random = createRandom(SEED);
  const row: string[] = [config.name.padEnd(34)];
  let trialsTotal = 0;
  let runs = 0;
  for (const scenario of SCENARIOS) {
    const counts = { pass: 0, regression: 0, inconclusive: 0 };
    for (let i = 0; i < decisions; i++) {
      const outcome = decideOnce(random, scenario.ratio, config);
      counts[outcome.verdict]++;
      trialsTotal += outcome.trials;
      runs++;
    }
    const inconclusive = `${((100 * counts.inconclusive) / decisions).toFixed(0)}%`;
    row.push(`${rate(counts.regression, decisions)} inc ${inconclusive}`.padEnd(30));
  }
  const loadS = ((trialsTotal / runs) * 2 * TRIAL_LOAD_S).toFixed(0);
  row.push(`${(trialsTotal / runs).toFixed(1)} / ${loadS} s`);
  console.log(row.join(''));
}

const header = [
  'config'.padEnd(34),
  ...SCENARIOS.map((s) => `${s.label} regression [95% CI]`.padEnd(30)),
  'trials/variant / load',
];
const pc = (x: number) => Number((x * 100).toFixed(1));
const describeNoise = () =>
  `CV ${pc(NOISE.cvMin)}–${pc(NOISE.cvMax)}% per trial, drift ${pc(NOISE.driftPerTrial)}%/trial, outliers ${pc(NOISE.outlierRate)}% of trials at +${pc(NOISE.outlierMin)}–${pc(NOISE.outlierMax)}%` +
  (NOISE.bimodal ? `, half the trials +${pc(NOISE.bimodal)}% (bimodal)` : '');

const DEFAULT_CONFIGS: Config[] = [
  { name: 'default: 6 trials, max 12 (6→9→12)', trials: 6, maxTrials: 12 },
  { name: '6 trials, no extension', trials: 6, maxTrials: 6 },
];
const ALTERNATIVES: Config[] = [
  { name: 'κ=0 (METHOD.md), 6→9→12', trials: 6, maxTrials: 12, rule: { significanceFraction: 0 } },
  { name: 'κ=0.5, 6→9→12', trials: 6, maxTrials: 12, rule: { significanceFraction: 0.5 } },
  { name: 'κ=1 (whole CI beyond θ), 6→9→12', trials: 6, maxTrials: 12, rule: { significanceFraction: 1 } },
  { name: 'κ=1, 6 trials, no extension', trials: 6, maxTrials: 6, rule: { significanceFraction: 1 } },
  { name: 'λ=∞ (no noise rule), 6→9→12', trials: 6, maxTrials: 12, rule: { noiseFraction: Infinity } },
  { name: 'λ=1 (pass needs CI < θ), 6→9→12', trials: 6, maxTrials: 12, rule: { noiseFraction: 1 } },
  { name: 'mean estimator, 6→9→12', trials: 6, maxTrials: 12, rule: { estimator: 'mean' } },
  { name: 'Wilcoxon interval, 6→9→12', trials: 6, maxTrials: 12, rule: { interval: 'wilcoxon' } },
  { name: 'Student t interval (before)', trials: 6, maxTrials: 12, rule: { interval: 't' } },
  { name: 'trimmed from 5 pairs', trials: 6, maxTrials: 12, rule: { trimFrom: 5 } },
  { name: 'trimmed 10% (≥ 1 pair)', trials: 6, maxTrials: 12, rule: { trim: 0.1 } },
  { name: 'trimmed mean as estimator', trials: 6, maxTrials: 12, rule: { estimator: 'trimmed-mean' } },
  { name: 'noisy rows at the look level', trials: 6, maxTrials: 12, rule: { noisyAlphaFactor: 1 } },
  { name: '6→8→10 (worst case 120 s)', trials: 6, maxTrials: 10, step: 2 },
  { name: '6→9→12→15', trials: 6, maxTrials: 15 },
  { name: '8 trials, max 16 (8→12→16)', trials: 8, maxTrials: 16 },
  { name: '5 trials, max 15 (5→10→15)', trials: 5, maxTrials: 15, step: 5 },
  { name: '6 trials, max 18 (6→9→…→18)', trials: 6, maxTrials: 18 },
];

const noiseGiven = args.some((a) =>
  ['--cv-min', '--cv-max', '--drift', '--outliers', '--outlier-min', '--outlier-max', '--bimodal'].includes(a),
);
const NOISE_LEVELS = noiseGiven
  ? [NOISE_FROM_ARGS]
  : [
      { ...NOISE_FROM_ARGS, cvMin: 0.03, cvMax: 0.03, outlierRate: 0 },
      { ...NOISE_FROM_ARGS, cvMin: 0.05, cvMax: 0.05, outlierRate: 0 },
      { ...NOISE_FROM_ARGS, cvMin: 0.08, cvMax: 0.08, outlierRate: 0 },
      { ...NOISE_FROM_ARGS, cvMin: 0.03, cvMax: 0.06, outlierRate: 0.01 },
      NOISE_FROM_ARGS,
      // What the live short profile showed (bench/gate.ts, 1 s trials): tight trials, but 7% of
      // them 20–45% slower, from a pause of the machine landing on a trial.
      { ...NOISE_FROM_ARGS, cvMin: 0.015, cvMax: 0.03, driftPerTrial: 0.005, outlierRate: 0.07, outlierMin: 0.2, outlierMax: 0.45 },
      { ...NOISE_FROM_ARGS, cvMin: 0.02, cvMax: 0.02, outlierRate: 0, bimodal: 0.1 },
    ];
function resampleKept(dir: string) {
  const { scenarios, skipped } = loadKept(dir);
  for (const reason of skipped) console.log(`skipped ${reason}`);
  console.log(
    `gate on resampled pairs: ${DECISIONS} decisions per cell, seed ${SEED}, each drawn from the trial pairs kept in ${dir}, through decide() with the kept profile's gate`,
  );
  const spread = (log: number) => `${(100 * log).toFixed(1)}%`;
  for (const scenario of scenarios) {
    const p99 = pairIndependence(scenario, 'p99');
    console.log(
      `\n${scenario.label}: ${scenario.decisions.length} kept decisions, ${p99.pairs} pairs; p99 head/base ×${Math.exp(p99.overall).toFixed(3)} overall; ` +
        `its log-ratio spreads ${spread(p99.pairSd)} pair to pair, lag-1 autocorrelation ${p99.lag1.toFixed(2)}, decision means spread ${spread(p99.meansSd)} (independent pairs: ${spread(p99.independentSd)})`,
    );
    const history = historyEffect(scenario);
    const ms = (x: number) => x.toFixed(3);
    console.log(
      `p99 by the trial's history (medians): first of the decision ${ms(history.medianP99.first)} ms (${history.trials.first}), ` +
        `after a switch of server ${ms(history.medianP99.switch)} (${history.trials.switch}), after the same server ${ms(history.medianP99.same)} (${history.trials.same}); ` +
        `pairs from block 1 on, head/base: ×${Math.exp(history.headSecond).toFixed(3)} when head ran second, ×${Math.exp(history.baseSecond).toFixed(3)} when base did; ` +
        `their log-ratio spreads ${spread(history.spread)}, ${spread(history.spreadWithinOrder)} within each order (what A B | A B could remove at most)`,
    );
    const load = scenario.template.profile.load as { durationS?: number; warmupS?: number } | undefined;
    const trialLoadS = (load?.durationS ?? 0) + (load?.warmupS ?? 0);
    const sources = p99NoiseSources(scenario, createRandom(SEED));
    console.log(
      `where the p99 spread comes from: a trial's own requests drawn again ${spread(sources.sampling)} (bootstrap), ` +
        `trial to trial within a variant ${spread(sources.trialToTrial)}; pairs from 1 s windows ${spread(sources.window1s)}, ` +
        `from 2 s ${spread(sources.window2s)} (×${(sources.window1s / sources.window2s).toFixed(2)}; independent seconds: ×1.41)`,
    );
    console.log(
      `${'config'.padEnd(38)}${'regression [95% CI]'.padEnd(24)}${'inconcl.'.padEnd(10)}${'regressions at looks'.padEnd(22)}${'rows'.padEnd(22)}trials/variant (load s/verdict)`,
    );
    const swapped = SWAPPED ? [{ ...DEFAULT_CONFIGS[0], name: 'default, base and head swapped', swap: true }] : [];
    // A known change on top of the kept noise (the pool's own p99 ratio taken out first), at the
    // kept profile's confidence and at each --confidence level.
    const atLevel = (confidence?: number): Config[] => [
      ...(confidence === undefined
        ? []
        : [{ ...DEFAULT_CONFIGS[0], name: `default at ${confidence * 100}% confidence`, confidence }]),
      ...P99_FACTORS.map((factor) => ({
        ...DEFAULT_CONFIGS[0],
        name: `${confidence === undefined ? 'default' : '…'}, p99 centred, then ×${factor}`,
        headP99Factor: factor / Math.exp(p99.overall),
        confidence,
      })),
    ];
    const larger = PLANS.flatMap(({ trials, maxTrials }): Config[] => [
      { name: `${trials}→…→${maxTrials} trials, as kept`, trials, maxTrials },
      ...P99_FACTORS.map((factor) => ({
        name: `${trials}→…→${maxTrials}, centred, then ×${factor}`,
        trials,
        maxTrials,
        headP99Factor: factor / Math.exp(p99.overall),
      })),
    ]);
    const configs = [
      ...(COMPARE ? [...DEFAULT_CONFIGS, ...ALTERNATIVES] : DEFAULT_CONFIGS),
      ...swapped,
      ...[undefined, ...CONFIDENCES].flatMap(atLevel),
      ...larger,
    ];
    for (const config of configs) {
      const random = createRandom(SEED);
      const counts = { pass: 0, regression: 0, inconclusive: 0 };
      const looks: number[] = [];
      const rows = new Map<string, number>();
      let trials = 0;
      for (let i = 0; i < DECISIONS; i++) {
        const outcome = resampledDecision(scenario, random, { ...config, rule: ruleOf(config) });
        counts[outcome.verdict]++;
        trials += outcome.trials;
        if (outcome.verdict !== 'regression') continue;
        looks[outcome.look - 1] = (looks[outcome.look - 1] ?? 0) + 1;
        for (const metric of outcome.regressed) rows.set(metric, (rows.get(metric) ?? 0) + 1);
      }
      console.log(
        config.name.padEnd(38) +
          rate(counts.regression, DECISIONS).padEnd(24) +
          `${((100 * counts.inconclusive) / DECISIONS).toFixed(0)}%`.padEnd(10) +
          Array.from({ length: Math.max(1, looks.length) }, (_, i) => looks[i] ?? 0).join(' / ').padEnd(22) +
          ([...rows].map(([metric, n]) => `${metric} ${n}`).join(', ') || '–').padEnd(22) +
          `${(trials / DECISIONS).toFixed(1)} (${((2 * trials * trialLoadS) / DECISIONS).toFixed(0)})`,
      );
    }
  }
}

if (PAIRS_FROM) resampleKept(PAIRS_FROM);
else {
  console.log(
    `gate simulation: ${DECISIONS} decisions per cell, seed ${SEED}, p99 threshold ${THRESHOLD * 100}% (min_delta 0.5 ms), confidence ${GATE.confidence * 100}%, level ${LEVEL_MS} ms`,
  );
  console.log(
    'cells: share of "regression" verdicts [Wilson 95%], "inc" = share inconclusive; load = mean trials per variant × 2 variants × 12 s',
  );
  for (const noise of NOISE_LEVELS) {
    NOISE = noise;
    console.log(`\nnoise: ${describeNoise()}`);
    console.log(header.join(''));
    for (const config of COMPARE ? [...DEFAULT_CONFIGS, ...ALTERNATIVES] : DEFAULT_CONFIGS)
      evaluate(config, DECISIONS);
  }
}
