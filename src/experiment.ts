/**
 * The experiment: every variant measured for `trials` trials in interleaved blocks (see
 * experiment-order.ts), each trial with its own warm-up, so every switch of variant is warmed.
 * When the caller's `shouldExtend` asks for it (an inconclusive verdict), one more balanced pair
 * of blocks runs, up to `maxTrials` per variant.
 */
import { SetupError } from './errors.js';
import type { LoadJob, LoadTrial } from './load/types.js';
import type { Profile } from './profile/types.js';
import { buildResults, type VariantTrials } from './results/build.js';
import type { Environment, Results, Trial } from './results/schema.js';
import { schedule } from './experiment-order.js';
import type { Platform, Target } from './platform/types.js';
import type { Logger } from './util/log.js';

export interface ExperimentOptions {
  log: Logger;
  signal: AbortSignal;
  environment: Environment;
  /** Asked after the planned trials and after each extension; `look` counts from 1. */
  shouldExtend?: (results: Results, look: number) => boolean;
  /** Histogram per interval of each trial, for timelines (0 = none). */
  intervalMs?: number;
}

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
  const perVariant: VariantTrials[] = targets.map((t) => ({
    id: t.variantId,
    build: t.build,
    mesh: t.mesh.id,
    target: t.url,
    trials: [],
  }));
  let sequence = 0;
  let plannedBlocks = profile.trials;
  const runBlocks = async (firstBlock: number, blocks: number) => {
    for (const [variantIndex, trialIndex] of schedule(targets.length, blocks, profile.order, profile.seed, firstBlock)) {
      signal.throwIfAborted();
      const target = targets[variantIndex];
      const total = plannedBlocks * targets.length;
      log.info(
        `trial ${sequence + 1}/${total} · ${target.variantId} · ${Math.round((sequence / total) * 100)}% done`,
      );
      const sampler = platform.sampleResources(target);
      const loadTrial = await platform.runTrial(target, loadJobFor(profile, target, options.intervalMs), signal);
      const resources = await sampler?.stop(loadTrial.requests);
      signal.throwIfAborted();
      assertReachable(target, loadTrial);
      const trial: Trial = { index: trialIndex, sequence, ...loadTrial, ...(resources ? { resources } : {}) };
      perVariant[variantIndex].trials.push(trial);
      log.debug(
        `${target.variantId} trial ${trialIndex}: p50 ${trial.latencyMs.p50} ms, p99 ${trial.latencyMs.p99} ms, ${trial.actualRps} rps, ${trial.errors} errors`,
      );
      sequence++;
    }
  };

  await runBlocks(0, profile.trials);
  let results = buildResults(profile, options.environment, perVariant);
  let look = 1;
  while (plannedBlocks + 2 <= profile.maxTrials && options.shouldExtend?.(results, look)) {
    log.info(`verdict inconclusive after ${plannedBlocks} trials per variant: running 2 more (up to ${profile.maxTrials})`);
    plannedBlocks += 2;
    await runBlocks(plannedBlocks - 2, 2);
    results = buildResults(profile, options.environment, perVariant);
    look++;
  }
  return results;
}

/** A trial in which every request failed to connect means the target is down, not slow. */
function assertReachable(target: Target, trial: LoadTrial): void {
  if (trial.requests === 0 || trial.errors < trial.requests) return;
  const kinds = Object.entries(trial.errorsByKind)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  if (trial.errorsByKind.connect_refused === trial.requests || trial.errorsByKind.reset === trial.requests)
    throw new SetupError(`every request to ${target.variantId} at ${target.url} failed (${kinds}); is it running?`);
}
