/**
 * The load engine's contract. A LoadJob describes one timed run against one URL; the engine
 * returns one LoadTrial. Everything here is plain JSON so that a job can cross a worker thread,
 * a process boundary or a Kubernetes pod (dist/loadgen) unchanged.
 */
import type { WireProtocol } from './protocols/types.js';

/** The wire protocol a job speaks (load/protocols/types.ts). */
export type Protocol = WireProtocol;

export interface RequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadJob {
  /** Base URL of the target, e.g. http://127.0.0.1:8080 (https:// for TLS; h2 over TLS uses ALPN). */
  url: string;
  /** Open-loop rate in requests per second over the whole job; 0 = closed loop, as fast as possible. */
  rps: number;
  /** Connections over all threads (each thread gets its share). */
  connections: number;
  /** Measured duration, after warm-up. */
  durationS: number;
  /** Warm-up before the measured part; its requests are sent at the same rate but not recorded. */
  warmupS: number;
  /** Worker threads to spread connections and rate over; their histograms are merged exactly. */
  threads: number;
  protocol: Protocol;
  request: RequestSpec;
  /** A request not answered within this time counts as a `timeout` error. */
  timeoutMs: number;
  /** Wall-clock start (ms since the epoch) so several generators begin together; default: now. */
  startAtEpochMs?: number;
  /** Accept self-signed certificates from the target (meshgate's own per-run certificates). */
  insecureTls?: boolean;
  /** Record one histogram per this many ms of the measured part (for timelines); 0 or absent = none. */
  intervalMs?: number;
  /** HTTP/2 only: requests in flight per connection (streams); default 1, so concurrency = connections. */
  streamsPerConnection?: number;
}

/** Latency percentiles in milliseconds. */
export interface LatencySummaryMs {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Error kinds the engine distinguishes. Non-2xx answers count as `status_<code>`. */
export type ErrorKind = 'connect_refused' | 'reset' | 'timeout' | 'protocol' | 'other' | `status_${number}`;

/**
 * Pauses of the generator itself: a request whose connection was free but that the generator
 * sent ≥ 0.5 ms late. `count` pauses (requests caught in one pause count once), their total and
 * longest length, and how many requests they delayed. Not part of the gated latency.
 */
export interface GeneratorHiccups {
  /** Pauses of the generator thread (≥ HICCUP_MIN_MS) seen on the sending side. */
  count: number;
  totalMs: number;
  maxMs: number;
  /** Requests sent late by them. */
  requests: number;
  /** Answers read in the burst after a pause, charged a response time inside their bounds (load/censored.ts; absent in older results). */
  answers?: number;
}

export interface LoadTrial {
  startTime: string; // ISO 8601, start of the measured part
  endTime: string;
  durationS: number; // measured wall time
  requestedRps: number;
  actualRps: number; // completed requests (any outcome) per second of the measured part
  requests: number; // completed, any outcome
  errors: number; // sum of errorsByKind
  errorsByKind: Record<string, number>;
  statusCodes: Record<string, number>;
  /**
   * The gated latency: response end − intended send time, less the generator's own delay (the
   * time between a connection being free for the request and the generator sending it).
   * Coordinated-omission free for the server's backpressure; the generator's hiccups are not in
   * it (see `generatorHiccups`).
   */
  latencyMs: LatencySummaryMs;
  /** Response end − intended (due) send time, the generator's lateness included. */
  intendedLatencyMs?: LatencySummaryMs;
  /** Service time: response end − actual send. */
  uncorrectedLatencyMs: LatencySummaryMs;
  /** How far behind the schedule actual sends were (0 when the generator kept up). */
  scheduleLagMs: { p50: number; p99: number; max: number };
  generatorHiccups?: GeneratorHiccups;
  /** HdrHistogram V2 compressed, base64, values in microseconds (1 µs .. 60 s, 3 significant digits). */
  histogram: string;
  uncorrectedHistogram: string;
  /** Optional per-interval histograms (same encoding) of the corrected latency. */
  intervals?: { startOffsetMs: number; histogram: string }[];
  /** Number of generators (threads × processes) merged into this trial. */
  generators: number;
}
