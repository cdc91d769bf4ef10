/**
 * HTTP/2 over node:http2, cleartext (h2c, prior knowledge) or TLS with ALPN. A connection is one
 * session; each of its slots carries one stream at a time, so `connections × streamsPerConnection`
 * requests can be in flight. A failed session is replaced on the next send.
 */
import http2 from 'node:http2';
import { classifyError } from './classify.js';
import type { RequestSlot, SlotOptions } from './slot.js';
import type { ErrorKind } from './types.js';

const { NGHTTP2_CANCEL } = http2.constants;

export class Http2Connection {
  private session: http2.ClientHttp2Session | undefined;

  constructor(private readonly options: SlotOptions) {}

  ensureSession(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const { url, insecureTls } = this.options;
    const session = http2.connect(url.origin, { rejectUnauthorized: !insecureTls });
    session.on('error', () => {}); // streams report their own failure
    session.on('close', () => {
      if (this.session === session) this.session = undefined;
    });
    session.on('goaway', () => {
      if (this.session === session) this.session = undefined;
    });
    this.session = session;
    return session;
  }

  connect(timeoutMs: number): Promise<void> {
    const session = this.ensureSession();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, timeoutMs);
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      session.once('connect', finish).once('close', finish);
    });
  }

  close(): void {
    this.session?.destroy();
    this.session = undefined;
  }
}

export class Http2Slot implements RequestSlot {
  busy = false;
  dueMs = 0;
  availableMs = 0;
  idleSinceMs = -Infinity;
  sentMs = 0;
  measured = false;

  private stream: http2.ClientHttp2Stream | undefined;
  private readonly headers: http2.OutgoingHttpHeaders;
  private readonly body: Buffer | undefined;

  constructor(
    private readonly connection: Http2Connection,
    private readonly options: SlotOptions,
  ) {
    const lowered = Object.fromEntries(Object.entries(options.headers).map(([k, v]) => [k.toLowerCase(), v]));
    delete lowered.host;
    delete lowered.connection;
    this.headers = { ...lowered, ':method': options.method, ':path': options.path };
    this.body = options.body.length > 0 ? Buffer.from(options.body) : undefined;
  }

  connect(timeoutMs: number): Promise<void> {
    return this.connection.connect(timeoutMs);
  }

  send(): void {
    let stream: http2.ClientHttp2Stream;
    try {
      stream = this.connection.ensureSession().request(this.headers, { endStream: this.body === undefined });
    } catch (error) {
      // A closing session refuses new streams synchronously; report on a later turn of the loop.
      setImmediate(() => this.options.onDone(this, 0, classifyError(error)));
      return;
    }
    this.stream = stream;
    let status = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', () => {});
    stream.on('end', () => this.finish(stream, status, status ? undefined : 'protocol'));
    stream.on('error', (error) => this.finish(stream, 0, classifyError(error)));
    stream.on('close', () => this.finish(stream, 0, 'reset'));
    if (this.body) stream.end(this.body);
  }

  cancel(kind: ErrorKind): void {
    const stream = this.stream;
    if (!stream) return;
    this.finish(stream, 0, kind);
    stream.close(NGHTTP2_CANCEL);
  }

  close(): void {
    const stream = this.stream;
    this.stream = undefined;
    stream?.close(NGHTTP2_CANCEL);
  }

  private finish(stream: http2.ClientHttp2Stream, status: number, error: ErrorKind | undefined): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    this.options.onDone(this, status, error);
  }
}
