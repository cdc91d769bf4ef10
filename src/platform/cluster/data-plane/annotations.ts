/**
 * A data-plane build's proxy annotations, checked against the mesh version's table before
 * anything starts: every name must be one this version's injector reads (an unknown one would
 * be ignored silently and head would measure the same as base), not one meshgate sets itself or
 * one that takes traffic past the proxy, and values must have the shape the injector parses.
 */
import { parse } from 'yaml';
import type { ClusterDataPlaneRules, KubeObjectLike } from './types.js';

/** A Kubernetes quantity as resource.ParseQuantity accepts it: 100m, 0.5, 64Mi, 1e3. */
const QUANTITY = /^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[numkMGTPE]|[KMGTPE]i|[eE][-+]?\d+)?$/;

/** Problems as "name: message", naming the mesh and version whose rules were applied. */
export function annotationProblems(
  annotations: Readonly<Record<string, string>>,
  rules: ClusterDataPlaneRules,
  mesh: string,
  version: string,
): string[] {
  const known = new Map(rules.annotations(version).map((a) => [a.name, a] as const));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(annotations)) {
    const reserved = Object.entries(rules.reserved).find(([key]) => (key.endsWith('/') ? name.startsWith(key) : name === key));
    if (reserved) {
      problems.push(`${name}: not allowed in a data-plane build: ${reserved[1]}`);
      continue;
    }
    const rule = known.get(name);
    if (!rule) {
      const ours = rules.annotationPrefixes.some((prefix) => name.startsWith(prefix));
      problems.push(
        ours
          ? `${name}: ${mesh} ${version} does not read this annotation (it would be ignored, and head would run base's proxy)`
          : `${name}: not a proxy annotation of ${mesh} (expected a name under ${rules.annotationPrefixes.join(', ')})`,
      );
      continue;
    }
    if (typeof value !== 'string') {
      problems.push(`${name}: annotation values are strings; quote it: "${String(value)}"`);
      continue;
    }
    if (rule.value === 'quantity' && !QUANTITY.test(value))
      problems.push(`${name}: "${value}" is not a Kubernetes quantity (like 500m, 2, 64Mi)`);
    if (rule.value === 'yaml') {
      try {
        parse(value);
      } catch (error) {
        problems.push(`${name}: not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  return problems;
}

/** `objects` with `annotations` added to every pod template (Deployments, StatefulSets …). */
export function withPodAnnotations<T extends KubeObjectLike>(objects: readonly T[], annotations: Readonly<Record<string, string>>): T[] {
  if (Object.keys(annotations).length === 0) return [...objects];
  return objects.map((object) => {
    const template = (object.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template;
    if (!template) return object;
    const copy = structuredClone(object);
    const copiedTemplate = (copy.spec as { template: { metadata?: { annotations?: Record<string, string> } } }).template;
    copiedTemplate.metadata = { ...copiedTemplate.metadata, annotations: { ...copiedTemplate.metadata?.annotations, ...annotations } };
    return copy;
  });
}
