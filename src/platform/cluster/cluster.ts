/**
 * What kind and kubernetes have in common once a cluster is reachable: install the meshes, put
 * each variant (build × mesh) in its own namespace with its workload, run trials with in-cluster
 * generators, sample proxy resources, and remove it all again.
 */
import { SetupError, UserError } from '../../errors.js';
import type { LoadJob, LoadTrial } from '../../load/types.js';
import { clusterMeshFor } from './meshes/registry.js';
import type { ClusterMesh, ClusterMeshContext, ProxyLocation } from './meshes/types.js';
import type { BuildSpec, MeshName, MeshSpec, Profile } from '../../profile/types.js';
import type { Environment } from '../../results/schema.js';
import type { Logger } from '../../util/log.js';
import { imageWorkload } from './workload/image.js';
import { manifestWorkload, readManifestFiles } from './workload/manifests.js';
import {
  bundleConfigMap,
  namespaceObject,
  variantNamespace,
  type BundleFile,
  type WorkloadPlan,
} from './workload/objects.js';
import { PREPULL_NAME, prepullDaemonSet } from './workload/prepull.js';
import { sampleWorkload } from './workload/sample.js';
import { assertValidObjects } from './workload/validate.js';
import { GeneratorSkewError, generatorJobFor, runGenerators, type GeneratorSetup } from './generators.js';

/** How often a trial with skewed generator starts is repeated before it is kept anyway. */
const SKEW_REPEATS = 2;
import type { Kubectl, KubeObject } from '../../system/kubectl.js';
import {
  startProxySampler,
  type MeasuredWindow,
  type UsageSourceKind,
  type WindowSampler,
} from './resources.js';
import { startControlPlaneSampler, withControlPlane } from './control-plane.js';
import { validateClusterDataPlanes, type VariantDataPlane } from './data-plane/validate.js';
import { scopeDataPlaneObjects, workloadPodLabels } from './data-plane/manifests.js';
import { withPodAnnotations } from './data-plane/annotations.js';
import { variantsOf } from '../data-plane-variants.js';
import type { ToolPaths } from '../../system/tools.js';
import type { PodItems } from './cost/counter.js';
import type { BuildName, ResourceSampler, Target } from '../types.js';

export interface ClusterSessionOptions {
  kubectl: Kubectl;
  tools: ToolPaths;
  log: Logger;
  runId: string;
  nodeImage: string;
  /** Bundles for pods (loadgen, load-worker, sample-server). */
  bundleFiles: () => BundleFile[];
  workloadNodeSelector?: Record<string, string>;
  loadNodeSelector?: Record<string, string>;
  generatorLeadMs: number;
  rolloutTimeoutS: number;
  /** Uninstall meshes this run installed (an existing cluster); kind deletes the whole cluster instead. */
  uninstallMeshes: boolean;
  /** Where proxy and control-plane CPU/memory come from (resources.ts): kind's cgroup files, or cAdvisor. */
  usageSource: UsageSourceKind;
  /** A mesh is about to be installed by this run (for the post step's saved state). */
  onMeshInstalling?: (mesh: string) => void;
}

interface VariantState {
  namespace: string;
  mesh: MeshSpec;
  adapter: ClusterMesh;
}

export class ClusterSession {
  private readonly meshes = new Map<MeshName, ClusterMesh>();
  private readonly variants = new Map<string, VariantState>();
  readonly namespaces: string[] = [];
  private generators = 1;
  private bundles: BundleFile[] = [];
  /** Samplers waiting for their variant's next trial to say when its measured window is. */
  private readonly samplers = new Map<string, WindowSampler>();
  /** Told each trial's measured window (the instruction counter, cost/counter.ts). */
  private windowWatcher?: (variantId: string, window: MeasuredWindow) => void;

  constructor(private readonly options: ClusterSessionOptions) {}

  private get meshContext(): ClusterMeshContext {
    return {
      kubectl: this.options.kubectl,
      tools: this.options.tools,
      log: this.options.log,
      onInstalling: this.options.onMeshInstalling,
    };
  }

  async prepare(profile: Profile): Promise<Target[]> {
    const { log } = this.options;
    this.generators = profile.load.generators;
    // Data-plane builds are checked before anything is installed: a bad file is exit 2 at once.
    const dataPlanes = validateClusterDataPlanes(profile.mesh);
    this.bundles = this.options.bundleFiles();
    for (const spec of profile.mesh)
      if (!this.meshes.has(spec.name)) this.meshes.set(spec.name, clusterMeshFor(spec.name));
    for (const [name, adapter] of this.meshes) {
      const specs = profile.mesh.filter((spec) => spec.name === name);
      if (name !== 'none') await log.group(`install ${name}`, () => adapter.install(specs, this.meshContext));
    }
    const manifests =
      profile.workload.manifests.length > 0 ? readManifestFiles(profile.workload.manifests) : undefined;
    const targets: Target[] = [];
    for (const [build, spec] of Object.entries(profile.workload.builds) as [BuildName, BuildSpec][]) {
      // With data-plane builds, base/<mesh> and head/<mesh> run the same application build, each
      // in its own namespace with its own data-plane objects.
      for (const [side, mesh] of variantsOf(build, profile.mesh)) {
        const variantId = `${side}/${mesh.id}`;
        const namespace = variantNamespace(this.options.runId, side, mesh.id);
        const adapter = this.meshes.get(mesh.name)!;
        const dataPlane = dataPlanes.get(variantId);
        const url = await log.group(`deploy ${variantId} in ${namespace}`, () =>
          this.deployVariant(
            namespace,
            build,
            spec,
            mesh,
            adapter,
            profile.workload.service,
            manifests,
            dataPlane,
          ),
        );
        this.variants.set(variantId, { namespace, mesh, adapter });
        targets.push({ variantId, build: side, mesh, url });
      }
    }
    await log.group('pull the generator images onto the load nodes', () => this.prepull());
    return targets;
  }

  /** Before trial 1: every variant's generator pod, as a DaemonSet on the load nodes (workload/prepull.ts). */
  private async prepull(): Promise<void> {
    const { kubectl, runId, nodeImage, loadNodeSelector, rolloutTimeoutS } = this.options;
    const objects = [...this.variants.values()].map((state) =>
      prepullDaemonSet({
        namespace: state.namespace,
        runId,
        nodeImage,
        podMeta: state.adapter.clientPod(state.mesh),
        nodeSelector: loadNodeSelector,
      }),
    );
    assertValidObjects(objects);
    await kubectl.apply(objects, { hint: 'that the kubeconfig user may create DaemonSets' });
    try {
      for (const object of objects)
        await kubectl.rolloutStatus(
          `daemonset/${PREPULL_NAME}`,
          object.metadata.namespace!,
          rolloutTimeoutS,
          `\`kubectl describe daemonset/${PREPULL_NAME} -n ${object.metadata.namespace}\` and its pods' events: pulls of ${nodeImage} and of the mesh's proxy image on the load nodes${
            loadNodeSelector
              ? `, and that nodes labelled ${Object.entries(loadNodeSelector)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(',')} exist`
              : ''
          }`,
        );
    } finally {
      for (const object of objects)
        await kubectl.attempt(
          [
            'delete',
            'daemonset',
            PREPULL_NAME,
            '-n',
            object.metadata.namespace!,
            '--ignore-not-found',
            '--wait=false',
          ],
          60_000,
        );
    }
  }

  private workloadPlan(
    namespace: string,
    build: BuildName,
    spec: BuildSpec,
    service: string | undefined,
    manifests?: KubeObject[],
  ): WorkloadPlan {
    if (manifests) {
      if (spec.kind !== 'image' && spec.kind !== 'sample')
        throw new UserError(
          `workload.builds.${build}: with workload.manifests, a build is an image (or omitted); ${spec.kind} builds run on platform local only`,
        );
      return manifestWorkload(manifests, {
        namespace,
        build,
        image: spec.kind === 'image' ? spec.image : undefined,
        service,
      });
    }
    const nodeSelector = this.options.workloadNodeSelector;
    switch (spec.kind) {
      case 'sample':
        return sampleWorkload({
          namespace,
          build,
          spec,
          nodeImage: this.options.nodeImage,
          bundleFiles: this.bundles,
          nodeSelector,
        });
      case 'image':
        return imageWorkload({ namespace, build, spec, nodeSelector });
      default:
        throw new UserError(
          `workload.builds.${build}: ${spec.kind} builds run on platform local only; on kind/kubernetes give an image or the sample`,
        );
    }
  }

  private async deployVariant(
    namespace: string,
    build: BuildName,
    spec: BuildSpec,
    mesh: MeshSpec,
    adapter: ClusterMesh,
    service: string | undefined,
    manifests?: KubeObject[],
    dataPlane?: VariantDataPlane,
  ): Promise<string> {
    const { kubectl } = this.options;
    const plan = this.workloadPlan(namespace, build, spec, service, manifests);
    if (dataPlane) plan.objects = withPodAnnotations(plan.objects, dataPlane.annotations);
    const generated = [
      namespaceObject(namespace, this.options.runId, adapter.enableNamespace(mesh)),
      bundleConfigMap(namespace, this.bundles),
    ];
    assertValidObjects([...generated, ...(manifests ? [] : plan.objects)]);
    this.namespaces.push(namespace);
    await kubectl.apply(generated, { hint: 'that the kubeconfig user may create namespaces and ConfigMaps' });
    const policies = adapter.mtls(namespace, mesh);
    if (policies.length > 0)
      await kubectl.apply(policies, { hint: `that the ${mesh.name} CRDs are installed` });
    // Before the workload, so that its proxies start with the filters already in place.
    if (dataPlane && dataPlane.objects.length > 0) {
      const scoped = scopeDataPlaneObjects(
        dataPlane.objects,
        adapter.dataPlaneRules?.manifestKinds ?? [],
        namespace,
        workloadPodLabels(plan),
      );
      this.options.log.info(
        `${namespace}: ${scoped.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')} for the workload's pods`,
      );
      await kubectl.apply(scoped, {
        hint: `the data-plane objects of ${mesh.id} (${scoped.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}) against the ${mesh.name} CRDs of the installed version`,
      });
    }
    await kubectl.apply(plan.objects, {
      hint: `the workload objects of ${build} (kubectl apply output above)`,
    });
    for (const resource of plan.rollouts)
      await kubectl.rolloutStatus(
        resource,
        namespace,
        this.options.rolloutTimeoutS,
        `\`kubectl describe ${resource} -n ${namespace}\` and its pods' events: image pulls (for kind, was the image loaded?), readiness probes, node resources${mesh.name === 'none' ? '' : `, ${mesh.name} proxy injection`}`,
      );
    return `http://${plan.service.name}.${namespace}.svc.cluster.local:${plan.service.port}`;
  }

  private variant(target: Target): VariantState {
    const state = this.variants.get(target.variantId);
    if (!state) throw new SetupError(`variant ${target.variantId} was not prepared on this cluster`);
    return state;
  }

  /**
   * One trial. A trial whose generators started too far apart (typically the first, while a node
   * still pulls images) is repeated, up to SKEW_REPEATS times; if every attempt is skewed, the
   * last one is kept with a warning rather than thrown away.
   */
  async runTrial(target: Target, job: LoadJob, signal: AbortSignal): Promise<LoadTrial> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await runGenerators(
          this.generatorSetup(target),
          { ...job, url: target.url },
          signal,
          (window) => {
            this.samplers.get(target.variantId)?.window(window);
            this.windowWatcher?.(target.variantId, window);
          },
        );
      } catch (error) {
        if (!(error instanceof GeneratorSkewError)) throw error;
        if (attempt >= SKEW_REPEATS) {
          this.options.log.warn(
            `${target.variantId}: ${error.message} in every attempt; keeping the last trial`,
          );
          return error.trial;
        }
        this.options.log.warn(`${target.variantId}: ${error.message}; repeating the trial`);
      }
    }
  }

  /** The generator Job a trial of `target` would apply (for the dry run's plan). */
  planTrial(target: Target, job: LoadJob): KubeObject {
    return generatorJobFor(this.generatorSetup(target), { ...job, url: target.url }).object;
  }

  private generatorSetup(target: Target): GeneratorSetup {
    const state = this.variant(target);
    return {
      kubectl: this.options.kubectl,
      log: this.options.log,
      runId: this.options.runId,
      namespace: state.namespace,
      generators: this.generators,
      nodeImage: this.options.nodeImage,
      bundleFiles: this.bundles,
      podMeta: state.adapter.clientPod(state.mesh),
      nodeSelector: this.options.loadNodeSelector,
      leadMs: this.options.generatorLeadMs,
    };
  }

  /** From now on, `watch` is told the measured window of every trial before it starts. */
  watchWindows(watch: (variantId: string, window: MeasuredWindow) => void): void {
    this.windowWatcher = watch;
  }

  /** `kubectl get pods -n namespace -o json`. */
  listPods(namespace: string): Promise<PodItems> {
    return this.options.kubectl.getJson<PodItems>(['pods', '-n', namespace], {
      hint: `pods in ${namespace}`,
    });
  }

  /** Where a variant's proxies run (undefined for mesh none: no proxy). */
  proxyOf(target: Target): { namespace: string; location: ProxyLocation } | undefined {
    const state = this.variant(target);
    const location = state.adapter.proxyContainerName(state.mesh);
    return location && { namespace: state.namespace, location };
  }

  /** The variant's proxies, and with them its mesh's control plane (controlPlane on the trial). */
  sampleResources(target: Target): ResourceSampler | undefined {
    const state = this.variant(target);
    const location = state.adapter.proxyContainerName(state.mesh);
    if (!location) return undefined;
    const sampler = startProxySampler(
      this.options.kubectl,
      this.options.log,
      state.namespace,
      location,
      this.options.usageSource,
    );
    this.samplers.set(target.variantId, sampler);
    const controlPlane = state.adapter.controlPlane;
    return controlPlane
      ? withControlPlane(
          sampler,
          startControlPlaneSampler(
            this.options.kubectl,
            this.options.log,
            controlPlane,
            this.options.usageSource,
          ),
        )
      : sampler;
  }

  async describe(): Promise<Partial<Environment>> {
    const version = await this.options.kubectl.attempt(['version', '-o', 'json'], 30_000);
    let kubernetesVersion: string | undefined;
    try {
      kubernetesVersion = (JSON.parse(version.stdout) as { serverVersion?: { gitVersion?: string } })
        .serverVersion?.gitVersion;
    } catch {
      kubernetesVersion = undefined;
    }
    const meshVersions: Record<string, string> = {};
    for (const [name, adapter] of this.meshes) {
      if (name === 'none') continue;
      meshVersions[name] = (await adapter.version(this.meshContext).catch(() => undefined)) ?? 'unknown';
    }
    return { kubernetesVersion, meshVersions };
  }

  /** Delete the run's namespaces and, when asked, the meshes this run installed. Never throws. */
  async cleanup(): Promise<void> {
    for (const namespace of this.namespaces.splice(0)) await this.options.kubectl.deleteNamespace(namespace);
    if (!this.options.uninstallMeshes) return;
    for (const adapter of this.meshes.values())
      await adapter
        .uninstall(this.meshContext)
        .catch((error: Error) => this.options.log.warn(`uninstalling ${adapter.name}: ${error.message}`));
  }
}
