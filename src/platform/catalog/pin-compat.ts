/**
 * Which versions of the pinned tools go together: each project's own statement of the Kubernetes
 * versions it supports, so that a bump of one pin that leaves another's range fails a test
 * instead of a run. Sources: kind's release notes (node images per release), Kubernetes' version
 * skew policy (kubectl within one minor of the API server), and for each mesh with its own CLI
 * the range in its descriptor (meshes/*.ts: Istio's support table, Linkerd's "Supported
 * Kubernetes Versions").
 */
import { KIND_NODE_IMAGE, TOOL_RELEASES, type ToolName } from '../../system/tool-versions.js';
import { CLUSTER_MESHES } from './index.js';
import type { ClusterMeshDescriptor, KubernetesRange } from './types.js';

type Minor = readonly [number, number];

const minorOf = (version: string): Minor | undefined => {
  const match = /(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
};
const show = ([major, minor]: Minor) => `${major}.${minor}`;
const cmp = (a: Minor, b: Minor) => a[0] - b[0] || a[1] - b[1];

/** Kubernetes minors each kind release publishes node images for. */
const KIND_NODES: Record<string, KubernetesRange> = {
  'v0.29.0': { min: [1, 28], max: [1, 33], source: 'kind v0.29.0 release notes' },
};

/** The meshes that install themselves with a CLI of their own, and so pin a version of it. */
const MESH_CLIS = (Object.values(CLUSTER_MESHES) as ClusterMeshDescriptor[]).filter(
  (mesh): mesh is ClusterMeshDescriptor & { cli: ToolName } => mesh.cli !== undefined,
);

/** kind, its node image and kubectl, and each mesh CLI's version by tool name. */
export type Pins = { kind: string; nodeImage: string; kubectl: string } & Partial<Record<ToolName, string>>;

export const CURRENT_PINS: Pins = {
  kind: TOOL_RELEASES.kind.version,
  nodeImage: KIND_NODE_IMAGE,
  kubectl: TOOL_RELEASES.kubectl.version,
  ...Object.fromEntries(MESH_CLIS.map((mesh) => [mesh.cli, TOOL_RELEASES[mesh.cli].version])),
};

/** Every disagreement between the pins, as sentences; empty when they go together. */
export function pinConflicts(pins: Pins): string[] {
  const problems: string[] = [];
  const node = minorOf(/:v(\d+\.\d+)/.exec(pins.nodeImage)?.[1] ?? '');
  if (!node) return [`node image ${pins.nodeImage} names no Kubernetes version`];
  const check = (what: string, range: KubernetesRange | undefined, where: string) => {
    if (!range) problems.push(`${what}: no supported-range entry; add it to ${where}`);
    else if (cmp(node, range.min) < 0 || cmp(node, range.max) > 0)
      problems.push(
        `${what} supports Kubernetes ${show(range.min)}–${show(range.max)} (${range.source}), but the node image is ${show(node)}`,
      );
  };
  check(`kind ${pins.kind}`, KIND_NODES[pins.kind], 'src/platform/catalog/pin-compat.ts');
  for (const mesh of MESH_CLIS) {
    const version = pins[mesh.cli] ?? TOOL_RELEASES[mesh.cli].version;
    check(
      `${mesh.product ?? mesh.name} ${version}`,
      mesh.kubernetes?.(version),
      `the ${mesh.name} descriptor (src/platform/catalog/meshes/${mesh.name}.ts)`,
    );
  }
  const kubectl = minorOf(pins.kubectl);
  if (!kubectl || Math.abs(kubectl[1] - node[1]) > 1 || kubectl[0] !== node[0])
    problems.push(
      `kubectl ${pins.kubectl} is more than one minor from the node image's Kubernetes ${show(node)} (version skew policy)`,
    );
  return problems;
}
