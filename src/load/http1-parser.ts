/**
 * Incremental HTTP/1.1 parsers over bytes: responses for the load client (one request in flight
 * per connection) and requests for the sample server (pipelined requests in order). Both handle
 * Content-Length and chunked bodies (trailers skipped); responses also bodies delimited by close,
 * interim 1xx answers and `Connection: close`. Body bytes are counted, never kept, and only the
 * framing headers are decoded, so a typical message costs no string allocation.
 */

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 64 * 1024;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const HTTP_1 = Buffer.from('HTTP/1.', 'latin1');
const FRAMING_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'expect'] as const;
type FramingHeader = (typeof FRAMING_HEADERS)[number];

export class ProtocolError extends Error {
  readonly code = 'HPE_INVALID_CONSTANT';
}

/** Head too large: a server answers 431. */
export class HeadTooLargeError extends ProtocolError {}

const digit = (byte: number | undefined) =>
  byte !== undefined && byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : NaN;

function startsWith(buffer: Buffer, prefix: Buffer, at = 0): boolean {
  if (buffer.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buffer[at + i] !== prefix[i]) return false;
  return true;
}

/** Which framing header the name at buffer[start..colon) is (ASCII case-insensitive), if any. */
function framingHeader(buffer: Buffer, start: number, colon: number): FramingHeader | undefined {
  let end = colon;
  while (end > start && (buffer[end - 1] === SPACE || buffer[end - 1] === 0x09)) end--;
  const length = end - start;
  for (const name of FRAMING_HEADERS) {
    if (name.length !== length) continue;
    let i = 0;
    // OR-ing 0x20 lowercases ASCII letters; the names hold only letters and '-' (0x2d, unchanged).
    while (i < length && (buffer[start + i] | 0x20) === name.charCodeAt(i)) i++;
    if (i === length) return name;
  }
  return undefined;
}

/** The framing headers of a head (bytes from the first line's CR up to `end`). */
interface Framing {
  contentLength: number;
  chunked: boolean;
  /** Lower-cased value of Connection, '' when absent. */
  connection: string;
  expectContinue: boolean;
  /** A transfer coding other than a final `chunked`: the body's end cannot be found. */
  unknownCoding: boolean;
}

function parseFraming(buffer: Buffer, firstLineEnd: number, end: number): Framing {
  const framing: Framing = {
    contentLength: -1,
    chunked: false,
    connection: '',
    expectContinue: false,
    unknownCoding: false,
  };
  let lineEnd = firstLineEnd;
  while (lineEnd >= 0 && lineEnd < end) {
    const lineStart = lineEnd + 2;
    if (lineStart >= end) break;
    lineEnd = buffer.indexOf(CR, lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const colon = buffer.indexOf(COLON, lineStart);
    if (colon <= lineStart || colon >= lineEnd) throw new ProtocolError('bad header line');
    const header = framingHeader(buffer, lineStart, colon);
    if (header === undefined) continue;
    const value = buffer
      .toString('latin1', colon + 1, lineEnd)
      .trim()
      .toLowerCase();
    if (header === 'content-length') {
      const length = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(length) || (framing.contentLength >= 0 && length !== framing.contentLength))
        throw new ProtocolError('bad content-length');
      framing.contentLength = length;
    } else if (header === 'transfer-encoding') {
      framing.chunked = value.endsWith('chunked');
      framing.unknownCoding = !framing.chunked;
    } else if (header === 'connection') framing.connection = value;
    else framing.expectContinue = value === '100-continue';
  }
  return framing;
}

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  Trailers,
  UntilClose,
}

/**
 * Message framing shared by both parsers: buffers a partial head or chunk line, and walks bodies.
 * `onHead` parses a complete head (bytes 0..end) and returns how its body is framed.
 */
abstract class MessageFramer {
  protected state = State.Head;
  private partial: Buffer | undefined;
  private remaining = 0;

  /** True while a message has begun but is not complete. */
  get inMessage(): boolean {
    return this.state !== State.Head || this.partial !== undefined;
  }

  reset(): void {
    this.state = State.Head;
    this.partial = undefined;
  }

  protected abstract onHead(buffer: Buffer, end: number): Framing | 'interim' | 'none' | 'until-close';

  /** A message ended; `rest` holds the bytes after it. Returns whether to go on walking. */
  protected abstract onComplete(rest: Buffer): boolean;

  /** Walks `chunk` through heads and bodies. Throws ProtocolError on malformed input. */
  protected walk(chunk: Buffer): void {
    let buffer = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    this.partial = undefined;
    while (true) {
      switch (this.state) {
        case State.Head: {
          if (buffer.length === 0) return;
          const end = buffer.indexOf(HEAD_END);
          if (end < 0) return this.keep(buffer, true);
          const framing = this.onHead(buffer, end);
          buffer = buffer.subarray(end + 4);
          if (framing === 'interim') continue; // e.g. 100 Continue: the real answer follows
          if (framing === 'until-close') this.state = State.UntilClose;
          else if (framing === 'none') {
            if (!this.onComplete(buffer)) return;
          } else if (framing.chunked) this.state = State.ChunkSize;
          else if (framing.contentLength > 0) {
            this.remaining = framing.contentLength;
            this.state = State.Body;
          } else if (!this.onComplete(buffer)) return;
          break;
        }
        case State.Body: {
          const take = Math.min(this.remaining, buffer.length);
          this.remaining -= take;
          buffer = buffer.subarray(take);
          if (this.remaining > 0) return;
          this.state = State.Head;
          if (!this.onComplete(buffer)) return;
          break;
        }
        case State.ChunkSize: {
          const end = buffer.indexOf(CRLF);
          if (end < 0) return this.keep(buffer, false);
          const size = parseInt(buffer.toString('latin1', 0, end).split(';')[0], 16);
          if (!Number.isFinite(size) || size < 0) throw new ProtocolError('bad chunk size');
          buffer = buffer.subarray(end + 2);
          if (size === 0) this.state = State.Trailers;
          else {
            this.remaining = size + 2; // data and its CRLF
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, buffer.length);
          this.remaining -= take;
          buffer = buffer.subarray(take);
          if (this.remaining > 0) return;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const end = buffer.indexOf(CRLF);
          if (end < 0) return this.keep(buffer, false);
          buffer = buffer.subarray(end + 2);
          if (end === 0) {
            this.state = State.Head;
            if (!this.onComplete(buffer)) return;
          }
          break;
        }
        case State.UntilClose:
          return;
      }
    }
  }

  private keep(buffer: Buffer, head: boolean): void {
    if (buffer.length > MAX_HEAD_BYTES)
      throw head ? new HeadTooLargeError('head too large') : new ProtocolError('line too long');
    if (buffer.length > 0) this.partial = Buffer.from(buffer);
  }
}

export interface ParsedResponse {
  status: number;
  /** The server will close the connection after this answer. */
  closeAfter: boolean;
}

export class Http1ResponseParser extends MessageFramer {
  private done: ParsedResponse | undefined;
  private status = 0;
  private closeAfter = false;

  /** `bodyless`: the request was HEAD, so no answer has a body. */
  constructor(private readonly bodyless: boolean) {
    super();
  }

  /** True while a response has begun but is not complete. */
  get inResponse(): boolean {
    return this.inMessage;
  }

  /**
   * Feed bytes; returns the response when it completed in this chunk, otherwise undefined.
   * Throws ProtocolError on malformed input or bytes after the end of the response.
   */
  push(chunk: Buffer): ParsedResponse | undefined {
    this.done = undefined;
    this.walk(chunk);
    return this.done;
  }

  protected onComplete(rest: Buffer): boolean {
    if (rest.length > 0) throw new ProtocolError('bytes after the end of the response');
    this.done = { status: this.status, closeAfter: this.closeAfter };
    return false;
  }

  /** The connection closed: completes a close-delimited body, otherwise nothing. */
  end(): ParsedResponse | undefined {
    if (this.state !== State.UntilClose) return undefined;
    this.state = State.Head;
    return { status: this.status, closeAfter: this.closeAfter };
  }

  protected onHead(buffer: Buffer, end: number): Framing | 'interim' | 'none' | 'until-close' {
    if (end < 12 || !startsWith(buffer, HTTP_1)) throw new ProtocolError('not an HTTP/1.x response');
    const status = digit(buffer[9]) * 100 + digit(buffer[10]) * 10 + digit(buffer[11]);
    const afterStatus = buffer[12];
    if (buffer[8] !== SPACE || !(status >= 100) || (end > 12 && afterStatus !== SPACE && afterStatus !== CR))
      throw new ProtocolError('bad status line');
    this.status = status;
    const framing = parseFraming(buffer, buffer.indexOf(CR), end);
    this.closeAfter =
      framing.connection === 'close' || (buffer[7] === 0x30 && framing.connection !== 'keep-alive');
    if (status < 200) return 'interim';
    if (this.bodyless || status === 204 || status === 304) return 'none';
    if (!framing.unknownCoding && (framing.chunked || framing.contentLength >= 0)) return framing;
    this.closeAfter = true;
    return 'until-close';
  }
}

export interface ParsedRequest {
  method: string;
  /** The client asked to close after the answer, or speaks HTTP/1.0. */
  closeAfter: boolean;
}

/**
 * Requests as a server reads them, pipelined ones included. `onHead` runs when a head is read
 * (to answer `Expect: 100-continue`), `onRequest` when the whole request, body included, is.
 */
export class Http1RequestParser extends MessageFramer {
  private current: ParsedRequest = { method: 'GET', closeAfter: false };

  constructor(
    private readonly onRequest: (request: ParsedRequest) => void,
    private readonly onContinue: () => void = () => undefined,
  ) {
    super();
  }

  /** Feed bytes; calls back for every request completed in them. Throws ProtocolError. */
  push(chunk: Buffer): void {
    this.walk(chunk);
  }

  protected onComplete(): boolean {
    this.onRequest(this.current);
    return true;
  }

  protected onHead(buffer: Buffer, end: number): Framing | 'none' {
    const lineEnd = buffer.indexOf(CR);
    const firstSpace = buffer.indexOf(SPACE);
    const lastSpace = buffer.lastIndexOf(SPACE, lineEnd);
    if (
      firstSpace <= 0 ||
      lastSpace <= firstSpace ||
      lineEnd - lastSpace !== 9 ||
      !startsWith(buffer, HTTP_1, lastSpace + 1)
    )
      throw new ProtocolError('bad request line');
    const framing = parseFraming(buffer, lineEnd, end);
    if (framing.unknownCoding) throw new ProtocolError('unsupported transfer coding');
    const http10 = buffer[lastSpace + 8] === 0x30;
    this.current = {
      method: buffer.toString('latin1', 0, firstSpace),
      closeAfter: framing.connection === 'close' || (http10 && framing.connection !== 'keep-alive'),
    };
    if (framing.expectContinue && !http10) this.onContinue();
    return framing.chunked || framing.contentLength > 0 ? framing : 'none';
  }
}

/** The request as bytes, built once and written for every request of a connection. */
export function serializeRequest(options: {
  method: string;
  path: string;
  host: string;
  headers: Record<string, string>;
  body: string;
}): Buffer {
  const { method, path, host, headers, body } = options;
  const lines = [`${method} ${path} HTTP/1.1`];
  const names = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!names.has('host')) lines.push(`Host: ${host}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const bodyBytes = Buffer.from(body);
  const needsLength =
    bodyBytes.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method.toUpperCase());
  if (needsLength && !names.has('content-length')) lines.push(`Content-Length: ${bodyBytes.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bodyBytes]);
}
