/**
 * The normalised profile: every default filled in, durations in ms or s and fractions as numbers,
 * names carrying their units. This is what the pipeline uses and what results.json embeds.
 * The YAML form users write is in schema.ts.
 */
import type { Protocol, RequestSpec } from '../load/types.js';
import type { ClusterMeshName } from '../platform/cluster/meshes/registry.js';
import type { LocalProxyName } from '../platform/local/proxies/registry.js';
import type { PlatformName } from '../platform/registry.js';

export type { PlatformName };

/** One build of the workload. Exactly one source. */
export type BuildSpec =
  | { kind: 'sample'; sample: 'echo'; delayMs: number; jitterMs: number; responseBytes: number }
  | { kind: 'command'; command: string[]; env: Record<string, string>; readyPath: string }
  | { kind: 'url'; url: string }
  | { kind: 'image'; image: string; port: number };

/** Names come from the registries of cluster meshes and local proxies. */
export type MeshName = ClusterMeshName | LocalProxyName;

export interface MeshSpec {
  /** Variant label: the name, plus the mode when it is not the default (istio-ambient). */
  id: string;
  name: MeshName;
  /** istio: sidecar | ambient. */
  mode?: 'sidecar' | 'ambient';
  /** Mutual TLS between hops (istio/linkerd: enforced policy; local proxies: per-run certificates). */
  mtls: boolean;
  /** TLS without client certificates between the hops (local proxies). */
  tls: boolean;
  /** Proxy worker count (SMP's proxy_concurrency); undefined = the proxy's default. */
  concurrency?: number;
  accessLog: boolean;
  /** Local proxies: 1 = client → proxy → app; 2 = client → proxy → proxy → app. */
  hops: 1 | 2;
  upstreamProtocol: Protocol;
  /** Local proxies: the executable to run (default: found on PATH). */
  binary?: string;
  /** Mesh version to install (kind/kubernetes). */
  version?: string;
}

export interface LoadSpec {
  rps: number;
  connections: number;
  durationS: number;
  warmupS: number;
  generators: number;
  threads: number;
  protocol: Protocol;
  request: RequestSpec;
  timeoutMs: number;
}

export interface ThresholdSpec {
  /** Relative increase that is material, as a fraction (0.1 = 10%). */
  maxIncrease: number;
  /**
   * Absolute change below which a difference never fails (ms). Absent: derived from what the
   * run can resolve (stats/noise-floor.ts).
   */
  minDeltaMs?: number;
}

export type LatencyMetric = 'p50' | 'p90' | 'p99' | 'p999';

export interface GateSpec {
  latency: Partial<Record<LatencyMetric, ThresholdSpec>>;
  /** Mesh vs none in the same job. */
  overhead: Partial<Record<LatencyMetric, ThresholdSpec>>;
  /** Fractional drop in achieved throughput that fails (closed-loop runs). */
  throughput?: { maxDecrease: number };
  /** Highest acceptable error fraction of requests. */
  errorRate: { max: number };
  /** Two-sided confidence level of the intervals. */
  confidence: number;
}

export interface Profile {
  name: string;
  description?: string;
  platform: PlatformName;
  workload: {
    /** Builds by name; one build is called "head". With two builds the other is "base". */
    builds: { base?: BuildSpec; head: BuildSpec };
    /** Kubernetes: manifests and the service that receives the load (name:port). */
    manifests: string[];
    service?: string;
  };
  mesh: MeshSpec[];
  load: LoadSpec;
  trials: number;
  /** Upper bound for sequential extension when a verdict is inconclusive (≥ trials). */
  maxTrials: number;
  order: 'balanced' | 'random';
  seed: number;
  gate: GateSpec;
  /** Optional local isolation / pinning settings. */
  isolation: 'none' | 'netns';
  cpuPinning: boolean;
}
