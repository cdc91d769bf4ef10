/**
 * Where the system under test runs. A Platform prepares one target per variant (build × mesh),
 * runs the load of each trial against it, measures the data plane's resources, and always cleans
 * up what it started. Implementations: local/platform.ts (processes on this machine),
 * cluster/kind.ts, cluster/kubernetes.ts. What a platform can do beyond measuring — validate, plan,
 * clean up after the action, set up tools — are optional capabilities (here and in
 * PlatformCapabilities), so that the doors and the pipeline talk only to this interface and to
 * platform/registry.ts, never to a platform's own files.
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
  /**
   * For --dry-run: the Job one trial of `target` would apply, after a prepare() whose commands went
   * to a recorder. Present on the platforms that can print a plan.
   */
  planTrial?(target: Target, job: LoadJob): object | undefined;
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

/** What `meshgate validate` hands a platform's checks of the profile's data-plane files. */
export interface ValidationPolicy {
  /** Run what the profile's files load (validate --run-profile-code). */
  trusted: boolean;
  /** The profile's folder: scripts may be loaded from under it. */
  profileDir?: string;
  /** Said when a check is left out. */
  note?(message: string): void;
  /** Said when a run on this machine would stop (a proxy the profile needs is not installed). */
  warn?(message: string): void;
  /** Each command a check runs (validate --verbose). */
  running?(message: string): void;
}

/** A program a platform needs for one of its measurements, which the action may install. */
export interface PlatformTool {
  /** As people name it, e.g. "Valgrind". */
  name: string;
  /** Whether the profile needs it on this platform. */
  neededBy(profile: Profile): boolean;
  /** Its version, undefined when missing. */
  version(): Promise<string | undefined>;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** What to tell a user who must install it themselves. */
  installHint: string;
}

/**
 * A platform as the registry lists it: how to create one, and the capabilities that need no
 * running instance (they run before prepare(), or in another process: the action's post step).
 */
export interface PlatformCapabilities {
  /**
   * Checks of the profile for this platform before anything is started (exit 2 at once, not after
   * minutes of setup). `platform` is the name as the user chose it, for messages.
   */
  checkProfile?(profile: Profile, platform: string): void;
  /** What `meshgate validate` checks of the profile's data-plane files for this platform. */
  validate?(profile: Profile, workDir: string, policy: ValidationPolicy): Promise<unknown>;
  /** Why `--dry-run` prints no plan here (absent: the platform implements planTrial). */
  noPlan?: string;
  /**
   * The action's post step (a new process, also after a failed or cancelled main): remove what a
   * run left behind, from the state the platform handed to `onState` (parsed JSON; anything
   * malformed is ignored).
   */
  cleanupFromState?(saved: unknown, log: Logger): Promise<void>;
  /** Programs the action installs when a profile needs them on this platform. */
  tools?: readonly PlatformTool[];
}
