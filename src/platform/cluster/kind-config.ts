/**
 * The generated kind cluster configuration: one control plane, workers labelled for the
 * workload, and a worker labelled for load generators so that load never shares a node with the
 * system under test. Every node runs the same node image, pinned by digest.
 */
import { stringify } from 'yaml';
import { NODE_ROLE_LABEL } from './workload/objects.js';
import { KIND_NODE_IMAGE } from '../../system/tool-versions.js';

export interface KindConfigOptions {
  name: string;
  nodeImage?: string;
  /** Workers for the workload (default 1). */
  workloadWorkers?: number;
  /** Workers for load generators (default 1). */
  loadWorkers?: number;
}

export interface KindNode {
  role: 'control-plane' | 'worker';
  image: string;
  labels?: Record<string, string>;
}

export interface KindConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  nodes: KindNode[];
}

export const WORKLOAD_SELECTOR = { [NODE_ROLE_LABEL]: 'workload' };
export const LOAD_SELECTOR = { [NODE_ROLE_LABEL]: 'load' };

export function kindConfig(options: KindConfigOptions): KindConfig {
  const image = options.nodeImage ?? KIND_NODE_IMAGE;
  const workers = (count: number, labels: Record<string, string>): KindNode[] =>
    Array.from({ length: count }, () => ({ role: 'worker' as const, image, labels: { ...labels } }));
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: options.name,
    nodes: [
      { role: 'control-plane', image },
      ...workers(options.workloadWorkers ?? 1, WORKLOAD_SELECTOR),
      ...workers(options.loadWorkers ?? 1, LOAD_SELECTOR),
    ],
  };
}

export function kindConfigYaml(config: KindConfig): string {
  return stringify(config);
}
