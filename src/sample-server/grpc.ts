/**
 * The sample server's gRPC service (h2c only), so that gRPC profiles and tests run here:
 *   /meshgate.sample.Echo/Echo   answers with the request's message, after the server's delay;
 *   any other method             a trailers-only UNIMPLEMENTED (grpc-status 12) at once.
 * A body that is not one well-formed uncompressed message is INTERNAL (13).
 */
import type http2 from 'node:http2';
import { GRPC_CONTENT_TYPE, grpcFrame, grpcMessages } from '../load/grpc.js';

export const SAMPLE_GRPC_METHOD = '/meshgate.sample.Echo/Echo';

/**
 * One HEADERS frame that ends the stream, as gRPC requires of a trailers-only answer: the
 * compatibility API's writeHead() + end() adds an empty DATA frame, which grpc-core clients
 * (grpcio 1.84) reject as UNKNOWN "Data frame with END_STREAM flag received".
 */
function trailersOnly(response: http2.Http2ServerResponse, status: number, message: string): void {
  if (response.destroyed || response.stream.headersSent) return;
  response.stream.respond(
    { ':status': 200, 'content-type': GRPC_CONTENT_TYPE, 'grpc-status': String(status), 'grpc-message': message },
    { endStream: true },
  );
}

export function handleGrpc(
  request: http2.Http2ServerRequest,
  response: http2.Http2ServerResponse,
  schedule: (readMs: number, reply: () => void) => void,
): void {
  if (request.method !== 'POST' || request.url !== SAMPLE_GRPC_METHOD) {
    request.resume();
    trailersOnly(response, 12, `unknown method ${request.method} ${request.url}`.replace(/[^\x20-\x7e]/g, '?'));
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let reply: Buffer;
    try {
      const messages = grpcMessages(Buffer.concat(chunks));
      if (messages.length !== 1) throw new Error(`expected 1 message, got ${messages.length}`);
      reply = grpcFrame(messages[0]);
    } catch (error) {
      trailersOnly(response, 13, (error as Error).message);
      return;
    }
    schedule(performance.now(), () => {
      if (response.destroyed) return;
      response.writeHead(200, { 'content-type': GRPC_CONTENT_TYPE });
      response.addTrailers({ 'grpc-status': '0', 'grpc-message': '' });
      response.end(reply);
    });
  });
}
