/**
 * A service mesh on a Kubernetes cluster (kind or an existing one). One adapter per mesh
 * (none.ts, istio.ts, linkerd.ts); adding Cilium or Kuma is one more file plus a line in
 * registry.ts.
 */
import type { Kubectl, KubeObject } from '../../../system/kubectl.js';
import type { ToolName } from '../../../system/tool-versions.js';
import type { ToolPaths } from '../../../system/tools.js';
import type { MeshSpec } from '../../../profile/types.js';
import type { Logger } from '../../../util/log.js';

export interface ClusterMeshContext {
  kubectl: Kubectl;
  tools: ToolPaths;
  log: Logger;
  /**
   * Called when an adapter is about to install its control plane (not when it reuses one), so
   * that the action's post step can uninstall it should the main step die.
   */
  onInstalling?: (mesh: string) => void;
}

/** Labels and annotations for a namespace or a pod template. */
export interface ObjectMeta {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Where a variant's proxies run, for cAdvisor (container name as the kubelet reports it). */
export interface ProxyLocation {
  container: string;
  /** Namespace of the proxy pods; undefined = the variant's own namespace (sidecars). */
  namespace?: string;
  /** Only pods whose name starts with this (node proxies such as ztunnel). */
  podPrefix?: string;
  /** For reports, e.g. "istio-proxy sidecars". */
  description: string;
}

/** One control-plane component: its pods, by name prefix, in the mesh's namespace. */
export interface ControlPlaneComponent {
  name: string;
  podPrefix: string;
}

/** Where a mesh's control plane runs, for per-trial CPU and memory (control-plane.ts). */
export interface ControlPlane {
  namespace: string;
  components: readonly ControlPlaneComponent[];
}

/** A kind of per-namespace object a data-plane build may carry, and how meshgate scopes it. */
export interface ManifestKind {
  apiVersion: string;
  kind: string;
  /**
   * The spec field meshgate sets to the workload's pod labels (EnvoyFilter: workloadSelector
   * with `labels`; WasmPlugin: selector with `matchLabels`), and the fields that would compete
   * with it and so must not be in the user's file.
   */
  selector: { field: string; labelsKey: string; competing: readonly string[] };
  /** Problems of `spec` as the API server (the CRD's schema at `version`) would report them. */
  specProblems(spec: unknown, version: string): string[];
}

/** One proxy annotation a mesh version reads on a pod. */
export interface ProxyAnnotation {
  name: string;
  /** How the value is checked: a Kubernetes quantity, a YAML/JSON document, or free text. */
  value: 'quantity' | 'yaml' | 'text';
}

/**
 * What a data-plane build of this mesh may carry on a cluster: per-namespace manifests of the
 * given kinds and proxy annotations on the workload's pods (both live side by side, one variant
 * per namespace), and a mesh-wide install file (one per cluster, so compared across jobs).
 */
export interface ClusterDataPlaneRules {
  manifestKinds: readonly ManifestKind[];
  /** Annotation name prefixes this mesh's proxies read (a name under them must be known). */
  annotationPrefixes: readonly string[];
  /** Proxy annotations `version` reads, that a build may set. */
  annotations(version: string): readonly ProxyAnnotation[];
  /** Annotations under the prefixes that meshgate sets itself or that would bypass the proxy: why. */
  reserved: Readonly<Record<string, string>>;
  /** Problems of a mesh-wide install file's parsed document, as "field: message". */
  installValuesProblems(document: unknown, version: string): string[];
}

export interface ClusterMesh {
  readonly name: string;
  /**
   * The CLI this mesh installs itself with, besides kubectl (undefined: none). A profile's
   * `version` for this mesh pins this tool's version.
   */
  readonly cli?: ToolName;
  /** Data-plane modes the profile may choose (the first is the default); undefined: no modes. */
  readonly modes?: readonly string[];
  /** What a data-plane build may carry (undefined: none, as for `none`). */
  readonly dataPlaneRules?: ClusterDataPlaneRules;
  /** Control-plane pods to sample per trial (undefined: none). */
  readonly controlPlane?: ControlPlane;
  /** Install the control plane for all of `specs` (same mesh name), or reuse one already there. */
  install(specs: MeshSpec[], ctx: ClusterMeshContext): Promise<void>;
  /** Namespace metadata that puts its pods into the mesh. */
  enableNamespace(spec: MeshSpec): ObjectMeta;
  /** Objects that enforce mutual TLS in `namespace` (applied after the namespace exists). */
  mtls(namespace: string, spec: MeshSpec): KubeObject[];
  /**
   * Pod metadata for load generators running in a variant's namespace: outside the mesh, unless
   * the variant enforces mTLS (a plaintext client would be refused), in which case they join it
   * with a native sidecar so that their Job can complete.
   */
  clientPod(spec: MeshSpec): ObjectMeta;
  /** Installed control-plane version (undefined for none). */
  version(ctx: ClusterMeshContext): Promise<string | undefined>;
  proxyContainerName(spec: MeshSpec): ProxyLocation | undefined;
  /**
   * Remove what install() created (nothing when an existing install was reused). `force`: the
   * caller knows this run installed it (the post step, from saved state, with a fresh adapter).
   */
  uninstall(ctx: ClusterMeshContext, force?: boolean): Promise<void>;
}

export const emptyMeta = (): ObjectMeta => ({ labels: {}, annotations: {} });

/** First version-looking token of a tool's output ("client version: 1.27.1" → 1.27.1). */
export function firstVersion(text: string): string | undefined {
  return /\b(?:edge-|stable-)?v?\d+\.\d+\.\d+[\w.-]*/.exec(text)?.[0];
}
