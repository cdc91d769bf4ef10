/**
 * A lean HTTP/1.1 server over raw sockets for the sample server: keep-alive, pipelined requests
 * answered in order, Content-Length and chunked request bodies, `Expect: 100-continue`,
 * `Connection: close` and HTTP/1.0. Every answer is one write of prebuilt bytes. node:http spends
 * tens of microseconds per answer; when a stall releases 200 held answers at once that blocked
 * the event loop for milliseconds, and requests arriving just after the stall paid for it.
 */
import net from 'node:net';
import { HeadTooLargeError, Http1RequestParser, type ParsedRequest } from '../load/http1-parser.js';

/** Called when a request has been read (`readMs` = performance.now() of that read); call `reply` to answer it. */
export type RequestHandler = (readMs: number, reply: () => void) => void;

interface Pending {
  ready: boolean;
  answer: Buffer;
  close: boolean;
}

const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
const refusal = (status: string) =>
  Buffer.from(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, 'latin1');
const BAD_REQUEST = refusal('400 Bad Request');
const TOO_LARGE = refusal('431 Request Header Fields Too Large');

/** The four prebuilt answers: with or without body (HEAD), keep-alive or closing. */
function answers(body: Buffer, contentType: string) {
  const head = (close: boolean) =>
    Buffer.from(
      `HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n` +
        `${close ? 'Connection: close\r\n' : ''}\r\n`,
      'latin1',
    );
  return {
    keep: Buffer.concat([head(false), body]),
    close: Buffer.concat([head(true), body]),
    headKeep: head(false),
    headClose: head(true),
  };
}

export function createHttp1Server(body: Buffer, contentType: string, onRequest: RequestHandler): net.Server {
  const bytes = answers(body, contentType);
  const server = net.createServer({ noDelay: true }, (socket) => {
    const queue: Pending[] = [];
    let ended = false;
    const flush = () => {
      while (queue.length > 0 && queue[0].ready && !ended) {
        const next = queue.shift()!;
        if (socket.destroyed) return;
        if (next.close) {
          ended = true;
          socket.end(next.answer);
        } else socket.write(next.answer);
      }
    };
    const refuse = (answer: Buffer) => {
      ended = true;
      queue.length = 0;
      socket.end(answer);
    };
    let readMs = 0;
    const parser = new Http1RequestParser(
      (request: ParsedRequest) => {
        if (ended) return;
        const close = request.closeAfter;
        const answer =
          request.method === 'HEAD'
            ? close
              ? bytes.headClose
              : bytes.headKeep
            : close
              ? bytes.close
              : bytes.keep;
        const pending: Pending = { ready: false, answer, close };
        queue.push(pending);
        onRequest(readMs, () => {
          pending.ready = true;
          flush();
        });
      },
      () => socket.write(CONTINUE),
    );
    socket.on('data', (chunk: Buffer) => {
      if (ended) return;
      readMs = performance.now();
      try {
        parser.push(chunk);
      } catch (error) {
        refuse(error instanceof HeadTooLargeError ? TOO_LARGE : BAD_REQUEST);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      ended = true;
      queue.length = 0;
    });
  });
  return server;
}
