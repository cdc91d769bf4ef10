/**
 * Descriptors: what the profile layer (and the doors' lists of names) needs to know about each
 * platform, cluster mesh and local proxy, as plain data. A descriptor imports nothing but types
 * from errors/util/system, so that parsing a profile loads no implementation; the registries of
 * implementations (platform/registry.ts, cluster/meshes/registry.ts, local/proxies/registry.ts)
 * are keyed by these names, so a descriptor without an implementation, or the reverse, does not
 * compile.
 */
import type { ToolName } from '../../system/tool-versions.js';

/** A range of Kubernetes minors ([major, minor]) a release supports, and who says so. */
export interface KubernetesRange {
  readonly min: readonly [number, number];
  readonly max: readonly [number, number];
  readonly source: string;
}

export interface PlatformDescriptor {
  readonly name: string;
  /** Runs the variants on a Kubernetes cluster (cluster meshes) rather than as local processes. */
  readonly cluster: boolean;
}

/** A data-plane mode a mesh offers. The first of a mesh's modes is its default. */
export interface MeshModeDescriptor {
  readonly name: string;
  /** What choosing it means, for readers of the catalog. */
  readonly meaning: string;
}

/** A service mesh's code in the Service Mesh Performance spec (ServiceMesh.Type). */
export interface SmpMeshType {
  readonly code: number;
  readonly type: string;
}

export interface ClusterMeshDescriptor {
  readonly name: string;
  /** Data-plane modes a profile may choose (the first is the default); undefined: no modes. */
  readonly modes?: readonly MeshModeDescriptor[];
  /**
   * The CLI this mesh installs itself with, besides kubectl (undefined: none). A profile's
   * `version` for this mesh pins this tool's version.
   */
  readonly cli?: ToolName;
  /**
   * With a CLI: the product's name in messages, and the Kubernetes minors a version of that CLI
   * (the control plane it installs) supports, by the project's own statement — undefined when
   * the version is not known here (pin-compat.ts fails on that, so a bump adds its range).
   */
  readonly product?: string;
  readonly kubernetes?: (version: string) => KubernetesRange | undefined;
  /** Its SMP mesh type, when an SMP file naming it may be imported (profile/smp.ts). */
  readonly smp?: SmpMeshType;
  /**
   * Which data-plane keys apply (undefined: none, there is no data plane to configure). Every
   * cluster mesh with a data plane takes proxy_annotations and, on the entry, install_values;
   * `manifests`: it has per-namespace data-plane objects (the implementation's manifest kinds).
   */
  readonly dataPlane?: { readonly manifests: boolean };
}

/** The keys by which a mesh entry gives a local proxy its own configuration files. */
export type LocalDataPlaneKey = 'config' | 'include' | 'global_include';

export interface LocalProxyDescriptor {
  readonly name: string;
  /** The program meshgate looks for on PATH (a profile's `binary` replaces it). */
  readonly binary: string;
  /**
   * Its data-plane keys: a full config, fragments in the server (`include`) and in the global
   * section (`global_include`), which user-config.ts writes into its config. Every proxy so far
   * takes all three; the profile names them in its messages. A proxy taking fewer would also
   * need the profile to refuse the others (data-plane-keys.ts), with a test.
   */
  readonly dataPlaneKeys: readonly LocalDataPlaneKey[];
}
