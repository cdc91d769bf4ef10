/**
 * Every platform, cluster mesh and local proxy meshgate knows, by name: adding one is its
 * descriptor file and one line here, plus its implementation and its line in the registry of
 * implementations (which the compiler holds to these names).
 */
import { ISTIO } from './meshes/istio.js';
import { LINKERD } from './meshes/linkerd.js';
import { NONE } from './meshes/none.js';
import { KIND, KUBERNETES, LOCAL } from './platforms.js';
import { ENVOY } from './proxies/envoy.js';
import { HAPROXY } from './proxies/haproxy.js';
import { NGINX } from './proxies/nginx.js';
import type { ClusterMeshDescriptor, LocalProxyDescriptor, PlatformDescriptor } from './types.js';

export type * from './types.js';

export const PLATFORMS = { local: LOCAL, kind: KIND, kubernetes: KUBERNETES } as const satisfies Record<
  string,
  PlatformDescriptor
>;
export const CLUSTER_MESHES = { none: NONE, istio: ISTIO, linkerd: LINKERD } as const satisfies Record<
  string,
  ClusterMeshDescriptor
>;
export const LOCAL_PROXIES = { nginx: NGINX, haproxy: HAPROXY, envoy: ENVOY } as const satisfies Record<
  string,
  LocalProxyDescriptor
>;

export type PlatformName = keyof typeof PLATFORMS;
export type ClusterMeshName = keyof typeof CLUSTER_MESHES;
export type LocalProxyName = keyof typeof LOCAL_PROXIES;

export const PLATFORM_NAMES = Object.keys(PLATFORMS) as PlatformName[];
export const CLUSTER_MESH_NAMES = Object.keys(CLUSTER_MESHES) as ClusterMeshName[];
export const LOCAL_PROXY_NAMES = Object.keys(LOCAL_PROXIES) as LocalProxyName[];

export function isPlatformName(name: string): name is PlatformName {
  return Object.hasOwn(PLATFORMS, name);
}
export function isClusterMesh(name: string): name is ClusterMeshName {
  return Object.hasOwn(CLUSTER_MESHES, name);
}
export function isLocalProxy(name: string): name is LocalProxyName {
  return Object.hasOwn(LOCAL_PROXIES, name);
}

/** The descriptor of a cluster mesh, or undefined when `name` is none of them. */
export function clusterMeshDescriptor(name: string): ClusterMeshDescriptor | undefined {
  return isClusterMesh(name) ? CLUSTER_MESHES[name] : undefined;
}

/** Names of the modes of a cluster mesh (the first is the default); undefined: it has none. */
export function clusterMeshModes(name: string): readonly string[] | undefined {
  return clusterMeshDescriptor(name)?.modes?.map((mode) => mode.name);
}

/** Every mode any mesh offers, in catalog order, each once (the profile's `mode` values). */
export const MESH_MODE_NAMES: readonly string[] = [
  ...new Set(
    Object.values(CLUSTER_MESHES).flatMap((mesh: ClusterMeshDescriptor) =>
      (mesh.modes ?? []).map((m) => m.name),
    ),
  ),
];

/** Every mode name of every mesh, as a type (MeshSpec.mode). */
export type MeshModeName = NonNullable<
  (typeof CLUSTER_MESHES)[ClusterMeshName] extends infer M
    ? M extends { modes: readonly { name: infer N }[] }
      ? N
      : never
    : never
>;

/** A mode other than its mesh's default names the variant (istio-ambient); the default, nothing. */
export function modeSuffix(mesh: string, mode: string | undefined): string {
  return mode !== undefined && mode !== clusterMeshModes(mesh)?.[0] ? mode : '';
}
