/**
 * What kind.ts and kubernetes.ts share once their cluster is reachable: every trial, resource
 * sample, dry-run plan and description goes to the one ClusterSession (cluster.ts) that their
 * prepare() created. Each subclass owns only how it gets a cluster and how it lets go of it.
 */
import type { LoadJob, LoadTrial } from '../../load/types.js';
import type { Profile } from '../../profile/types.js';
import type { Environment } from '../../results/schema.js';
import type { KubeObject } from '../../system/kubectl.js';
import type { Platform, PlatformContext, ResourceSampler, Target } from '../types.js';
import type { ClusterSession } from './cluster.js';
import { newRunId } from './run-id.js';
import { withCommandSignal } from '../../system/run-command.js';

export abstract class ClusterPlatform implements Platform {
  abstract readonly name: 'kind' | 'kubernetes';
  protected readonly runId = newRunId();
  protected session?: ClusterSession;

  constructor(protected readonly ctx: PlatformContext) {}

  private preparing?: Promise<unknown>;

  /**
   * Cancelling reaches every tool prepare() started (kind create, istioctl install, kubectl
   * apply …): each is stopped — its process group SIGTERM, SIGKILL 10 s later — and no further
   * one starts (run-command.ts). The pipeline's untilAborted returns at once; cleanup() waits
   * for prepare() to have settled, so that an uninstall never runs before an install that is
   * still going (and would then complete on the user's cluster).
   */
  prepare(profile: Profile, signal?: AbortSignal): Promise<Target[]> {
    const preparing = withCommandSignal(signal, () => this.prepareCluster(profile));
    this.preparing = preparing.catch(() => undefined);
    return preparing;
  }

  protected abstract prepareCluster(profile: Profile): Promise<Target[]>;
  abstract cleanup(): Promise<void>;

  /** Resolves once prepare() has finished or failed (at once if it never ran). */
  protected async prepareSettled(): Promise<void> {
    await this.preparing;
  }

  private prepared(): ClusterSession {
    if (!this.session) throw new Error(`platform ${this.name}: prepare() has not run`);
    return this.session;
  }

  runTrial(target: Target, job: LoadJob, signal: AbortSignal): Promise<LoadTrial> {
    return this.prepared().runTrial(target, job, signal);
  }

  /** The generator Job a trial of `target` would apply (the dry run prints it). */
  planTrial(target: Target, job: LoadJob): KubeObject | undefined {
    return this.session?.planTrial(target, job);
  }

  sampleResources(target: Target): ResourceSampler | undefined {
    return this.session?.sampleResources(target);
  }

  async describe(): Promise<Partial<Environment>> {
    return { platform: this.name, ...(await this.session?.describe()) };
  }

  /** Hand the session over to be cleaned up (once: a second call gets undefined). */
  protected takeSession(): ClusterSession | undefined {
    const session = this.session;
    this.session = undefined;
    return session;
  }
}
