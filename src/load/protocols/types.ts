/**
 * What a load protocol declares (pure data: profile/ reads it without loading the engine).
 * A protocol is what a profile's `load.protocol` names; it rides on a wire protocol, the one a
 * LoadJob speaks and whose slot factory the engine calls (../slot-factories.ts). gRPC, for
 * one, is HTTP/2 with a gRPC request. Adding a protocol on an existing wire: its file here and one
 * line in registry.ts; a new wire also needs its client and one line in ../slot-factories.ts.
 */
import type { ReadinessProbe } from '../../system/readiness.js';

/** The wire protocols a LoadJob may speak (each has a slot factory in ../slot-factories.ts). */
export const WIRE_PROTOCOLS = ['http1', 'http2'] as const;
export type WireProtocol = (typeof WIRE_PROTOCOLS)[number];

/** The parts of a parsed profile's load section that say which protocol it speaks. */
export interface LoadProtocolFields {
  protocol: WireProtocol;
  grpc?: unknown;
}

export interface LoadProtocol {
  /** What `load.protocol` accepts in a profile. */
  name: string;
  /** The wire protocol of the jobs it becomes. */
  wire: WireProtocol;
  /** How readiness asks the workload whether it is up: in the protocol its load will speak. */
  probe: ReadinessProbe;
  /** SMP PerformanceTestConfig.Client.Protocol (1 HTTP, 4 GRPC). */
  smpCode: number;
  /** Whether a parsed profile's load section speaks this protocol. */
  carries(load: LoadProtocolFields): boolean;
}
