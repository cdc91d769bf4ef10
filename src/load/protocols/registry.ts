/**
 * The load protocols a profile may name (load.protocol), in the order its error message lists
 * them. Pure data: importing this loads no engine code. Adding a protocol: its file and one line.
 */
import { grpc } from './grpc.js';
import { http1 } from './http1.js';
import { http2 } from './http2.js';
import type { LoadProtocol, LoadProtocolFields } from './types.js';

export const LOAD_PROTOCOLS: readonly LoadProtocol[] = [http1, http2, grpc];

export const LOAD_PROTOCOL_NAMES = LOAD_PROTOCOLS.map((p) => p.name) as [string, ...string[]];

/** The registered protocol of this name (names come from a validated profile). */
export function loadProtocolNamed(name: string): LoadProtocol {
  const found = LOAD_PROTOCOLS.find((p) => p.name === name);
  if (!found) throw new Error(`no load protocol named ${JSON.stringify(name)}`);
  return found;
}

/** The protocol a parsed profile's load section speaks. */
export function loadProtocolOf(load: LoadProtocolFields): LoadProtocol {
  const found = LOAD_PROTOCOLS.find((p) => p.carries(load));
  if (!found) throw new Error(`no load protocol carries ${JSON.stringify(load.protocol)}`);
  return found;
}
