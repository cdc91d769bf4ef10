/** HTTP/1.1 (the default): one request at a time on each connection. */
import type { LoadProtocol } from './types.js';

export const http1: LoadProtocol = {
  name: 'http1',
  wire: 'http1',
  probe: 'http1',
  smpCode: 1,
  carries: (load) => load.protocol === 'http1' && load.grpc === undefined,
};
