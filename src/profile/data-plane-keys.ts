/**
 * Which data-plane keys a mesh entry may carry, directly or in builds.base / builds.head:
 * local proxies take their own config files (config, include, global_include); cluster meshes
 * take per-namespace manifests (the kinds their adapter lists: Istio's EnvoyFilter and
 * WasmPlugin) and proxy annotations, and, on the entry only, a mesh-wide install file.
 * The lists of names and which keys apply come from the catalog of descriptors.
 */
import { LOCAL_PROXIES, clusterMeshDescriptor, isLocalProxy } from '../platform/catalog/index.js';

export const LOCAL_DATA_PLANE_KEYS = ['config', 'include', 'global_include'] as const;
export const CLUSTER_DATA_PLANE_KEYS = ['manifests', 'proxy_annotations'] as const;

/** "a, b and c" */
const listed = (names: readonly string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** Why `keys` (present in one data-plane build of mesh `name`) do not apply, or undefined. */
export function dataPlaneKeysProblem(
  name: string,
  keys: readonly string[],
  localProxies: readonly string[],
  clusterMeshes: readonly string[],
): string | undefined {
  if (keys.length === 0) return undefined;
  if (name === 'none') return `${listed(keys)}: none has no data plane to configure`;
  const local = keys.filter((key) => (LOCAL_DATA_PLANE_KEYS as readonly string[]).includes(key));
  const cluster = keys.filter((key) => (CLUSTER_DATA_PLANE_KEYS as readonly string[]).includes(key));
  if (isLocalProxy(name) && cluster.length > 0)
    return `${listed(cluster)} applies to the cluster meshes (${listed(clusterMeshes)}) only; ${name} takes ${listed(LOCAL_PROXIES[name].dataPlaneKeys)}`;
  const mesh = clusterMeshDescriptor(name);
  if (!mesh) return undefined;
  if (local.length > 0)
    return `${listed(local)} applies to ${listed(localProxies)} only; on a cluster, ${name} takes ${listed(CLUSTER_DATA_PLANE_KEYS)}`;
  if (!mesh.dataPlane) return `${listed(cluster)}: ${name} has no data plane to configure`;
  if (cluster.includes('manifests') && !mesh.dataPlane.manifests)
    return `manifests: ${name} has no per-namespace data-plane objects; configure its proxy with proxy_annotations`;
  return undefined;
}
