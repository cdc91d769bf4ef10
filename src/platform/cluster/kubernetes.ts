/**
 * platform: kubernetes — an existing cluster from the current kubeconfig context (or a named
 * one): the run lives in namespaces with a unique suffix, which cleanup deletes, and meshes this
 * run installed are uninstalled (an existing Istio or Linkerd is reused and left alone).
 * Node placement is the user's: pass node selectors to keep generators off the workload's nodes.
 *
 * Only a real cluster exercises this (not part of this repository's tests beyond stand-ins).
 */
import { meshTools } from './meshes/registry.js';
import type { Profile } from '../../profile/types.js';
import { readBundleFiles } from './bundles.js';
import { ClusterSession } from './cluster.js';
import { ClusterPlatform } from './cluster-platform.js';
import type { KubernetesState } from './kubernetes-state.js';
import { Kubectl } from '../../system/kubectl.js';
import { NODE_IMAGE, type ToolName } from '../../system/tool-versions.js';
import { resolveTools } from '../../system/tools.js';
import type { PlatformContext, Target } from '../types.js';
import type { DiagnosticsOptions } from './cluster-platform.js';
import type { DiagnosticsTarget } from './diagnostics.js';
import type { ToolPaths } from '../../system/tools.js';

export interface KubernetesOptions extends DiagnosticsOptions {
  /** kubeconfig context; default: the current one. */
  context?: string;
  toolVersions?: Partial<Record<ToolName, string>>;
  preferPathTools?: boolean;
  /** Token for GitHub's API when a tool is verified by its release asset's digest (tools.ts). */
  githubToken?: string;
  /** Called whenever the state the post step needs changes (context known, a mesh installing). */
  onState?: (state: KubernetesState) => void;
  /** Node labels for the workload pods and for the load generator pods. */
  workloadNodeSelector?: Record<string, string>;
  loadNodeSelector?: Record<string, string>;
  distDir?: string;
  generatorLeadMs?: number;
  rolloutTimeoutS?: number;
}

export class KubernetesPlatform extends ClusterPlatform {
  override readonly name = 'kubernetes';
  private context?: string;
  private tools?: ToolPaths;
  private kubectl?: Kubectl;
  private meshNames: string[] = [];

  constructor(
    private readonly options: KubernetesOptions,
    ctx: PlatformContext,
  ) {
    super(ctx);
  }

  protected override async prepareCluster(profile: Profile): Promise<Target[]> {
    const { log } = this.ctx;
    const { tools: meshCliTools, versions } = meshTools(profile.mesh, this.options.toolVersions);
    this.meshNames = [...new Set(profile.mesh.map((m) => m.name))];
    const tools = await log.group('install cluster tools', () =>
      resolveTools(meshCliTools, {
        log,
        versions,
        preferPath: this.options.preferPathTools,
        githubToken: this.options.githubToken,
      }),
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
    this.tools = tools;
    this.kubectl = kubectl;
    await kubectl.run(['cluster-info'], {
      hint: `that the cluster of context ${this.context} is reachable and the credentials are valid`,
      timeoutMs: 60_000,
    });
    log.info(`kubernetes: context ${this.context}, run ${this.runId}`);
    const state: KubernetesState = {
      platform: 'kubernetes',
      context: this.context,
      runId: this.runId,
      tools,
      installedMeshes: [],
    };
    this.options.onState?.({ ...state });
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
      onMeshInstalling: (mesh) => {
        state.installedMeshes.push(mesh);
        this.options.onState?.({ ...state, installedMeshes: [...state.installedMeshes] });
      },
      uninstallMeshes: true,
      // Nodes this machine cannot exec into: the kubelet's cAdvisor cache, used only when fresh.
      usageSource: 'cadvisor',
    });
    return this.session.prepare(profile);
  }

  /** The user's own cluster: only the run's namespaces and the meshes' are looked into. */
  protected override diagnosticsTarget(): DiagnosticsTarget {
    return {
      kubectl: this.kubectl,
      tools: this.tools,
      meshes: this.meshNames,
      namespaces: this.runNamespaces(this.meshNames),
    };
  }

  protected override diagnosticsOptions(): DiagnosticsOptions {
    return this.options;
  }

  override async cleanup(): Promise<void> {
    await this.prepareSettled();
    await this.takeSession()?.cleanup();
  }
}
