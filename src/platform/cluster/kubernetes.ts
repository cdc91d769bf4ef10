/**
 * platform: kubernetes — an existing cluster from the current kubeconfig context (or a named
 * one): the run lives in namespaces with a unique suffix, which cleanup deletes, and meshes this
 * run installed are uninstalled (an existing Istio or Linkerd is reused and left alone).
 * Node placement is the user's: pass node selectors to keep generators off the workload's nodes.
 *
 * Only a real cluster exercises this (not part of this repository's tests beyond stand-ins).
 */
import type { LoadJob, LoadTrial } from '../../load/types.js';
import { meshTools } from './meshes/registry.js';
import type { Profile } from '../../profile/types.js';
import type { Environment } from '../../results/schema.js';
import { readBundleFiles } from './bundles.js';
import { ClusterSession } from './cluster.js';
import { Kubectl } from '../../system/kubectl.js';
import { newRunId } from './run-id.js';
import { NODE_IMAGE, type ToolName } from '../../system/tool-versions.js';
import { resolveTools } from '../../system/tools.js';
import type { Platform, PlatformContext, ResourceSampler, Target } from '../types.js';

export interface KubernetesOptions {
  /** kubeconfig context; default: the current one. */
  context?: string;
  toolVersions?: Partial<Record<ToolName, string>>;
  preferPathTools?: boolean;
  /** Node labels for the workload pods and for the load generator pods. */
  workloadNodeSelector?: Record<string, string>;
  loadNodeSelector?: Record<string, string>;
  distDir?: string;
  generatorLeadMs?: number;
  rolloutTimeoutS?: number;
}

export class KubernetesPlatform implements Platform {
  readonly name = 'kubernetes';
  private readonly runId = newRunId();
  private session?: ClusterSession;
  private context?: string;

  constructor(
    private readonly options: KubernetesOptions,
    private readonly ctx: PlatformContext,
  ) {}

  async prepare(profile: Profile): Promise<Target[]> {
    const { log } = this.ctx;
    const { tools: meshCliTools, versions } = meshTools(profile.mesh, this.options.toolVersions);
    const tools = await log.group('install cluster tools', () =>
      resolveTools(meshCliTools, { log, versions, preferPath: this.options.preferPathTools }),
    );
    const lookup = new Kubectl(tools.kubectl, log);
    this.context =
      this.options.context ??
      (
        await lookup.run(['config', 'current-context'], {
          hint: 'that KUBECONFIG points at a kubeconfig with a current context',
        })
      ).stdout.trim();
    const kubectl = new Kubectl(tools.kubectl, log, this.context);
    await kubectl.run(['cluster-info'], {
      hint: `that the cluster of context ${this.context} is reachable and the credentials are valid`,
      timeoutMs: 60_000,
    });
    log.info(`kubernetes: context ${this.context}, run ${this.runId}`);
    this.session = new ClusterSession({
      kubectl,
      tools,
      log,
      runId: this.runId,
      nodeImage: NODE_IMAGE,
      bundleFiles: () => readBundleFiles(this.options.distDir),
      workloadNodeSelector: this.options.workloadNodeSelector,
      loadNodeSelector: this.options.loadNodeSelector,
      generatorLeadMs: this.options.generatorLeadMs ?? 20_000,
      rolloutTimeoutS: this.options.rolloutTimeoutS ?? 300,
      uninstallMeshes: true,
    });
    return this.session.prepare(profile);
  }

  runTrial(target: Target, job: LoadJob, signal: AbortSignal): Promise<LoadTrial> {
    return this.session!.runTrial(target, job, signal);
  }

  sampleResources(target: Target): ResourceSampler | undefined {
    return this.session?.sampleResources(target);
  }

  async describe(): Promise<Partial<Environment>> {
    return { platform: 'kubernetes', ...(await this.session?.describe()) };
  }

  async cleanup(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.cleanup();
  }
}
