/**
 * The kubelet's cAdvisor metrics (Prometheus text format, read through the API server at
 * /api/v1/nodes/<node>/proxy/metrics/cadvisor) reduced to the CPU and memory of proxy containers.
 * Pure functions: a text parser, a filter, and the arithmetic from two scrapes to ResourceUse.
 */
import type { ResourceUse } from '../../results/schema.js';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(block: string): Record<string, string> | undefined {
  const inner = block.slice(1, -1).trim();
  const labels: Record<string, string> = {};
  LABEL_PAIR.lastIndex = 0;
  let consumed = 0;
  for (let match = LABEL_PAIR.exec(inner); match; match = LABEL_PAIR.exec(inner)) {
    labels[match[1]] = unescape(match[2]);
    consumed = LABEL_PAIR.lastIndex;
  }
  return consumed === inner.length ? labels : undefined;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Every sample of a Prometheus text exposition; comments and malformed lines are skipped. */
export function parsePrometheusText(text: string, onlyNames?: ReadonlySet<string>): PromSample[] {
  const samples: PromSample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match || (onlyNames && !onlyNames.has(match[1]))) continue;
    const labels = match[2] ? parseLabels(match[2]) : {};
    if (!labels) continue;
    const sample: PromSample = { name: match[1], labels, value: parseValue(match[3]) };
    if (match[4] !== undefined) sample.timestampMs = Number(match[4]);
    samples.push(sample);
  }
  return samples;
}

export const CPU_METRIC = 'container_cpu_usage_seconds_total';
export const MEMORY_METRIC = 'container_memory_working_set_bytes';

export interface ContainerFilter {
  container: string;
  namespace: string;
  /** Only pods whose name starts with this. */
  podPrefix?: string;
  /** Leave out pods whose name starts with this (the load generators' pods: not the workload's). */
  excludePodPrefix?: string;
}

/** Summed CPU seconds and working-set bytes of the matching containers in one scrape. */
export interface ContainerUsage {
  cpuSeconds: number;
  memoryBytes: number;
  containers: number;
  /** Latest cAdvisor timestamp seen (ms), when the scrape carries timestamps. */
  timestampMs?: number;
  /** CPU seconds per series (namespace/pod/container/cgroup id), for per-series differences. */
  cpuBySeries: Record<string, number>;
}

const seriesKey = (labels: Record<string, string>) =>
  [labels.namespace, labels.pod, labels.container, labels.id ?? ''].join('/');

export function containerUsage(samples: readonly PromSample[], filter: ContainerFilter): ContainerUsage {
  const usage: ContainerUsage = { cpuSeconds: 0, memoryBytes: 0, containers: 0, cpuBySeries: {} };
  const matches = (sample: PromSample) =>
    sample.labels.container === filter.container &&
    sample.labels.namespace === filter.namespace &&
    (!filter.podPrefix || (sample.labels.pod ?? '').startsWith(filter.podPrefix)) &&
    !(filter.excludePodPrefix && (sample.labels.pod ?? '').startsWith(filter.excludePodPrefix));
  for (const sample of samples) {
    if (!matches(sample)) continue;
    if (sample.name === CPU_METRIC) {
      usage.cpuSeconds += sample.value;
      usage.cpuBySeries[seriesKey(sample.labels)] = sample.value;
      usage.containers++;
      if (sample.timestampMs !== undefined)
        usage.timestampMs = Math.max(usage.timestampMs ?? 0, sample.timestampMs);
    } else if (sample.name === MEMORY_METRIC) {
      usage.memoryBytes += sample.value;
    }
  }
  return usage;
}

/** Add usages of several nodes' scrapes. */
export function sumUsage(usages: readonly ContainerUsage[]): ContainerUsage {
  const total: ContainerUsage = { cpuSeconds: 0, memoryBytes: 0, containers: 0, cpuBySeries: {} };
  for (const usage of usages) {
    total.cpuSeconds += usage.cpuSeconds;
    Object.assign(total.cpuBySeries, usage.cpuBySeries);
    total.memoryBytes += usage.memoryBytes;
    total.containers += usage.containers;
    if (usage.timestampMs !== undefined)
      total.timestampMs = Math.max(total.timestampMs ?? 0, usage.timestampMs);
  }
  return total;
}

const MIB = 1024 * 1024;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * ResourceUse between two scrapes. The interval is taken from cAdvisor's timestamps when both
 * scrapes carry them (they say when the counters were read), else from the wall clock.
 * CPU is differenced per series: a container present in both scrapes counts its increase (none
 * when its counter went down), one that appeared in between (a restarted container has a new
 * cgroup id) counts all of its counter, one that disappeared counts nothing. Totals differenced
 * across scrapes would mix different sets of containers.
 */
export function usageBetween(
  first: ContainerUsage & { wallMs: number },
  second: ContainerUsage & { wallMs: number },
  requests: number,
  source: string,
): ResourceUse {
  const stamped =
    first.timestampMs !== undefined &&
    second.timestampMs !== undefined &&
    second.timestampMs > first.timestampMs;
  const intervalS =
    ((stamped ? second.timestampMs! - first.timestampMs! : second.wallMs - first.wallMs) || 1) / 1000;
  let cpuSeconds = 0;
  for (const [key, value] of Object.entries(second.cpuBySeries)) {
    const before = first.cpuBySeries[key];
    cpuSeconds += before === undefined ? value : Math.max(0, value - before);
  }
  return {
    cpuMillicores: round3((cpuSeconds / intervalS) * 1000),
    cpuMsPer1kRequests: requests > 0 ? round3((cpuSeconds * 1000) / (requests / 1000)) : 0,
    memoryMibMean: round3((first.memoryBytes + second.memoryBytes) / 2 / MIB),
    memoryMibPeak: round3(Math.max(first.memoryBytes, second.memoryBytes) / MIB),
    source,
  };
}

/** Pods of one control-plane component: every pod in `namespace` whose name starts with `podPrefix`. */
export interface PodGroupFilter {
  namespace: string;
  podPrefix: string;
}

/**
 * Summed CPU seconds and working-set bytes of every container of the matching pods (their
 * meshes' own proxies included: a control plane's sidecar is part of its cost). The pod-level
 * series (container="") and the pause container ("POD") would count the same CPU twice.
 */
export function podGroupUsage(samples: readonly PromSample[], filter: PodGroupFilter): ContainerUsage & { pods: number } {
  const usage: ContainerUsage = { cpuSeconds: 0, memoryBytes: 0, containers: 0, cpuBySeries: {} };
  const pods = new Set<string>();
  for (const sample of samples) {
    const { container, namespace, pod } = sample.labels;
    if (!container || container === 'POD' || namespace !== filter.namespace || !(pod ?? '').startsWith(filter.podPrefix)) continue;
    if (sample.name === CPU_METRIC) {
      usage.cpuSeconds += sample.value;
      usage.cpuBySeries[seriesKey(sample.labels)] = sample.value;
      usage.containers++;
      pods.add(pod!);
      if (sample.timestampMs !== undefined) usage.timestampMs = Math.max(usage.timestampMs ?? 0, sample.timestampMs);
    } else if (sample.name === MEMORY_METRIC) {
      usage.memoryBytes += sample.value;
    }
  }
  return { ...usage, pods: pods.size };
}
