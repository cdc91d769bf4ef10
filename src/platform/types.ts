/**
 * Where the system under test runs. A Platform prepares one target per variant (build × mesh),
 * runs the load of each trial against it, measures the data plane's resources, and always cleans
 * up what it started. Implementations: local.ts (processes on this machine), kind.ts, kubernetes.ts.
 */
import type { LoadJob, LoadTrial } from '../load/types.js';
import type { MeshSpec, Profile } from '../profile/types.js';
import type { ControlPlaneUse, Environment, ResourceUse, VariantCost } from '../results/schema.js';
import type { Logger } from '../util/log.js';

export type BuildName = 'base' | 'head';

export interface Target {
  /** "<build>/<mesh id>", e.g. head/istio. */
  variantId: string;
  build: BuildName;
  mesh: MeshSpec;
  /** URL the load generator sends to (base URL, no path). */
  url: string;
}

/** Measures the data plane of one variant during one trial. */
export interface ResourceSampler {
  /** End the measurement; `requests` is the number of requests completed meanwhile. */
  stop(requests: number): Promise<ResourceUse | undefined>;
  /**
   * After stop(): CPU and memory of the mesh's control plane over the same trial, per component,
   * where the platform can sample it (reported, never gated).
   */
  controlPlane?(): ControlPlaneUse[] | undefined;
}

export interface Platform {
  readonly name: string;
  /**
   * Start or install everything the profile needs; one target per variant, in profile order.
   * Every wait inside (a build starting, a readiness probe) ends when `signal` aborts.
   */
  prepare(profile: Profile, signal?: AbortSignal): Promise<Target[]>;
  /** Run one trial's load against a target. */
  runTrial(target: Target, job: LoadJob, signal: AbortSignal): Promise<LoadTrial>;
  /** Start measuring a variant's data plane (undefined when nothing is measurable). */
  sampleResources(target: Target): ResourceSampler | undefined;
  /**
   * Count each mesh variant's instructions per request (profile `cost`), after the trials (the
   * cluster platforms count during the trials' windows and return them here). Absent where no
   * counting method exists; where nothing was counted, costUnavailable() says why.
   */
  measureCost?(
    profile: Profile,
    targets: readonly Target[],
    signal: AbortSignal,
  ): Promise<Map<string, VariantCost>>;
  /** Why nothing was or will be counted for profile `cost` on this platform, in one line (else undefined). */
  costUnavailable?(): string | undefined;
  /** Versions and facts for results.environment. */
  describe(): Promise<Partial<Environment>>;
  /** Stop and remove everything this platform started. Safe to call twice and after a failed prepare. */
  cleanup(): Promise<void>;
}

export interface PlatformContext {
  log: Logger;
  /** A directory this run may write to (configs, logs); removed by the caller. */
  workDir: string;
}
