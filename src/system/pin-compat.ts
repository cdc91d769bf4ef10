/**
 * Which versions of the pinned tools go together: each project's own statement of the Kubernetes
 * versions it supports, so that a bump of one pin that leaves another's range fails a test
 * instead of a run. Sources: kind's release notes (node images per release), Kubernetes' version
 * skew policy (kubectl within one minor of the API server), Istio's support table, Linkerd's
 * "Supported Kubernetes Versions" table (edge releases follow the stable line they lead to).
 */
import { KIND_NODE_IMAGE, TOOL_RELEASES } from './tool-versions.js';

type Minor = [number, number];
interface Range {
  min: Minor;
  max: Minor;
  source: string;
}

const minorOf = (version: string): Minor | undefined => {
  const match = /(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
};
const show = ([major, minor]: Minor) => `${major}.${minor}`;
const cmp = (a: Minor, b: Minor) => a[0] - b[0] || a[1] - b[1];

/** Kubernetes minors each kind release publishes node images for. */
const KIND_NODES: Record<string, Range> = {
  'v0.29.0': { min: [1, 28], max: [1, 33], source: 'kind v0.29.0 release notes' },
};

/** Kubernetes minors each Istio minor supports. */
const ISTIO: Record<string, Range> = {
  '1.26': { min: [1, 29], max: [1, 33], source: 'istio.io support status' },
  '1.27': { min: [1, 29], max: [1, 33], source: 'istio.io support status' },
  '1.28': { min: [1, 30], max: [1, 34], source: 'istio.io support status' },
};

/** Linkerd: edge releases by the stable line they lead to (edge YY.M), Kubernetes minors. */
const LINKERD: { fromEdge: Minor; line: string; range: Range }[] = [
  { fromEdge: [25, 4], line: '2.18', range: { min: [1, 22], max: [1, 32], source: 'linkerd.io k8s-versions (2.18)' } },
  { fromEdge: [25, 10], line: '2.19', range: { min: [1, 29], max: [1, 34], source: 'linkerd.io k8s-versions (2.19)' } },
];

export interface Pins {
  kind: string;
  nodeImage: string;
  kubectl: string;
  istioctl: string;
  linkerd: string;
}

export const CURRENT_PINS: Pins = {
  kind: TOOL_RELEASES.kind.version,
  nodeImage: KIND_NODE_IMAGE,
  kubectl: TOOL_RELEASES.kubectl.version,
  istioctl: TOOL_RELEASES.istioctl.version,
  linkerd: TOOL_RELEASES.linkerd.version,
};

function linkerdRange(version: string): Range | undefined {
  const edge = /^edge-(\d+)\.(\d+)\./.exec(version);
  if (!edge) return undefined;
  const at: Minor = [Number(edge[1]), Number(edge[2])];
  return [...LINKERD].reverse().find((entry) => cmp(at, entry.fromEdge) >= 0)?.range;
}

/** Every disagreement between the pins, as sentences; empty when they go together. */
export function pinConflicts(pins: Pins): string[] {
  const problems: string[] = [];
  const node = minorOf(/:v(\d+\.\d+)/.exec(pins.nodeImage)?.[1] ?? '');
  if (!node) return [`node image ${pins.nodeImage} names no Kubernetes version`];
  const check = (what: string, range: Range | undefined) => {
    if (!range) problems.push(`${what}: no supported-range entry; add it to src/system/pin-compat.ts`);
    else if (cmp(node, range.min) < 0 || cmp(node, range.max) > 0)
      problems.push(
        `${what} supports Kubernetes ${show(range.min)}–${show(range.max)} (${range.source}), but the node image is ${show(node)}`,
      );
  };
  check(`kind ${pins.kind}`, KIND_NODES[pins.kind]);
  const istio = minorOf(pins.istioctl);
  check(`Istio ${pins.istioctl}`, istio && ISTIO[show(istio)]);
  check(`Linkerd ${pins.linkerd}`, linkerdRange(pins.linkerd));
  const kubectl = minorOf(pins.kubectl);
  if (!kubectl || Math.abs(kubectl[1] - node[1]) > 1 || kubectl[0] !== node[0])
    problems.push(`kubectl ${pins.kubectl} is more than one minor from the node image's Kubernetes ${show(node)} (version skew policy)`);
  return problems;
}
