/**
 * The pipeline both doors (CLI and action) call: prepare the platform, run the experiment,
 * always clean up. Platforms come from platform/registry.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapacityExperiment } from './capacity/experiment.js';
import { runExperiment } from './experiment.js';
import { resultsFromProfileImports } from './interop/profile-import.js';
import { closeLoadWorkers } from './load/engine.js';
import type { PlatformName, Profile } from './profile/types.js';
import { localEnvironment } from './results/environment.js';
import type { Results } from './results/schema.js';
import { checkProfileFor, createPlatform, type PlatformOptions } from './platform/registry.js';
import { untilAborted } from './system/processes.js';
import { forgetDirectory, watchDirectory } from './system/watchdog.js';
import { measureCost } from './cost-phase.js';
import type { Logger } from './util/log.js';

export interface MeasureOptions {
  log: Logger;
  signal: AbortSignal;
  /** Overrides profile.platform (CLI --platform, action input). */
  platform?: PlatformName;
  /** Each platform's options, from the door's flags or inputs (platformOptions() in the registry). */
  platformOptions?: PlatformOptions;
  /** Trials per variant at each look and whether to go on after a look (sequential extension). */
  looks?: number[];
  shouldExtend?: (results: Results, look: number) => boolean;
  intervalMs?: number;
  /** Trials so far after each one, to be written at once (experiment.ts). */
  checkpoint?: (results: Results) => Promise<void>;
}

export async function measure(profile: Profile, options: MeasureOptions): Promise<Results> {
  if (profile.importResults) return resultsFromProfileImports(profile, options.log);
  const platformName = options.platform ?? profile.platform;
  // The platform's own checks of the profile (a cluster's data-plane files, say) before anything
  // starts: a bad file is exit 2 at once, not after minutes of setup.
  checkProfileFor(platformName, profile);
  const workDir = await mkdtemp(join(tmpdir(), 'meshgate-'));
  // Removed by the finally below, or by the watchdog should this process be killed outright.
  watchDirectory(workDir);
  const platform = createPlatform(platformName, { log: options.log, workDir }, options.platformOptions);
  try {
    // Ctrl-C ends prepare at once, whatever the platform is waiting for; cleanup below stops
    // what it had started.
    const targets = await options.log.group(`prepare ${platformName}`, () =>
      untilAborted(platform.prepare(profile, options.signal), options.signal),
    );
    const environment = { ...localEnvironment(platformName), ...(await platform.describe()) };
    // A capacity profile searches each variant for the highest rate its SLO holds at, instead of
    // measuring one rate for a number of trials.
    if (profile.load.capacity)
      return await options.log.group(`capacity search of ${targets.length} variants`, () =>
        runCapacityExperiment(profile, platform, targets, {
          log: options.log,
          signal: options.signal,
          environment,
          intervalMs: options.intervalMs ?? 1000,
          checkpoint: options.checkpoint,
        }),
      );
    const results = await options.log.group(
      `measure ${targets.length} variants × ${profile.trials} trials`,
      () =>
        runExperiment(profile, platform, targets, {
          log: options.log,
          signal: options.signal,
          environment,
          looks: options.looks,
          shouldExtend: options.shouldExtend,
          intervalMs: options.intervalMs ?? 1000,
          checkpoint: options.checkpoint,
        }),
    );
    return await measureCost(profile, platform, targets, results, options);
  } finally {
    await options.log.group('cleanup', async () => {
      await platform.cleanup();
      await closeLoadWorkers();
      await rm(workDir, { recursive: true, force: true });
      forgetDirectory(workDir);
    });
  }
}
