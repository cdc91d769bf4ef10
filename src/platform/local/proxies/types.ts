/**
 * A data plane on the local platform: proxies started as processes in front of the workload the
 * way a sidecar sits in front of an application. One implementation per proxy (nginx, haproxy,
 * envoy); `none` sends straight to the application.
 */
import type { MeshSpec } from '../../../profile/types.js';
import type { Logger } from '../../../util/log.js';
import type { CheckPolicy } from './check-policy.js';

export interface RunningDataPlane {
  /** Where the load generator sends to. */
  url: string;
  /** Process ids whose CPU and memory count as the data plane's (all hops, all workers). */
  pids(): number[];
  /** A short description for reports, e.g. "nginx 1.22.1, 2 workers, 2 hops, mTLS". */
  description: string;
  /** Liveness: resolves with a message when a proxy process exits unexpectedly. */
  died: Promise<string>;
  stop(): Promise<void>;
}

export interface LocalDataPlaneContext {
  log: Logger;
  /** A directory for configs, certificates and logs; removed after the run. */
  workDir: string;
  /** CPU pinning: run the proxies on these CPUs (a taskset list such as "1" or "2-3"). */
  cpuList?: string;
  /**
   * Counting (the cost phase): run each hop's proxy through this wrapper (valgrind …) as one
   * process — nginx without a master (`master_process off`), so the counted pid is the one serving.
   */
  counting?: { wrap(program: string, args: readonly string[]): [string, string[]] };
}

export interface LocalDataPlane {
  readonly name: MeshSpec['name'];
  /** Start the proxies in front of `upstreamUrl`; resolves when they answer. */
  start(upstreamUrl: string, spec: MeshSpec, ctx: LocalDataPlaneContext): Promise<RunningDataPlane>;
  /** Version string of the proxy binary, for results.environment. */
  version(spec: MeshSpec): Promise<string | undefined>;
  /**
   * Check the user's files of `spec` (its dataPlane) without starting anything: generate every
   * hop's config and run the proxy's own check when the proxy is installed. Exit 2 when invalid.
   * `policy` (validate's) says what the check may load and run; run's check is trusted.
   */
  checkConfig(spec: MeshSpec, workDir: string, policy?: CheckPolicy): Promise<void>;
  /** Why a run here could not start this proxy (no executable found), or undefined. */
  missing(spec: MeshSpec): string | undefined;
}
