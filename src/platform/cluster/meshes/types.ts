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

export interface ClusterMesh {
  readonly name: string;
  /**
   * The CLI this mesh installs itself with, besides kubectl (undefined: none). A profile's
   * `version` for this mesh pins this tool's version.
   */
  readonly cli?: ToolName;
  /** Data-plane modes the profile may choose (the first is the default); undefined: no modes. */
  readonly modes?: readonly string[];
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
  /** Remove what install() created (nothing when an existing install was reused). */
  uninstall(ctx: ClusterMeshContext): Promise<void>;
}

export const emptyMeta = (): ObjectMeta => ({ labels: {}, annotations: {} });

/** First version-looking token of a tool's output ("client version: 1.27.1" → 1.27.1). */
export function firstVersion(text: string): string | undefined {
  return /\b(?:edge-|stable-)?v?\d+\.\d+\.\d+[\w.-]*/.exec(text)?.[0];
}
