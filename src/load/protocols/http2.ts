/** HTTP/2: `streams_per_connection` concurrent streams on each connection (TLS with ALPN h2, or h2c). */
import type { LoadProtocol } from './types.js';

export const http2: LoadProtocol = {
  name: 'http2',
  wire: 'http2',
  probe: 'http2',
  smpCode: 1,
  carries: (load) => load.protocol === 'http2' && load.grpc === undefined,
};
