/**
 * A capacity profile's experiment: every variant's search (search.ts) runs in lockstep rounds —
 * one step of each unfinished variant per round, in the profile's block order (A B | B A …) — so
 * that slow drift of the machine hits every variant's steps alike, as interleaved trials do.
 * Each step is one real open-loop trial of the load engine at the step's rate (warm-up included),
 * re-run when borderline (slo.ts). Every trial is kept in the variant's `trials`, and its step in
 * `capacity.steps`; a run that ends early keeps them too (results/incomplete.ts).
 *
 * Time: `max_time` counts load time, the warm-up and duration of every trial. Before each trial
 * the search checks that it fits in what is left; when it does not, every search ends where it
 * is (stop "time") with the bracket it has reached. Setup and cleanup are not counted.
 */
import {
  assertReachable,
  checkpointReason,
  emptyVariants,
  loadJobFor,
  type ExperimentOptions,
} from '../experiment.js';
import { blockOrder } from '../experiment-order.js';
import type { Platform, Target } from '../platform/types.js';
import type { Profile } from '../profile/types.js';
import { buildResults, type VariantTrials } from '../results/build.js';
import { attachCompletedTrials, markIncomplete } from '../results/incomplete.js';
import type { Capacity, CapacityStep, Results, Trial } from '../results/schema.js';
import { clock, stepProgressLine } from '../experiment-progress.js';
import {
  afterStep,
  bracketWidth,
  outOfTime,
  startSearch,
  worstCaseSteps,
  type SearchState,
} from './search.js';
import { judgeStep, judgeTrial, type StepVerdict, type TrialJudgement } from './slo.js';
import { describeSlo, stopLine } from './describe.js';

interface VariantSearch {
  state: SearchState;
  steps: CapacityStep[];
}

/** The search as results.json keeps it; `ended` when the run ended before the search did. */
export function capacityOf(search: VariantSearch, ended = false): Capacity {
  const { state } = search;
  return {
    lowerRps: state.lowerRps ?? null,
    upperRps: state.upperRps ?? null,
    precision: bracketWidth(state) ?? null,
    stop: state.stop ?? (ended ? 'incomplete' : 'time'),
    steps: search.steps,
  };
}

export async function runCapacityExperiment(
  profile: Profile,
  platform: Platform,
  targets: Target[],
  options: ExperimentOptions,
): Promise<Results> {
  const spec = profile.load.capacity;
  if (!spec) throw new Error('runCapacityExperiment: the profile has no load.capacity');
  const { log, signal } = options;
  const settings = { minRps: spec.minRps, maxRps: spec.maxRps, precision: spec.precision };
  const stepS = profile.load.durationS + profile.load.warmupS;
  const searches: VariantSearch[] = targets.map(() => ({ state: startSearch(settings), steps: [] }));
  const perVariant = emptyVariants(targets);
  const snapshot = (ended = false) =>
    buildResults(
      profile,
      options.environment,
      perVariant
        .map((variant, i) => ({ ...variant, capacity: capacityOf(searches[i], ended) }))
        .filter((variant) => variant.trials.length > 0),
    );
  log.info(
    `capacity search: ${describeSlo(spec.slo)}; ${spec.minRps}–${spec.maxRps} requests/s to ${(spec.precision * 100).toFixed(1)}%; at most ${worstCaseSteps(settings)} steps per variant (more for borderline steps), within ${clock(spec.maxTimeS)} of load`,
  );

  let spentS = 0;
  let sequence = 0;
  const startedMs = Date.now();
  const runTrial = async (variant: number, rps: number): Promise<Trial> => {
    const target = targets[variant];
    const job = { ...loadJobFor(profile, target, options.intervalMs), rps };
    const sampler = platform.sampleResources(target);
    const loadTrial = await platform.runTrial(target, job, signal);
    const resources = await sampler?.stop(loadTrial.requests);
    signal.throwIfAborted();
    assertReachable(target, loadTrial);
    const trials = perVariant[variant].trials;
    const trial: Trial = {
      index: trials.length,
      sequence: sequence++,
      ...loadTrial,
      ...(resources ? { resources } : {}),
    };
    trials.push(trial);
    await options.checkpoint?.(markIncomplete(snapshot(true), checkpointReason(sequence)));
    return trial;
  };

  /** One step of one variant: its trials until judged, or until the time is up (undefined). */
  const runStep = async (variant: number, rps: number): Promise<StepVerdict | undefined> => {
    const judgements: TrialJudgement[] = [];
    const indexes: number[] = [];
    let verdict: StepVerdict | undefined;
    while (verdict === undefined && spentS + stepS <= spec.maxTimeS + 1e-9) {
      signal.throwIfAborted();
      log.info(
        stepProgressLine({
          step: searches[variant].steps.length + 1,
          reruns: indexes.length,
          variantId: targets[variant].variantId,
          rps,
          elapsedS: (Date.now() - startedMs) / 1000,
          budgetLeftS: spec.maxTimeS - spentS,
        }),
      );
      spentS += stepS;
      const trial = await runTrial(variant, rps);
      const judgement = judgeTrial(trial, spec.slo, spec.borderline);
      judgements.push(judgement);
      indexes.push(trial.index);
      verdict = judgeStep(judgements, spec.retries);
      log.debug(
        `${targets[variant].variantId} at ${rps} requests/s: ${judgement.passed ? 'pass' : 'fail'}${judgement.borderline ? ' (borderline)' : ''}: ${judgement.reason}`,
      );
    }
    if (indexes.length > 0)
      searches[variant].steps.push({
        rps,
        trials: indexes,
        verdict: verdict ?? 'undecided',
        borderline: judgements[0].borderline,
        reason: judgements
          .map(
            (j, i) =>
              `${judgements.length > 1 ? `trial ${i + 1}: ` : ''}${j.passed ? 'held' : 'missed'}${j.borderline ? ' (borderline)' : ''}: ${j.reason}`,
          )
          .join(' | '),
      });
    return verdict;
  };

  try {
    for (let round = 0; searches.some((s) => !s.state.stop); round++) {
      for (const variant of blockOrder(targets.length, round, profile.order, profile.seed)) {
        const search = searches[variant];
        if (search.state.stop) continue;
        const rps = search.state.nextRps!;
        const verdict = await runStep(variant, rps);
        if (verdict === undefined) {
          for (const other of searches) other.state = outOfTime(other.state);
          log.warn(
            `capacity search: the load time (max_time ${clock(spec.maxTimeS)}) is used up; each variant keeps the bracket it reached`,
          );
          break;
        }
        search.state = afterStep(search.state, settings, rps, verdict === 'pass');
        if (search.state.stop) log.info(`${targets[variant].variantId}: ${stopLine(capacityOf(search))}`);
      }
    }
    log.info(`measured ${sequence} trials in ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
    return snapshot();
  } catch (error) {
    // Measured trials are never thrown away: the doors write them, marked incomplete.
    if (perVariant.some((variant) => variant.trials.length > 0)) attachCompletedTrials(error, snapshot(true));
    throw error;
  }
}
