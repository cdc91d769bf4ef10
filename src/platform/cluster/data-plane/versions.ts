/**
 * Comparing mesh versions, for the tables of which version reads which annotation or CRD field.
 * Istio: 1.MINOR.PATCH. Linkerd: edge-YY.M.N, and the stable names (stable-2.19.x, 2.19,
 * version-2.19, enterprise-2.19.x) mapped to the edge release each stable line was cut from
 * (the tags version-2.N and edge-… point at the same commit in linkerd/linkerd2).
 */

/** Istio's minor version (27 for 1.27.1), undefined when `version` does not look like one. */
export function istioMinor(version: string): number | undefined {
  const match = /^v?1\.(\d+)(?:\.|$)/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

const STABLE_TO_EDGE: Record<number, string> = {
  16: 'edge-24.8.2',
  17: 'edge-24.11.8',
  18: 'edge-25.4.4',
  19: 'edge-25.10.7',
};

const edgeOrdinal = (year: number, month: number, build: number) => year * 10_000 + month * 100 + build;

/**
 * A Linkerd version as a comparable number (edge-25.10.2 → 251002), undefined when unknown.
 * A stable line newer than the table maps to undefined, so that callers fall back to the pinned
 * version instead of guessing.
 */
export function linkerdOrdinal(version: string): number | undefined {
  const edge = /^edge-(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (edge) return edgeOrdinal(Number(edge[1]), Number(edge[2]), Number(edge[3]));
  const stable = /^(?:stable-|enterprise-|version-)?v?2\.(\d+)(?:\.|$)/.exec(version.trim());
  const mapped = stable ? STABLE_TO_EDGE[Number(stable[1])] : undefined;
  return mapped ? linkerdOrdinal(mapped) : undefined;
}

/** "edge-25.10.2" as the ordinal linkerdOrdinal gives it. */
export const linkerdEdge = (name: string): number => linkerdOrdinal(name)!;
