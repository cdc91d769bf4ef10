/**
 * The experiment: every variant measured for `trials` trials in interleaved blocks (see
 * experiment-order.ts), each trial with its own warm-up, so every switch of variant is warmed.
 * When the caller's `shouldExtend` asks for it (an inconclusive verdict), more blocks run, up to
 * the next planned look (`looks`, trials per variant; the last is the profile's max_trials).
 */
import { SetupError } from './errors.js';
import type { LoadJob, LoadTrial } from './load/types.js';
import type { Profile } from './profile/types.js';
import { buildResults, type VariantTrials } from './results/build.js';
import { attachCompletedTrials, markIncomplete } from './results/incomplete.js';
import type { Environment, Results, Trial } from './results/schema.js';
import { schedule } from './experiment-order.js';
import type { Platform, Target } from './platform/types.js';
import type { Logger } from './util/log.js';
import { progressLine } from './experiment-progress.js';

export interface ExperimentOptions {
  log: Logger;
  signal: AbortSignal;
  environment: Environment;
  /** Trials per variant at each look (default: just profile.trials); see stats/sequential.ts. */
  looks?: number[];
  /** Asked after each look but the last (`look` counts from 1); true runs up to the next look. */
  shouldExtend?: (results: Results, look: number) => boolean;
  /** Histogram per interval of each trial, for timelines (0 = none). */
  intervalMs?: number;
  /**
   * Called after every completed trial with the trials so far (marked incomplete): the doors
   * write them at once, so that no fault after the first trial (SIGKILL, a second Ctrl-C) loses
   * them. Awaited before the next trial starts; its failure (a full disk) ends the run.
   */
  checkpoint?: (results: Results) => Promise<void>;
}

/** The reason a checkpoint of `done` trials carries until the run writes its final results. */
export const checkpointReason = (done: number, planned?: number) =>
  `the run was still measuring (${done}${planned ? ` of ${planned} planned` : ''} trials written) when this file was last written; it ended without finishing`;

export function loadJobFor(profile: Profile, target: Target, intervalMs = 0): LoadJob {
  const load = profile.load;
  return {
    url: target.url,
    rps: load.rps,
    connections: load.connections,
    durationS: load.durationS,
    warmupS: load.warmupS,
    threads: load.threads,
    protocol: load.protocol,
    request: load.request,
    timeoutMs: load.timeoutMs,
    insecureTls: true,
    intervalMs,
  };
}

/** Load seconds one block of every variant costs (warm-up included). */
export function secondsPerBlock(profile: Profile, variants: number): number {
  return variants * (profile.load.durationS + profile.load.warmupS);
}

export async function runExperiment(
  profile: Profile,
  platform: Platform,
  targets: Target[],
  options: ExperimentOptions,
): Promise<Results> {
  const { log, signal } = options;
  const perVariant = emptyVariants(targets);
  let sequence = 0;
  let plannedBlocks = 0;
  const startedMs = Date.now();
  const looksPlanned = options.looks ?? [profile.trials];
  const plannedMax = looksPlanned[looksPlanned.length - 1] * targets.length;
  const runBlocks = async (firstBlock: number, blocks: number) => {
    for (const [variantIndex, trialIndex] of schedule(
      targets.length,
      blocks,
      profile.order,
      profile.seed,
      firstBlock,
    )) {
      signal.throwIfAborted();
      const target = targets[variantIndex];
      log.info(
        progressLine({
          done: sequence,
          plannedNow: plannedBlocks * targets.length,
          plannedMax,
          variantId: target.variantId,
          elapsedS: (Date.now() - startedMs) / 1000,
          trialS: profile.load.durationS + profile.load.warmupS,
        }),
      );
      const sampler = platform.sampleResources(target);
      const loadTrial = await platform.runTrial(
        target,
        loadJobFor(profile, target, options.intervalMs),
        signal,
      );
      const resources = await sampler?.stop(loadTrial.requests);
      const controlPlane = sampler?.controlPlane?.();
      signal.throwIfAborted();
      assertReachable(target, loadTrial);
      const trial: Trial = {
        index: trialIndex,
        sequence,
        ...loadTrial,
        ...(resources ? { resources } : {}),
        ...(controlPlane && controlPlane.length > 0 ? { controlPlane } : {}),
      };
      perVariant[variantIndex].trials.push(trial);
      log.debug(
        `${target.variantId} trial ${trialIndex + 1}: p50 ${trial.latencyMs.p50} ms, p99 ${trial.latencyMs.p99} ms, ${trial.actualRps} rps, ${trial.errors} errors`,
      );
      sequence++;
      await options.checkpoint?.(
        markIncomplete(
          buildResults(
            profile,
            options.environment,
            perVariant.filter((variant) => variant.trials.length > 0),
          ),
          checkpointReason(sequence, plannedBlocks * targets.length),
        ),
      );
    }
  };

  const looks = looksPlanned;
  try {
    plannedBlocks = looks[0];
    await runBlocks(0, looks[0]);
    let results = buildResults(profile, options.environment, perVariant);
    for (let look = 1; look < looks.length && options.shouldExtend?.(results, look); look++) {
      log.info(
        `verdict inconclusive after ${looks[look - 1]} trials per variant: running ${looks[look] - looks[look - 1]} more`,
      );
      plannedBlocks = looks[look];
      await runBlocks(looks[look - 1], looks[look] - looks[look - 1]);
      results = buildResults(profile, options.environment, perVariant);
    }
    log.info(`measured ${sequence} trials in ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
    return results;
  } catch (error) {
    // Measured trials are never thrown away: the doors write them, marked incomplete.
    const measured = perVariant.filter((variant) => variant.trials.length > 0);
    if (measured.length > 0)
      attachCompletedTrials(error, buildResults(profile, options.environment, measured));
    throw error;
  }
}

/** One variant per target, with no trials yet. */
export function emptyVariants(targets: readonly Target[]): VariantTrials[] {
  return targets.map((t) => ({
    id: t.variantId,
    build: t.build,
    mesh: t.mesh.id,
    target: t.url,
    trials: [],
  }));
}

/** A trial in which every request failed to connect means the target is down, not slow. */
export function assertReachable(target: Target, trial: LoadTrial): void {
  if (trial.requests === 0 || trial.errors < trial.requests) return;
  const kinds = Object.entries(trial.errorsByKind)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  if (trial.errorsByKind.connect_refused === trial.requests || trial.errorsByKind.reset === trial.requests)
    throw new SetupError(
      `every request to ${target.variantId} at ${target.url} failed (${kinds}); is it running?`,
    );
}
