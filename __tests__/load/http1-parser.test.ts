// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { Http1ResponseParser, ProtocolError, serializeRequest } from '../../src/load/http1-parser.js';

/** Feed `text` in pieces of `size` bytes; returns each completed response. */
function feed(parser: Http1ResponseParser, text: string, size: number) {
  const bytes = Buffer.from(text, 'latin1');
  const done = [];
  for (let i = 0; i < bytes.length; i += size) {
    const response = parser.push(bytes.subarray(i, i + size));
    if (response) done.push(response);
  }
  return done;
}

describe('HTTP/1.1 response parser', () => {
  const cases: [string, string, { status: number; closeAfter: boolean }][] = [
    [
      'content-length',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
      { status: 200, closeAfter: false },
    ],
    [
      'chunked with extension and trailer',
      'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n',
      { status: 201, closeAfter: false },
    ],
    [
      'interim 100 then answer',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
      { status: 204, closeAfter: false },
    ],
    [
      'connection: close',
      'HTTP/1.1 503 Busy\r\nconnection: Close\r\ncontent-length: 0\r\n\r\n',
      { status: 503, closeAfter: true },
    ],
    [
      'framing names in any case, look-alike names ignored, no reason phrase',
      'HTTP/1.1 200\r\nX-Content-Length: 99\r\nContent-Length-Extra: 7\r\nCONTENT-LENGTH: 2\r\nServer: nginx\r\n\r\nok',
      { status: 200, closeAfter: false },
    ],
    [
      'TRANSFER-ENCODING: Chunked',
      'HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n',
      { status: 200, closeAfter: false },
    ],
    [
      'HTTP/1.0 default close',
      'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx',
      { status: 200, closeAfter: true },
    ],
  ];
  test.each(cases)('%s, whole and byte by byte', (_, text, expected) => {
    expect(feed(new Http1ResponseParser(false), text, 1 << 20)).toEqual([expected]);
    expect(feed(new Http1ResponseParser(false), text, 1)).toEqual([expected]);
  });

  test('a body delimited by close completes at end()', () => {
    const parser = new Http1ResponseParser(false);
    expect(parser.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\nsome body'))).toBeUndefined();
    expect(parser.end()).toEqual({ status: 200, closeAfter: true });
  });

  test('HEAD answers have no body even with a content-length', () => {
    const parser = new Http1ResponseParser(true);
    expect(parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'))).toEqual({
      status: 200,
      closeAfter: false,
    });
  });

  test.each([
    ['garbage', 'SSH-2.0-OpenSSH\r\n\r\n'],
    ['bad length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['bytes after the answer', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy'],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['length with junk', 'HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n'],
    ['status not digits', 'HTTP/1.1 2x0 OK\r\n\r\n'],
    ['header without a colon', 'HTTP/1.1 200 OK\r\nContent-Length 0\r\n\r\n'],
  ])('%s is a protocol error', (_, text) => {
    expect(() => new Http1ResponseParser(false).push(Buffer.from(text))).toThrow(ProtocolError);
  });

  test('requests are serialized once with host and length', () => {
    const get = serializeRequest({
      method: 'GET',
      path: '/a?b=1',
      host: '127.0.0.1:8080',
      headers: { 'x-id': '7' },
      body: '',
    }).toString();
    expect(get).toBe('GET /a?b=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nx-id: 7\r\n\r\n');
    const post = serializeRequest({
      method: 'POST',
      path: '/',
      host: 'h',
      headers: {},
      body: 'héllo',
    }).toString();
    expect(post).toBe('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nhéllo');
  });
});
