/**
 * Unary gRPC over HTTP/2, the parts the load engine needs (gRPC's PROTOCOL-HTTP2.md):
 * a request is a POST to /package.Service/Method with `content-type: application/grpc` and
 * `te: trailers`, its body one length-prefixed message (1 byte compressed flag = 0, 4 bytes
 * big-endian length, the protobuf bytes). The outcome is `grpc-status` in the trailers, or in the
 * response headers of a trailers-only answer; HTTP 200 alone says nothing. meshgate records the
 * grpc-status number as the request's status code (0 = OK; 1–16 are errors, and never collide
 * with HTTP codes, which start at 100). An answer without grpc-status records its HTTP status when
 * that is not 200 (a proxy's 503), else a protocol error.
 *
 * The job carries the message as base64 in `request.body` (RequestSpec is JSON and crosses
 * worker and pod boundaries); the client decodes and frames it once.
 */

export const GRPC_CONTENT_TYPE = 'application/grpc';

/** gRPC status codes by name (google.rpc.Code), for messages and documentation. */
export const GRPC_STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

/** Whether request headers (any case) make this a gRPC call. */
export function isGrpcRequest(headers: Record<string, unknown>): boolean {
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return typeof type === 'string' && (type === GRPC_CONTENT_TYPE || type.startsWith(`${GRPC_CONTENT_TYPE}+`) || type.startsWith(`${GRPC_CONTENT_TYPE};`));
}

/** One uncompressed length-prefixed message. */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** The messages of a complete length-prefixed body; throws on a truncated or compressed frame. */
export function grpcMessages(body: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 5) throw new Error('truncated gRPC frame header');
    if (body.readUInt8(offset) !== 0) throw new Error('compressed gRPC messages are not supported');
    const length = body.readUInt32BE(offset + 1);
    if (body.length - offset - 5 < length) throw new Error('truncated gRPC message');
    messages.push(body.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  return messages;
}

/** The grpc-status of a header or trailer block, or undefined when absent or malformed. */
export function grpcStatusOf(headers: Record<string, unknown> | undefined): number | undefined {
  const value = headers?.['grpc-status'];
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\d{1,3}$/.test(text)) return undefined;
  return Number(text);
}

/** The status a gRPC answer records: grpc-status, else a non-200 HTTP status, else none (protocol error). */
export function grpcOutcome(httpStatus: number, grpcStatus: number | undefined): number | undefined {
  if (grpcStatus !== undefined) return grpcStatus;
  return httpStatus !== 0 && httpStatus !== 200 ? httpStatus : undefined;
}
