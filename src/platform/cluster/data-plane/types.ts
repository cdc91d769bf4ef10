/** Types the data-plane checks share (the rules themselves live on each mesh, meshes/types.ts). */
export type { ClusterDataPlaneRules, ManifestKind, ProxyAnnotation } from '../meshes/types.js';

/** An object with a spec, as the workload plan holds them. */
export type KubeObjectLike = Record<string, unknown> & { spec?: unknown };
