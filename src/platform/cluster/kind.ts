/**
 * platform: kind — a throwaway cluster on the runner's Docker: generated config (control plane,
 * a workload worker, a load worker), readiness waits, the PR's images loaded as archives for the
 * nodes' platform, then the shared cluster session (cluster.ts). The cluster is
 * deleted in cleanup, and by the action's post step from the saved state if the main step died.
 * A cluster named by the user is reused and never deleted.
 *
 * Only a GitHub workflow (.github/workflows/e2e.yml) exercises this against real Docker and kind;
 * this repository's tests run it against stand-ins of the tools whose pods run as local processes.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError } from '../../errors.js';
import { meshTools } from './meshes/registry.js';
import type { Profile } from '../../profile/types.js';
import { ClusterSession } from './cluster.js';
import { ClusterPlatform } from './cluster-platform.js';
import { readBundleFiles } from './bundles.js';
import { Kubectl } from '../../system/kubectl.js';
import { LOAD_SELECTOR, WORKLOAD_SELECTOR, kindConfig, kindConfigYaml } from './kind-config.js';
import { cleanupFromState, type KindState } from './kind-state.js';
import { run, runChecked } from '../../system/run-command.js';
import { NODE_IMAGE, type ToolName } from '../../system/tool-versions.js';
import { resolveTools, type ToolPaths } from '../../system/tools.js';
import type { PlatformContext, Target } from '../types.js';
import type { DiagnosticsOptions } from './cluster-platform.js';
import type { DiagnosticsTarget } from './diagnostics.js';

export interface KindOptions extends DiagnosticsOptions {
  /** An existing kind cluster to use (never deleted); default: create meshgate-<run id>. */
  clusterName?: string;
  /** Leave a cluster this run created in place (debugging). */
  keepCluster?: boolean;
  /** Tool version overrides (kind, kubectl, istioctl, linkerd). */
  toolVersions?: Partial<Record<ToolName, string>>;
  /** Use tools found on PATH (default true). */
  preferPathTools?: boolean;
  /** Token for GitHub's API when a tool is verified by its release asset's digest (tools.ts). */
  githubToken?: string;
  /** Called with the state to save for the post step, as soon as it is known. */
  onState?: (state: KindState) => void;
  loadWorkers?: number;
  workloadWorkers?: number;
  /** Where dist/loadgen etc. are (default: next to the running code). */
  distDir?: string;
  generatorLeadMs?: number;
  rolloutTimeoutS?: number;
}

const CLUSTER_TIMEOUT_S = 300;

export class KindPlatform extends ClusterPlatform {
  override readonly name = 'kind';
  private state?: KindState;
  private tools?: ToolPaths;
  private kubectl?: Kubectl;
  private meshNames: string[] = [];

  constructor(
    private readonly options: KindOptions,
    ctx: PlatformContext,
  ) {
    super(ctx);
  }

  /** The state the action's post step needs (undefined before prepare() got to the cluster). */
  stateToSave(): KindState | undefined {
    return this.state && { ...this.state };
  }

  protected override async prepareCluster(profile: Profile): Promise<Target[]> {
    const { log } = this.ctx;
    const { tools: meshCliTools, versions } = meshTools(profile.mesh, this.options.toolVersions);
    this.meshNames = [...new Set(profile.mesh.map((m) => m.name))];
    this.tools = await log.group('install cluster tools', () =>
      resolveTools(['kind', ...meshCliTools], {
        log,
        versions,
        preferPath: this.options.preferPathTools,
        githubToken: this.options.githubToken,
      }),
    );
    const kind = this.tools.kind!;
    const clusterName = this.options.clusterName ?? `meshgate-${this.runId}`;
    this.state = {
      platform: 'kind',
      clusterName,
      created: !this.options.clusterName,
      keepCluster: this.options.keepCluster ?? false,
      kindPath: kind,
    };
    this.options.onState?.(this.stateToSave()!);
    if (this.state.created)
      await log.group(`create kind cluster ${clusterName}`, () => this.createCluster(kind, clusterName));
    const kubectl = new Kubectl(this.tools.kubectl, log, `kind-${clusterName}`);
    this.kubectl = kubectl;
    await log.group('wait for the nodes', () =>
      kubectl.run(['wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${CLUSTER_TIMEOUT_S}s`], {
        hint: "`kubectl describe nodes`: the CNI and the runner's free memory and disk",
        timeoutMs: (CLUSTER_TIMEOUT_S + 30) * 1000,
      }),
    );
    await this.loadImages(kind, kubectl, clusterName, profile);
    this.session = new ClusterSession({
      kubectl,
      tools: this.tools,
      log,
      runId: this.runId,
      nodeImage: NODE_IMAGE,
      bundleFiles: () => readBundleFiles(this.options.distDir),
      // A user's own kind cluster has no meshgate node labels.
      workloadNodeSelector: this.state.created ? WORKLOAD_SELECTOR : undefined,
      loadNodeSelector: this.state.created ? LOAD_SELECTOR : undefined,
      generatorLeadMs: this.options.generatorLeadMs ?? 15_000,
      rolloutTimeoutS: this.options.rolloutTimeoutS ?? 300,
      uninstallMeshes: !this.state.created,
      // The nodes are containers on this machine: their pods' cgroups are read at the window's edges.
      usageSource: 'cgroup',
    });
    return this.session.prepare(profile);
  }

  private async createCluster(kind: string, clusterName: string): Promise<void> {
    const configPath = join(this.ctx.workDir, `kind-${clusterName}.yaml`);
    const config = kindConfig({
      name: clusterName,
      loadWorkers: this.options.loadWorkers,
      workloadWorkers: this.options.workloadWorkers,
    });
    writeFileSync(configPath, kindConfigYaml(config));
    this.ctx.log.info(`node image ${config.nodes[0].image}; ${config.nodes.length - 1} workers`);
    await runChecked(
      kind,
      ['create', 'cluster', '--name', clusterName, '--config', configPath, '--wait', `${CLUSTER_TIMEOUT_S}s`],
      {
        timeoutMs: (CLUSTER_TIMEOUT_S + 120) * 1000,
        hint: 'that Docker runs (`docker info`), the runner has ~4 GB free memory, and no cluster of that name exists (`kind get clusters`)',
      },
    );
  }

  /**
   * Every image build onto the kind nodes, as an archive for the nodes' platform. `kind load
   * docker-image` fails for multi-platform images under Docker's containerd image store
   * (kubernetes-sigs/kind#3795, #4066): it exports every platform, of which only one is present.
   * So: pull for the node's platform when Docker lacks the image, save that platform to an
   * archive, and `kind load image-archive` it.
   */
  private async loadImages(
    kind: string,
    kubectl: Kubectl,
    clusterName: string,
    profile: Profile,
  ): Promise<void> {
    const images = [
      ...new Set(
        Object.values(profile.workload.builds).flatMap((build) =>
          build?.kind === 'image' ? [build.image] : [],
        ),
      ),
    ];
    if (images.length === 0) return;
    const arch = (
      await kubectl.run(['get', 'nodes', '-o', 'jsonpath={.items[0].status.nodeInfo.architecture}'], {
        hint: 'that the kind nodes registered',
      })
    ).stdout.trim();
    if (!/^[a-z0-9]+$/.test(arch))
      throw new SetupError(`kind nodes report architecture "${arch}"; expected amd64 or arm64`);
    const platform = `linux/${arch}`;
    for (const [index, image] of images.entries())
      await this.ctx.log.group(`load image ${image} (${platform})`, async () => {
        const present = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
          timeoutMs: 60_000,
        });
        if (present.exitCode !== 0)
          await runChecked('docker', ['pull', '--platform', platform, image], {
            timeoutMs: 600_000,
            hint: `that ${image} was built in an earlier step or can be pulled`,
          });
        const archive = join(this.ctx.workDir, `image-${index}.tar`);
        await runChecked('docker', ['image', 'save', '--platform', platform, '-o', archive, image], {
          timeoutMs: 600_000,
          hint: `that Docker has ${image} for ${platform} (\`docker image inspect ${image}\`; --platform needs Docker 28 or later) and the runner has free disk`,
        });
        await runChecked(kind, ['load', 'image-archive', archive, '--name', clusterName], {
          timeoutMs: 600_000,
          hint: `that the kind nodes have free disk`,
        });
        rmSync(archive, { force: true });
      });
  }

  protected override diagnosticsTarget(): DiagnosticsTarget {
    const state = this.state;
    return {
      kubectl: this.kubectl,
      // kind export logs only for a cluster that exists (created, or the user's).
      kind: state && this.tools?.kind ? { path: this.tools.kind, clusterName: state.clusterName } : undefined,
      tools: this.tools,
      meshes: this.meshNames,
      // A cluster this run created is its own: all namespaces. A user's kind cluster: ours only.
      namespaces: state && !state.created ? this.runNamespaces(this.meshNames) : undefined,
    };
  }

  protected override diagnosticsOptions(): DiagnosticsOptions {
    return this.options;
  }

  override async cleanup(): Promise<void> {
    await this.prepareSettled();
    const session = this.takeSession();
    const state = this.state;
    this.state = undefined;
    if (!state) return;
    // A cluster this run created goes whole; in a reused one, remove namespaces and our meshes.
    if (!state.created || state.keepCluster) await session?.cleanup();
    await cleanupFromState(state, this.ctx.log);
  }
}
