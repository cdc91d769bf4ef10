/** Unary gRPC over h2c: the engine's client against the sample server's gRPC method, run inline. */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import { grpcFrame, grpcMessages, grpcOutcome, grpcStatusOf, isGrpcRequest } from '../../src/load/grpc.js';
import { SAMPLE_GRPC_METHOD } from '../../src/sample-server/grpc.js';
import { startSampleServer } from '../../src/sample-server/server.js';
import { job, runInline } from './load-helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

// A protobuf message: field 1 (string) = "hello" — bytes 0a 05 68 65 6c 6c 6f.
const HELLO = Buffer.from('0a0568656c6c6f', 'hex');
const grpcRequest = (path: string, body = HELLO.toString('base64')) => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/grpc', te: 'trailers' },
  body,
});

describe('gRPC framing', () => {
  test('length prefix, round trip, malformed frames', () => {
    const frame = grpcFrame(HELLO);
    expect(frame.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, 7]));
    expect(grpcMessages(Buffer.concat([frame, grpcFrame(Buffer.alloc(0))]))).toEqual([HELLO, Buffer.alloc(0)]);
    expect(() => grpcMessages(frame.subarray(0, 9))).toThrow(/truncated gRPC message/);
    expect(() => grpcMessages(Buffer.from([1, 0, 0, 0, 0]))).toThrow(/compressed/);
    expect(isGrpcRequest({ 'Content-Type': 'application/grpc+proto' })).toBe(true);
    expect(isGrpcRequest({ 'content-type': 'application/grpcx' })).toBe(false);
    expect(grpcStatusOf({ 'grpc-status': '14' })).toBe(14);
    expect(grpcStatusOf({ 'grpc-status': 'x' })).toBeUndefined();
    expect([grpcOutcome(200, 0), grpcOutcome(503, undefined), grpcOutcome(200, undefined)]).toEqual([0, 503, undefined]);
  });
});

describe('unary gRPC load', () => {
  test('the sample server echoes; grpc-status 0 is the status code and no error', async () => {
    const server = await startSampleServer({ http2: true, delayMs: 1 });
    closers.push(() => server.close());
    const result = await runInline(
      job(server.url, { protocol: 'http2', rps: 200, connections: 2, streamsPerConnection: 2, durationS: 0.5, request: grpcRequest(SAMPLE_GRPC_METHOD) }),
    );
    expect(result.statusCodes).toEqual({ '0': 100 });
    expect(result.errorsByKind).toEqual({});
  });

  test('an unknown method: UNIMPLEMENTED (12) counted as the status and as an error', async () => {
    const server = await startSampleServer({ http2: true });
    closers.push(() => server.close());
    const result = await runInline(
      job(server.url, { protocol: 'http2', rps: 100, durationS: 0.3, request: grpcRequest('/meshgate.sample.Echo/Nope') }),
    );
    expect(result.statusCodes).toEqual({ '12': 30 });
    expect(result.errorsByKind).toEqual({ status_12: 30 });
  });

  test('statuses in trailers, and an HTTP error without grpc-status, from another server', async () => {
    const statuses = [14, 0];
    let calls = 0;
    const server = http2.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const n = calls++;
        if (n % 3 === 2) return response.writeHead(503).end(); // a proxy's answer, no grpc-status
        response.writeHead(200, { 'content-type': 'application/grpc' });
        response.addTrailers({ 'grpc-status': String(statuses[n % 3]) });
        response.end(grpcFrame(HELLO));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sessions = new Set<http2.Http2Session>();
    server.on('session', (session) => sessions.add(session));
    closers.push(
      () =>
        new Promise((resolve) => {
          for (const session of sessions) session.destroy();
          server.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const result = await runInline(
      job(url, { protocol: 'http2', rps: 100, connections: 1, durationS: 0.3, request: grpcRequest('/x.Y/Z') }),
    );
    expect(result.statusCodes).toEqual({ '14': 10, '0': 10, '503': 10 });
    expect(result.errorsByKind).toEqual({ status_14: 10, status_503: 10 });
  });

  test('over TLS (ALPN h2): the same call to a gRPC server with a certificate', async () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    const server = http2.createSecureServer(
      { key: readFileSync(new URL('localhost-key.pem', fixtures)), cert: readFileSync(new URL('localhost-cert.pem', fixtures)) },
      (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const [message] = grpcMessages(Buffer.concat(chunks));
          response.writeHead(200, { 'content-type': 'application/grpc' });
          response.addTrailers({ 'grpc-status': message.equals(HELLO) ? '0' : '3' });
          response.end(grpcFrame(message));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sessions = new Set<http2.Http2Session>();
    server.on('session', (session) => sessions.add(session));
    closers.push(
      () =>
        new Promise((resolve) => {
          for (const session of sessions) session.destroy();
          server.close(() => resolve());
        }),
    );
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const result = await runInline(
      job(url, { protocol: 'http2', rps: 100, durationS: 0.3, insecureTls: true, request: grpcRequest('/x.Y/Z') }),
    );
    expect(result.statusCodes).toEqual({ '0': 30 });
  });

  test('the sample server: a body that is not one message is INTERNAL (13), trailers-only', async () => {
    const server = await startSampleServer({ http2: true });
    closers.push(() => server.close());
    const session = http2.connect(server.url);
    const [headers, flags] = await new Promise<[http2.IncomingHttpHeaders, number]>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': SAMPLE_GRPC_METHOD, 'content-type': 'application/grpc' });
      stream.on('response', (h, f) => resolve([h, f])).on('error', reject);
      stream.resume();
      stream.end(Buffer.from([0, 0, 0, 0, 9, 1])); // says 9 bytes, carries 1
    });
    session.close();
    // Trailers-only: one HEADERS frame with END_STREAM (0x1), no DATA frame after it (grpc-core
    // clients reject that as UNKNOWN).
    expect(flags & http2.constants.NGHTTP2_FLAG_END_STREAM).toBe(1);
    expect(headers[':status']).toBe(200);
    expect(headers['grpc-status']).toBe('13');
    expect(headers['grpc-message']).toMatch(/truncated/);
  });
});
