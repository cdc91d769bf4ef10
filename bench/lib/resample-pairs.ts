/**
 * The decision rule against this machine's own trials. A bench pass affords 20–40 live decisions
 * per scenario, and a false-alarm rate of "≤ 1%" cannot be told from 3% with that; the trial pairs
 * those decisions kept (`bench:gate --section mesh --mesh-save DIR`) can. Each resampled decision
 * draws the trial pairs of its looks, with replacement, from every pair of its scenario, and goes
 * through the real `decide()` look by look, so it checks the rule as shipped on the noise this
 * machine made, tails and pauses included.
 *
 * That is fair only if pairs are exchangeable across decisions: a lasting asymmetry inside one
 * decision (a slower path to one server for a whole minute) would be broken up by the draw and
 * hidden. `pairIndependence` measures what would betray one, for the report to print beside the
 * rates: consecutive pairs alike (lag-1 autocorrelation well above 0), or decision means spread
 * wider than independent pairs predict.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type * as hdr from 'hdr-histogram-js';
import { join } from 'node:path';
import { decide, needsMoreTrials, type DecideOptions } from '../../src/verdict/decide.js';
import { pairTrials, trialValue, type TrialMetric, type TrialPair } from '../../src/stats/pairing.js';
import { parseResults } from '../../src/results/io.js';
import { decodeHistogram, mergeHistograms, type Histogram } from '../../src/load/histogram.js';
import { gateOf } from '../../src/verdict/gate-spec.js';
import { mean, median, standardDeviation as sd } from '../../src/stats/descriptive.js';
import { planLooks } from '../../src/stats/sequential.js';
import type { Random } from '../../src/stats/prng.js';
import type { Results, Trial } from '../../src/results/schema.js';
import type { OverallVerdict } from '../../src/verdict/schema.js';

export interface KeptScenario {
  /** From the file names that --mesh-save writes: `007-p99_only__20_.json` → `p99_only__20_`. */
  label: string;
  /** The pairs of each kept decision, in run order. */
  decisions: TrialPair[][];
  /** Each kept decision's trials of both variants, in run order, with the variant's build. */
  runs: { build: 'base' | 'head'; trial: Trial }[][];
  /** A kept results file whose profile and environment the resampled decisions carry. */
  template: Results;
}

/** Kept decisions grouped by scenario. Files that are not a two-variant build comparison are skipped. */
export function loadKept(dir: string): { scenarios: KeptScenario[]; skipped: string[] } {
  const byLabel = new Map<string, KeptScenario>();
  const skipped: string[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = join(dir, name);
    const results = parseResults(readFileSync(file, 'utf8'), file);
    const base = results.variants.find((v) => v.build === 'base');
    const head = results.variants.find((v) => v.build === 'head' && v.mesh === base?.mesh);
    if (results.variants.length !== 2 || !base || !head) {
      skipped.push(`${name}: not one base and one head variant of the same mesh`);
      continue;
    }
    const label = name.replace(/\.json$/, '').replace(/^\d+-/, '');
    const scenario = byLabel.get(label) ?? { label, decisions: [], runs: [], template: results };
    scenario.decisions.push(pairTrials(base, head).pairs);
    scenario.runs.push(
      [
        ...base.trials.map((trial) => ({ build: 'base' as const, trial })),
        ...head.trials.map((trial) => ({ build: 'head' as const, trial })),
      ].sort((a, b) => a.trial.sequence - b.trial.sequence),
    );
    byLabel.set(label, scenario);
  }
  return { scenarios: [...byLabel.values()], skipped };
}

export interface Resampled {
  verdict: OverallVerdict;
  /** Look at which the decision ended, and its trials per variant. */
  look: number;
  trials: number;
  /** Gated metrics that were regressions. */
  regressed: string[];
}

/**
 * One decision of pairs drawn from the whole scenario, with the trial plan of the kept profile
 * unless given. Each drawn pair keeps its two trials together; they are renumbered into one run
 * order (base, head, base, head …) so that pairing inside `decide()` pairs them again.
 */
export function resampledDecision(
  scenario: KeptScenario,
  random: Random,
  plan: {
    trials?: number;
    maxTrials?: number;
    step?: number;
    rule?: DecideOptions['rule'];
    /** Multiply every drawn head trial's p99 by this: a known p99 change on top of the kept noise. */
    headP99Factor?: number;
    /** Base's trials as head's and head's as base's: an A/A pool's lasting asymmetry the other way round. */
    swap?: boolean;
    /** The gate's confidence level instead of the kept profile's. */
    confidence?: number;
  } = {},
): Resampled {
  const pool = scenario.decisions.flat();
  const profile = scenario.template.profile as { trials?: number; maxTrials?: number };
  const looks = planLooks(
    plan.trials ?? profile.trials ?? 6,
    plan.maxTrials ?? profile.maxTrials ?? 12,
    plan.step,
  );
  const drawn = Array.from({ length: looks[looks.length - 1] }, () => pool[random.int(pool.length)]);
  const [baseId, headId] = scenario.template.variants.map((v) => v.id);
  const factor = plan.headP99Factor ?? 1;
  for (let look = 1; ; look++) {
    const n = looks[look - 1];
    const side = (which: 'baseline' | 'current') =>
      drawn.slice(0, n).map((pair, k) => {
        const trial = pair[plan.swap ? (which === 'current' ? 'baseline' : 'current') : which];
        const p99 = which === 'current' ? trial.latencyMs.p99 * factor : trial.latencyMs.p99;
        return {
          ...trial,
          index: k,
          sequence: 2 * k + (which === 'current' ? 1 : 0),
          latencyMs: { ...trial.latencyMs, p99 },
        };
      });
    const results: Results = {
      ...scenario.template,
      variants: scenario.template.variants.map((v) => ({
        ...v,
        trials: v.id === baseId ? side('baseline') : v.id === headId ? side('current') : v.trials,
      })),
    };
    const gate =
      plan.confidence === undefined ? undefined : { ...gateOf(results), confidence: plan.confidence };
    const verdict = decide(results, { look, maxLooks: looks.length, rule: plan.rule, gate });
    if (!needsMoreTrials(verdict) || look === looks.length)
      return {
        verdict: verdict.verdict,
        look,
        trials: n,
        regressed: verdict.checks.filter((c) => c.gating && c.verdict === 'regression').map((c) => c.metric),
      };
  }
}

/** What would betray pairs that are not exchangeable across decisions (see the module comment). */
export function pairIndependence(scenario: KeptScenario, metric: TrialMetric) {
  const logRatios = scenario.decisions.map((pairs) =>
    pairs
      .map((p) => Math.log((trialValue(p.current, metric) ?? NaN) / (trialValue(p.baseline, metric) ?? NaN)))
      .filter(Number.isFinite),
  );
  let lagged = 0;
  let squares = 0;
  for (const d of logRatios) {
    const m = mean(d);
    d.forEach((x, i) => {
      squares += (x - m) ** 2;
      if (i > 0) lagged += (x - m) * (d[i - 1] - m);
    });
  }
  const withPairs = logRatios.filter((d) => d.length >= 2);
  const pooledSd = Math.sqrt(
    withPairs.reduce((s, d) => s + sd(d) ** 2 * (d.length - 1), 0) /
      withPairs.reduce((s, d) => s + d.length - 1, 0),
  );
  const meanPairs = mean(withPairs.map((d) => d.length));
  return {
    pairs: logRatios.reduce((s, d) => s + d.length, 0),
    lag1: lagged / squares,
    /** sd of one pair's log-ratio within a decision (pooled). */
    pairSd: pooledSd,
    /** sd of the decisions' mean log-ratios, and what independent pairs would give. */
    meansSd: withPairs.length >= 3 ? sd(withPairs.map(mean)) : NaN,
    independentSd: pooledSd / Math.sqrt(meanPairs),
    /** Mean of all the log-ratios: the scenario's measured change. */
    overall: mean(logRatios.flat()),
  };
}

/**
 * What a trial's place in the run order does to its p99. In the balanced order (A B | B A | …) a
 * block's first trial runs against the server that served the trial before it, and the second
 * against a server that has been idle for a trial: `after a switch`. The decision's first trial
 * meets a server idle since the decision before. Medians of the trials' p99 by history, and the
 * pairs' mean p99 log-ratio (head/base) by which side ran second in its block, from block 1 on
 * (in block 0 both sides follow a switch). The spread of those log-ratios within each of the two
 * groups, beside their spread overall, bounds what an order giving every trial the same history
 * (A B | A B …) could take out of a pair's noise.
 */
export function historyEffect(scenario: KeptScenario) {
  const p99s: Record<'first' | 'switch' | 'same', number[]> = { first: [], switch: [], same: [] };
  const byOrder: Record<'headSecond' | 'baseSecond', number[]> = { headSecond: [], baseSecond: [] };
  for (const run of scenario.runs)
    run.forEach(({ build, trial }, i) =>
      p99s[i === 0 ? 'first' : run[i - 1].build === build ? 'same' : 'switch'].push(trial.latencyMs.p99),
    );
  for (const pairs of scenario.decisions)
    pairs.slice(1).forEach((pair) => {
      const d = Math.log(pair.current.latencyMs.p99 / pair.baseline.latencyMs.p99);
      if (Number.isFinite(d))
        byOrder[pair.current.sequence > pair.baseline.sequence ? 'headSecond' : 'baseSecond'].push(d);
    });
  return {
    medianP99: { first: median(p99s.first), switch: median(p99s.switch), same: median(p99s.same) },
    trials: { first: p99s.first.length, switch: p99s.switch.length, same: p99s.same.length },
    /** Mean log-ratio when head ran second in its block, and when base did. */
    headSecond: mean(byOrder.headSecond),
    baseSecond: mean(byOrder.baseSecond),
    /** Standard deviation of those log-ratios over both groups, and within the groups (pooled). */
    spread: sd([...byOrder.headSecond, ...byOrder.baseSecond]),
    spreadWithinOrder: pooledSd([byOrder.headSecond, byOrder.baseSecond]),
  };
}

/** Pooled standard deviation of groups around their own means. */
function pooledSd(groups: number[][]): number {
  const kept = groups.filter((g) => g.length > 1);
  const df = kept.reduce((n, g) => n + g.length - 1, 0);
  return df > 0 ? Math.sqrt(kept.reduce((s, g) => s + (g.length - 1) * sd(g) ** 2, 0) / df) : NaN;
}

/** Every recorded value of a histogram (its bucket's value), once per count. */
function recordedValues(histogram: Histogram): Float64Array {
  const values = new Float64Array(histogram.totalCount);
  const iterator = (histogram as hdr.JsHistogram).recordedValuesIterator;
  iterator.reset();
  let n = 0;
  while (iterator.hasNext()) {
    const step = iterator.next();
    values.fill(step.valueIteratedTo, n, n + step.countAtValueIteratedTo);
    n += step.countAtValueIteratedTo;
  }
  return values;
}

const logP99 = (histogram: Histogram) => Math.log(histogram.getValueAtPercentile(99));

/**
 * Where a trial's p99 spread comes from. `sampling`: how much a trial's p99 would move if its
 * requests were drawn again from the same trial (bootstrap of its histogram, median over trials);
 * `trialToTrial`: how much it moves between trials of one variant in one decision (pooled, the
 * run's first trial left out). When the second is several times the first, the spread is what
 * each trial met, not the count of requests behind its p99: a better estimator of one trial's p99
 * cannot remove it. `window1s` and `window2s`: the pairs' p99 log-ratio spread from each trial's
 * 1 s intervals and from its first 2 s; independent seconds would make the first √2 the second,
 * so the load needed does not shrink by making trials longer instead of more.
 */
export function p99NoiseSources(scenario: KeptScenario, random: Random, draws = 40) {
  const sampling: number[] = [];
  const trialGroups: number[][] = [];
  const window1s: number[][] = [];
  const window2s: number[][] = [];
  for (const run of scenario.runs) {
    for (const build of ['base', 'head'] as const) {
      const trials = run.filter((t, i) => t.build === build && i > 0).map((t) => t.trial);
      trialGroups.push(trials.map((t) => Math.log(t.latencyMs.p99)));
      for (const trial of trials) {
        const values = recordedValues(decodeHistogram(trial.histogram));
        if (values.length < 200) continue;
        const k = Math.ceil(0.99 * values.length) - 1;
        const again = new Float64Array(values.length);
        const p99s: number[] = [];
        for (let d = 0; d < draws; d++) {
          for (let i = 0; i < values.length; i++) again[i] = values[random.int(values.length)];
          p99s.push(Math.log(again.sort()[k]));
        }
        sampling.push(sd(p99s));
      }
    }
  }
  for (const pairs of scenario.decisions) {
    const one: number[] = [];
    const two: number[] = [];
    for (const pair of pairs.slice(1)) {
      const seconds = (trial: Trial) =>
        (trial.intervals ?? []).slice(0, 2).map((i) => decodeHistogram(i.histogram));
      const [b, h] = [seconds(pair.baseline), seconds(pair.current)];
      if (b.length < 2 || h.length < 2) continue;
      one.push(logP99(h[0]) - logP99(b[0]), logP99(h[1]) - logP99(b[1]));
      two.push(logP99(mergeHistograms(h)) - logP99(mergeHistograms(b)));
    }
    window1s.push(one);
    window2s.push(two);
  }
  return {
    sampling: median(sampling),
    trialToTrial: pooledSd(trialGroups),
    window1s: pooledSd(window1s),
    window2s: pooledSd(window2s),
  };
}
