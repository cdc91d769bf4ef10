/**
 * The normalised profile: every default filled in, durations in ms or s and fractions as numbers,
 * names carrying their units. This is what the pipeline uses and what results.json embeds.
 * The YAML form users write is in schema.ts.
 */
import type { Protocol, RequestSpec } from '../load/types.js';
import type {
  ClusterMeshName,
  LocalProxyName,
  MeshModeName,
  PlatformName,
} from '../platform/catalog/index.js';

export type { PlatformName };

/** One build of the workload. Exactly one source. */
export type BuildSpec =
  | {
      kind: 'sample';
      sample: 'echo';
      delayMs: number;
      jitterMs: number;
      responseBytes: number;
      /** Requests in service at once; more wait their turn (capacity = concurrency / delay). Absent: no limit. */
      concurrency?: number;
    }
  | { kind: 'command'; command: string[]; env: Record<string, string>; readyPath: string }
  | { kind: 'url'; url: string }
  | { kind: 'image'; image: string; port: number };

/** Names come from the catalog of cluster meshes and local proxies (platform/catalog/). */
export type MeshName = ClusterMeshName | LocalProxyName;

export interface MeshSpec {
  /** Variant label: the name, plus the mode when it is not the default (istio-ambient). */
  id: string;
  name: MeshName;
  /** One of its mesh's modes (istio: sidecar | ambient; platform/catalog/meshes/). */
  mode?: MeshModeName;
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
  /** The user's own data-plane configuration instead of (or added to) meshgate's. */
  dataPlane?: DataPlaneFiles;
  /**
   * Two data planes compared in one job, like workload.builds compares two application builds.
   * Variants base/<id> and head/<id> run in front of the same application: local proxies side by
   * side on this machine, cluster meshes in one namespace each of the same cluster.
   */
  builds?: { base: DataPlaneFiles; head: DataPlaneFiles };
  /**
   * Cluster meshes: a mesh-wide install file (Istio: an IstioOperator; Linkerd: Helm values).
   * One control plane serves every namespace, so two of these cannot run side by side: a change
   * here is compared with a stored baseline by the cross-job method. Absolute once loaded.
   */
  installValues?: string;
}

/**
 * A user's data-plane configuration (see docs/data-plane-builds.md). Paths are absolute once the
 * profile is loaded (resolved against the profile's folder). Local proxies: either a full config
 * with placeholders meshgate fills in, or fragments included into meshgate's generated config.
 * Cluster meshes: per-namespace objects and per-pod proxy annotations, which two variants can
 * carry side by side in one cluster.
 */
export interface DataPlaneFiles {
  /** Full proxy config (template with {{listen}}, {{upstream}} … placeholders). */
  config?: string;
  /** Fragment: nginx `http {}` context, HAProxy frontend section, Envoy HTTP filters before the router. */
  include?: string;
  /** Fragment: nginx main context (load_module), HAProxy global section (lua-load). */
  globalInclude?: string;
  /** Cluster meshes: manifest files of data-plane objects (Istio EnvoyFilter, WasmPlugin). */
  manifests?: string[];
  /** Cluster meshes: annotations on the workload's pods that configure its proxy. */
  proxyAnnotations?: Record<string, string>;
  /** The profile field that holds these files, for messages: "mesh[1].builds.head". */
  field: string;
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
  /**
   * A unary gRPC call (profile `protocol: grpc`): `protocol` is then http2 and `request` the gRPC
   * request (POST to the method, message in base64 as the body). `messageFile` (relative to the
   * profile) is read into the body when the profile is loaded.
   */
  grpc?: { method: string; messageFile?: string };
  /**
   * Capacity mode: instead of `rps` for `trials`, search each variant for the highest open-loop
   * rate at which `slo` holds (src/capacity/). `durationS` and `warmupS` are each step's.
   */
  capacity?: CapacitySpec;
}

/** The service level a capacity search holds each step to: latency ceilings and an error share. */
export interface CapacitySlo {
  /** Highest acceptable percentile latency, in ms (at least one). */
  latencyMs: Partial<Record<LatencyMetric, number>>;
  /** Highest acceptable error fraction of a step's requests. */
  errorRate: number;
}

export interface CapacitySpec {
  slo: CapacitySlo;
  /** The search starts here; a variant that fails here is reported as below it. */
  minRps: number;
  /** The search goes no higher; a variant that holds here is reported as at least it. */
  maxRps: number;
  /** The search ends when the lowest failing rate is within this fraction above the highest passing one. */
  precision: number;
  /** Load time (warm-up included) the whole search may take, over all variants. */
  maxTimeS: number;
  /** A step within this fraction of a limit (either side) is re-run and judged by the majority. */
  borderline: number;
  /** Extra trials a borderline step may run (2: best of three). */
  retries: number;
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

/** Relative increase of a resource metric, with a floor in the metric's unit (ms per 1k requests, MiB). */
export interface ResourceThresholdSpec {
  maxIncrease: number;
  minDelta: number;
}

/** An absolute ceiling in the metric's unit (ms per 1k requests, MiB). */
export interface CeilingSpec {
  max: number;
}

export type LatencyMetric = 'p50' | 'p90' | 'p99' | 'p999';

export interface GateSpec {
  latency: Partial<Record<LatencyMetric, ThresholdSpec>>;
  /** Mesh vs none in the same job. */
  overhead: Partial<Record<LatencyMetric, ThresholdSpec>>;
  /** Ceilings on a data plane's own cost (none has no proxy to compare with). */
  overheadResources?: { cpu?: CeilingSpec; memory?: CeilingSpec };
  /** Head vs base of the same mesh: proxy CPU per 1,000 requests and memory. */
  dataPlane?: { cpu?: ResourceThresholdSpec; memory?: ResourceThresholdSpec };
  /** Capacity mode, head vs base: the fractional drop in capacity at the SLO that fails. */
  capacity?: { maxDecrease: number };
  /** Capacity mode, mesh vs none: the share of the capacity without a mesh a mesh may cost. */
  overheadCapacity?: { maxDecrease: number };
  /** Head vs base of the same mesh: instructions per request (profile `cost`), counted. */
  cost?: { maxIncrease: number };
  /** Fractional drop in achieved throughput that fails (closed-loop runs). */
  throughput?: { maxDecrease: number };
  /** Highest acceptable error fraction of requests. */
  errorRate: { max: number };
  /** Two-sided confidence level of the intervals. */
  confidence: number;
}

/** Counting the data plane's instructions per request (src/platform/local/cost/). */
export interface CostSpec {
  /** callgrind: Valgrind; perf: a hardware counter (probed); auto: perf where it counts, else callgrind. */
  method: 'callgrind' | 'perf' | 'auto';
  /** Requests per counted batch. */
  requests: number;
  /** Batches per variant, interleaved between variants like trials. */
  batches: number;
  /** Requests sent before instrumentation is switched on. */
  warmupRequests: number;
  /** Keep-alive connections a batch's closed loop uses. */
  connections: number;
  /** Count the application build too (native command builds only). */
  workload: boolean;
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
  /** Count instructions per request of each local data plane after the trials. */
  cost?: CostSpec;
  /**
   * Gate these results of another tool (fortio, Nighthawk, HdrHistogram logs) instead of running
   * load: `variant` names an untagged file's variant, `variants` renames a tagged log's tags.
   * Paths are made absolute (from the profile's folder) when the profile is loaded.
   */
  importResults?: { file: string; variant?: string; variants?: Record<string, string> }[];
}
