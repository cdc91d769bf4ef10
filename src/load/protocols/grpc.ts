/**
 * Unary gRPC: HTTP/2 jobs whose request is the gRPC call (profile/schema.ts shapes it from
 * load.grpc; ../grpc.ts frames and classifies). Ready when the gRPC health service answers.
 */
import type { LoadProtocol } from './types.js';

export const grpc: LoadProtocol = {
  name: 'grpc',
  wire: 'http2',
  probe: 'grpc',
  smpCode: 4,
  carries: (load) => load.grpc !== undefined,
};
