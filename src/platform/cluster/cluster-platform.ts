/**
 * What kind.ts and kubernetes.ts share once their cluster is reachable: every trial, resource
 * sample, dry-run plan and description goes to the one ClusterSession (cluster.ts) that their
 * prepare() created. Each subclass owns only how it gets a cluster and how it lets go of it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError, errorMessage } from '../../errors.js';
import type { LoadJob, LoadTrial } from '../../load/types.js';
import type { Profile } from '../../profile/types.js';
import type { Environment } from '../../results/schema.js';
import type { KubeObject } from '../../system/kubectl.js';
import { commandSinkActive, withCommandSignal } from '../../system/run-command.js';
import type { Logger } from '../../util/log.js';
import type { Platform, PlatformContext, ResourceSampler, Target } from '../types.js';
import type { ClusterSession } from './cluster.js';
import {
  ClusterStepError,
  collectDiagnostics,
  DIAGNOSTICS_LIMITS,
  type DiagnosticsLimits,
  type DiagnosticsTarget,
} from './diagnostics.js';
import { newRunId } from './run-id.js';

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
    const preparing = withCommandSignal(signal, async () => {
      try {
        return await this.prepareCluster(profile);
      } catch (error) {
        throw await this.explain(error, signal, 'prepare');
      }
    });
    this.preparing = preparing.catch(() => undefined);
    return preparing;
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

  sampleResources(target: Target): ResourceSampler | undefined {
    return this.session?.sampleResources(target);
  }

  /**
   * kubernetes: perf counts processes on this machine, and a cluster's nodes are other machines,
   * so instructions are not counted (kind overrides: its nodes are containers here).
   */
  costUnavailable(): string | undefined {
    return "the cluster's nodes are other machines: perf on this runner cannot see their proxies' processes (platform kind on an arm64 GitHub runner counts them)";
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
    const session = this.session;
    this.session = undefined;
    return session;
  }
}
