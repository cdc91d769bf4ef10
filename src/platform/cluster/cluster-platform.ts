/**
 * What kind.ts and kubernetes.ts share once their cluster is reachable: every trial, resource
 * sample, dry-run plan and description goes to the one ClusterSession (cluster.ts) that their
 * prepare() created. Each subclass owns only how it gets a cluster and how it lets go of it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError, errorMessage } from '../../errors.js';
import type { LoadJob, LoadTrial } from '../../load/types.js';
import type { DataPlaneFiles, Profile } from '../../profile/types.js';
import type { Environment, VariantCost } from '../../results/schema.js';
import { ClusterCostCounter, clusterCostMethod } from './cost/counter.js';
import type { KubeObject } from '../../system/kubectl.js';
import { commandSinkActive, withCommandSignal } from '../../system/run-command.js';
import type { Logger } from '../../util/log.js';
import type { Platform, PlatformCapabilities, PlatformContext, ResourceSampler, Target } from '../types.js';
import type { ClusterSession } from './cluster.js';
import { validateClusterDataPlanes } from './data-plane/validate.js';
import {
  ClusterStepError,
  collectDiagnostics,
  DIAGNOSTICS_LIMITS,
  type DiagnosticsLimits,
  type DiagnosticsTarget,
} from './diagnostics.js';
import { newRunId } from './run-id.js';

/**
 * Before a cluster is created: a local proxy's own config files run on platform local only
 * (cluster meshes carry manifests and proxy annotations instead), and the cluster data planes'
 * builds (manifests, proxy annotations, install values) are checked — a bad file is exit 2 at
 * once, not after minutes of setup.
 */
function checkClusterProfile(profile: Profile, platform: string): void {
  const localFiles = (files?: DataPlaneFiles) =>
    Boolean(files && (files.config || files.include || files.globalInclude));
  const custom = profile.mesh.findIndex(
    (mesh) => localFiles(mesh.dataPlane) || localFiles(mesh.builds?.base) || localFiles(mesh.builds?.head),
  );
  if (custom >= 0)
    throw new UserError(
      `mesh[${custom}] (${profile.mesh[custom].id}) carries its own proxy config, which runs on platform local only, not ${platform}`,
    );
  validateClusterDataPlanes(profile.mesh);
}

/** What kind and kubernetes share of their capabilities (platform/types.ts). */
export const CLUSTER_CAPABILITIES = {
  checkProfile: checkClusterProfile,
  // The manifests, proxy annotations and install values, against the rules of the mesh version a
  // run would install.
  validate: async (profile) => validateClusterDataPlanes(profile.mesh),
} as const satisfies PlatformCapabilities;

/** Where a failed step's diagnostics go, and their bounds (the doors set the directory). */
export interface DiagnosticsOptions {
  /** Default: <tmpdir>/meshgate-diagnostics-<run id>. */
  diagnosticsDir?: string;
  diagnosticsLimits?: Partial<DiagnosticsLimits>;
}

export abstract class ClusterPlatform implements Platform {
  abstract readonly name: 'kind' | 'kubernetes';
  protected readonly runId = newRunId();
  protected session?: ClusterSession;
  protected readonly ctx: PlatformContext;
  private preparing?: Promise<unknown>;
  /** The log groups open now, and the innermost one an error last left (the failed step). */
  private readonly steps: string[] = [];
  private failedStep?: string;
  private diagnosed = false;
  /** Profile `cost`: the counter where perf counts here, else why not, in one line. */
  private cost?: ClusterCostCounter | { unavailable: string };
  private costNote?: string;

  constructor(ctx: PlatformContext) {
    this.ctx = { ...ctx, log: this.tracking(ctx.log) };
  }

  /** The logger, noting which group (step) an error leaves first. */
  private tracking(log: Logger): Logger {
    return {
      ...log,
      info: (m) => log.info(m),
      warn: (m) => log.warn(m),
      debug: (m) => log.debug(m),
      group: async (name, fn) => {
        this.steps.push(name);
        try {
          return await log.group(name, fn);
        } catch (error) {
          this.failedStep ??= this.steps.join(' › ');
          throw error;
        } finally {
          this.steps.pop();
        }
      },
    };
  }

  /**
   * Cancelling reaches every tool prepare() started (kind create, istioctl install, kubectl
   * apply …): each is stopped — its process group SIGTERM, SIGKILL 10 s later — and no further
   * one starts (run-command.ts). The pipeline's untilAborted returns at once; cleanup() waits
   * for prepare() to have settled, so that an uninstall never runs before an install that is
   * still going (and would then complete on the user's cluster). A step that fails (not
   * cancelled) leaves a diagnostics bundle before cleanup removes what it would show.
   */
  prepare(profile: Profile, signal?: AbortSignal): Promise<Target[]> {
    const preparing = (async () => {
      // Probed before anything is created: `cost.method perf` where perf cannot count is exit 3
      // now. A dry run plans the cluster's commands only: no probe (perf is local, counts nothing).
      const method = profile.cost && !commandSinkActive() ? await clusterCostMethod(profile.cost) : undefined;
      return withCommandSignal(signal, async () => {
        try {
          const targets = await this.prepareCluster(profile);
          if (method) this.startCounting(method, targets);
          return targets;
        } catch (error) {
          throw await this.explain(error, signal, 'prepare');
        }
      });
    })();
    this.preparing = preparing.catch(() => undefined);
    return preparing;
  }

  /**
   * Profile `cost`: each mesh variant's proxies counted with perf over its trials' measured
   * windows, where they are processes of this machine (kind's nodes are; a kubernetes node is
   * only when the cluster runs on the runner itself). See cost/counter.ts.
   */
  private startCounting(method: { tool: string } | { unavailable: string }, targets: Target[]): void {
    const session = this.prepared();
    if ('unavailable' in method) {
      this.cost = method;
      return;
    }
    const counter = new ClusterCostCounter({
      tool: method.tool,
      log: this.ctx.log,
      listPods: (namespace) => session.listPods(namespace),
    });
    for (const target of targets) {
      const proxy = session.proxyOf(target);
      if (proxy) counter.track(target.variantId, proxy);
    }
    session.watchWindows((variantId, window) => counter.window(variantId, window));
    this.cost = counter;
  }

  private counter(): ClusterCostCounter | undefined {
    return this.cost instanceof ClusterCostCounter ? this.cost : undefined;
  }

  protected abstract prepareCluster(profile: Profile): Promise<Target[]>;
  abstract cleanup(): Promise<void>;
  /** What the diagnostics of a failed step can reach (tools, cluster, namespaces, meshes). */
  protected abstract diagnosticsTarget(): DiagnosticsTarget;
  protected abstract diagnosticsOptions(): DiagnosticsOptions;

  /** Resolves once prepare() has finished or failed (at once if it never ran). */
  protected async prepareSettled(): Promise<void> {
    await this.preparing;
  }

  /**
   * A failed step's error, naming the step and the diagnostics bundle (collected once per run).
   * Bad input (UserError) and cancellation need none; a dry run runs nothing to diagnose.
   */
  private async explain(
    error: unknown,
    signal: AbortSignal | undefined,
    fallbackStep: string,
  ): Promise<unknown> {
    if (error instanceof UserError || signal?.aborted || commandSinkActive() || this.diagnosed) return error;
    this.diagnosed = true;
    const step = this.failedStep ?? fallbackStep;
    this.failedStep = undefined;
    const options = this.diagnosticsOptions();
    const dir = options.diagnosticsDir ?? join(tmpdir(), `meshgate-diagnostics-${this.runId}`);
    const bundle = await this.ctx.log
      .group('collect diagnostics', () =>
        collectDiagnostics(dir, step, error, this.diagnosticsTarget(), this.ctx.log, {
          ...DIAGNOSTICS_LIMITS,
          ...options.diagnosticsLimits,
        }),
      )
      .catch((failure: unknown) => {
        this.ctx.log.warn(`could not collect diagnostics: ${errorMessage(failure)}`);
        return undefined;
      });
    const where = bundle
      ? `\nDiagnostics (the step, the commands before it, tool versions, pods, events, the mesh's check${this.name === 'kind' ? ', kind export logs' : ''}): ${bundle}`
      : '';
    return new ClusterStepError(
      `${this.name}: step "${step}" failed: ${errorMessage(error)}${where}`,
      step,
      bundle,
    );
  }

  private prepared(): ClusterSession {
    if (!this.session) throw new Error(`platform ${this.name}: prepare() has not run`);
    return this.session;
  }

  async runTrial(target: Target, job: LoadJob, signal: AbortSignal): Promise<LoadTrial> {
    try {
      return await this.prepared().runTrial(target, job, signal);
    } catch (error) {
      throw await this.explain(error, signal, `trial of ${target.variantId}`);
    }
  }

  /** The generator Job a trial of `target` would apply (the dry run prints it). */
  planTrial(target: Target, job: LoadJob): KubeObject | undefined {
    return this.session?.planTrial(target, job);
  }

  /** The trial's proxy resources and, where perf counts, its window's instructions. */
  sampleResources(target: Target): ResourceSampler | undefined {
    const sampler = this.session?.sampleResources(target);
    const counter = this.counter();
    if (!counter?.tracks(target.variantId)) return sampler;
    return {
      stop: async (requests) => {
        await counter.stop(target.variantId, requests);
        return sampler?.stop(requests);
      },
      ...(sampler?.controlPlane ? { controlPlane: () => sampler.controlPlane!() } : {}),
    };
  }

  /** The batches counted in the trials' windows, less an idle window (empty when nothing counted). */
  async measureCost(
    _profile: Profile,
    _targets: readonly Target[],
    signal: AbortSignal,
  ): Promise<Map<string, VariantCost>> {
    const cost = this.cost;
    if (!cost) return new Map();
    if (!(cost instanceof ClusterCostCounter)) {
      this.ctx.log.warn(`cost: not counted: ${cost.unavailable}`);
      return new Map();
    }
    const costs = await cost.finish(signal);
    this.costNote = cost.whyNothing(costs);
    return costs;
  }

  costUnavailable(): string | undefined {
    return this.cost instanceof ClusterCostCounter ? this.costNote : this.cost?.unavailable;
  }

  async describe(): Promise<Partial<Environment>> {
    return { platform: this.name, ...(await this.session?.describe()) };
  }

  /** The run's namespaces and those of its meshes, for diagnostics on a cluster that is not the run's own. */
  protected runNamespaces(meshes: readonly string[]): string[] {
    const meshNamespaces: Record<string, string> = { istio: 'istio-system', linkerd: 'linkerd' };
    return [...(this.session?.namespaces ?? []), ...meshes.flatMap((mesh) => meshNamespaces[mesh] ?? [])];
  }

  /** Hand the session over to be cleaned up (once: a second call gets undefined). */
  protected takeSession(): ClusterSession | undefined {
    this.counter()?.close(); // no perf outlives the trials
    const session = this.session;
    this.session = undefined;
    return session;
  }
}
