/** Maps socket, TLS and HTTP/2 errors to the engine's error kinds. */
import type { ErrorKind } from './types.js';

const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_HTTP2_STREAM_ERROR',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ERR_HTTP2_STREAM_CANCEL_TIMEOUT']);
const PROTOCOL_CODES = new Set([
  'ERR_HTTP2_ERROR',
  'ERR_HTTP2_INVALID_HEADER_VALUE',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'HPE_INVALID_CONSTANT',
]);

export function classifyError(error: unknown): ErrorKind {
  // HTTP/2 streams of a failed session end with ERR_HTTP2_STREAM_CANCEL, the socket error as cause.
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause && typeof (cause as { code?: unknown }).code === 'string') return classifyError(cause);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return 'other';
  if (code === 'ECONNREFUSED') return 'connect_refused';
  if (RESET_CODES.has(code)) return 'reset';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (PROTOCOL_CODES.has(code) || code.startsWith('ERR_HTTP2_')) return 'protocol';
  return 'other';
}

/** The error kind of an answer, or undefined for HTTP 2xx and gRPC's OK (grpc-status 0; see grpc.ts). */
export function statusErrorKind(status: number): ErrorKind | undefined {
  return status === 0 || (status >= 200 && status < 300) ? undefined : `status_${status}`;
}
