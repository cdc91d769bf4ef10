/**
 * Incremental HTTP/1.1 response parser for a client with one request in flight per connection.
 * Handles Content-Length, chunked bodies (trailers skipped), bodies delimited by close, interim
 * 1xx answers, and `Connection: close`. Body bytes are counted, never kept.
 */

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 64 * 1024;

export interface ParsedResponse {
  status: number;
  /** The server will close the connection after this answer. */
  closeAfter: boolean;
}

export class ProtocolError extends Error {
  readonly code = 'HPE_INVALID_CONSTANT';
}

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  Trailers,
  UntilClose,
}

export class Http1ResponseParser {
  private state = State.Head;
  private partial: Buffer | undefined;
  private remaining = 0;
  private status = 0;
  private closeAfter = false;

  /** `bodyless`: the request was HEAD, so no answer has a body. */
  constructor(private readonly bodyless: boolean) {}

  /** True while a response has begun but is not complete. */
  get inResponse(): boolean {
    return this.state !== State.Head || this.partial !== undefined;
  }

  /**
   * Feed bytes; returns the response when it completed in this chunk, otherwise undefined.
   * Throws ProtocolError on malformed input or bytes after the end of the response.
   */
  push(chunk: Buffer): ParsedResponse | undefined {
    let buffer = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    this.partial = undefined;
    while (true) {
      switch (this.state) {
        case State.Head: {
          const end = buffer.indexOf(HEAD_END);
          if (end < 0) return this.keep(buffer);
          const framing = this.parseHead(buffer.toString('latin1', 0, end));
          buffer = buffer.subarray(end + 4);
          if (framing === 'interim') continue; // e.g. 100 Continue: the real answer follows
          if (framing === 'none') return this.finish(buffer);
          break;
        }
        case State.Body: {
          const take = Math.min(this.remaining, buffer.length);
          this.remaining -= take;
          buffer = buffer.subarray(take);
          if (this.remaining > 0) return undefined;
          return this.finish(buffer);
        }
        case State.ChunkSize: {
          const end = buffer.indexOf(CRLF);
          if (end < 0) return this.keep(buffer);
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
          if (this.remaining > 0) return undefined;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const end = buffer.indexOf(CRLF);
          if (end < 0) return this.keep(buffer);
          buffer = buffer.subarray(end + 2);
          if (end === 0) return this.finish(buffer);
          break;
        }
        case State.UntilClose:
          return undefined;
      }
    }
  }

  /** The connection closed: completes a close-delimited body, otherwise nothing. */
  end(): ParsedResponse | undefined {
    if (this.state !== State.UntilClose) return undefined;
    return this.finish(Buffer.alloc(0));
  }

  reset(): void {
    this.state = State.Head;
    this.partial = undefined;
  }

  private keep(buffer: Buffer): undefined {
    if (buffer.length > MAX_HEAD_BYTES) throw new ProtocolError('response head too large');
    if (buffer.length > 0) this.partial = Buffer.from(buffer);
    return undefined;
  }

  private finish(rest: Buffer): ParsedResponse {
    if (rest.length > 0) throw new ProtocolError('bytes after the end of the response');
    this.state = State.Head;
    return { status: this.status, closeAfter: this.closeAfter };
  }

  /** Parses the head and sets the body state; returns how the body is framed. */
  private parseHead(head: string): 'interim' | 'none' | 'body' {
    if (!head.startsWith('HTTP/1.')) throw new ProtocolError('not an HTTP/1.x response');
    const status = Number(head.slice(9, 12));
    if (!Number.isInteger(status) || status < 100 || status > 999) throw new ProtocolError('bad status line');
    this.status = status;
    this.closeAfter = head.startsWith('HTTP/1.0');
    let contentLength = -1;
    let chunked = false;
    let lineStart = head.indexOf('\r\n') + 2;
    while (lineStart > 1 && lineStart < head.length) {
      const lineEnd = head.indexOf('\r\n', lineStart);
      const line = head.slice(lineStart, lineEnd < 0 ? head.length : lineEnd);
      lineStart = lineEnd < 0 ? head.length : lineEnd + 2;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new ProtocolError('bad header line');
      const name = line.slice(0, colon).toLowerCase();
      if (name === 'content-length') {
        contentLength = Number(line.slice(colon + 1).trim());
        if (!Number.isInteger(contentLength) || contentLength < 0)
          throw new ProtocolError('bad content-length');
      } else if (name === 'transfer-encoding') {
        chunked = line
          .slice(colon + 1)
          .toLowerCase()
          .includes('chunked');
      } else if (name === 'connection') {
        const value = line
          .slice(colon + 1)
          .trim()
          .toLowerCase();
        if (value === 'close') this.closeAfter = true;
        else if (value === 'keep-alive') this.closeAfter = false;
      }
    }
    if (status < 200) return 'interim';
    if (this.bodyless || status === 204 || status === 304) return 'none';
    if (chunked) this.state = State.ChunkSize;
    else if (contentLength >= 0) {
      this.remaining = contentLength;
      this.state = State.Body;
    } else {
      this.state = State.UntilClose;
      this.closeAfter = true;
    }
    return 'body';
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
