import { spawn } from 'node:child_process';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import { nodeArgsFor } from '../../src/util/entry.js';
import { releaseTimeMs, startSampleServer, type SampleServer } from '../../src/sample-server/server.js';

const servers: SampleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startSampleServer>[0]) {
  const server = await startSampleServer(options);
  servers.push(server);
  return server;
}

/** One GET with a fresh connection; resolves with status, body length and elapsed ms. */
function get(url: string): Promise<{ status: number; bytes: number; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent: false }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, bytes, elapsedMs: performance.now() - started }),
        );
      })
      .on('error', reject);
  });
}

describe('stall arithmetic', () => {
  test.each([
    [50, 0, 200], // due inside the stall [0, 200): held until it ends
    [199.5, 0, 200],
    [200, 0, 200], // after the stall: unchanged
    [1999, 0, 1999],
    [2050, 0, 2200], // the next period's stall [2000, 2200)
    [150, 100, 300], // stalls counted from the server's start
    [50, 100, 50],
  ])('due %p ms, start %p ms → released at %p ms (S = 200, P = 2000)', (due, start, released) => {
    expect(releaseTimeMs(due, start, 200, 2000)).toBe(released);
  });

  test('no stall configured leaves the deadline alone', () => {
    expect(releaseTimeMs(123.4, 0, 0, 0)).toBe(123.4);
  });
});

describe('sample server', () => {
  test('answers after the delay with the requested number of bytes', async () => {
    const server = await start({ delayMs: 30, responseBytes: 100 });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const answer = await get(server.url);
    expect(answer.status).toBe(200);
    expect(answer.bytes).toBe(100);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(29);
    expect(answer.elapsedMs).toBeLessThan(1000);
  });

  test('holds answers during a stall', async () => {
    const server = await start({ delayMs: 0, stallMs: 600, stallEveryMs: 100_000 });
    const answer = await get(server.url); // sent at the start of the first stall
    expect(answer.elapsedMs).toBeGreaterThan(200);
  });

  test('a tail share delays every n-th answer by tailMs, the rest not at all', async () => {
    const server = await start({ delayMs: 0, tailShare: 0.25, tailMs: 400 });
    const elapsed: number[] = [];
    for (let i = 0; i < 8; i++) elapsed.push((await get(server.url)).elapsedMs);
    // 25% of 8, spread evenly: the 4th and the 8th are the two slowest (robust to a busy machine).
    const slowest = elapsed
      .map((ms, i) => [ms, i])
      .sort((a, b) => b[0] - a[0])
      .slice(0, 2)
      .map(([, i]) => i);
    expect(slowest.sort()).toEqual([3, 7]);
    expect(elapsed[3]).toBeGreaterThanOrEqual(399);
    expect(elapsed[7]).toBeGreaterThanOrEqual(399);
  });

  test("onAnswered sees each answer's service time from the read and its lateness past the due time", async () => {
    const seen: { serviceMs: number; lateMs: number }[] = [];
    const server = await start({
      delayMs: 20,
      tailShare: 0.5,
      tailMs: 100,
      onAnswered: (serviceMs, lateMs) => seen.push({ serviceMs, lateMs }),
    });
    for (let i = 0; i < 4; i++) await get(server.url);
    expect(seen).toHaveLength(4);
    // Every other answer carries the tail: part of its service time, not lateness.
    const service = seen.map((s) => s.serviceMs);
    expect(service.filter((ms) => ms >= 120)).toHaveLength(2);
    for (const { serviceMs, lateMs } of seen) {
      expect(serviceMs).toBeGreaterThanOrEqual(20);
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThan(serviceMs >= 120 ? serviceMs - 119 : serviceMs - 19);
    }
  });

  test('reads a request body before answering', async () => {
    const server = await start({ delayMs: 1 });
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(server.url, { method: 'POST', agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end('x'.repeat(10_000));
    });
    expect(status).toBe(200);
  });

  test('speaks h2c with http2: true', async () => {
    const server = await start({ http2: true, delayMs: 1 });
    const session = http2.connect(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const stream = session.request({ ':path': '/' });
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', reject);
      stream.resume();
    });
    session.close();
    expect(status).toBe(200);
  });

  test('close() ends open keep-alive connections', async () => {
    const server = await startSampleServer({});
    const agent = new http.Agent({ keepAlive: true });
    await new Promise((resolve) => http.get(server.url, { agent }, (r) => r.resume().on('end', resolve)));
    await server.close();
    agent.destroy();
    await expect(get(server.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('sample server on raw HTTP/1.1', () => {
  /** Writes `text` on one connection and collects everything until the server closes or `until` matches. */
  function exchange(url: string, text: string | string[], until?: RegExp): Promise<string> {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let received = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(received);
      }, 3000);
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      };
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        if (until?.test(received)) done();
      });
      socket.on('end', done);
      socket.on('error', reject);
      const parts = Array.isArray(text) ? text : [text];
      parts.forEach((part, i) => setTimeout(() => socket.write(part), i * 20));
    });
  }
  const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

  test('answers pipelined requests in order, the HEAD one without a body', async () => {
    const server = await start({ delayMs: 5, jitterMs: 20, responseBytes: 3 });
    const text = await exchange(
      server.url,
      'GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const answers = text.split('HTTP/1.1 200 OK').slice(1);
    expect(answers).toHaveLength(3);
    expect(answers[0]).toMatch(/Content-Length: 3\r\n\r\nxxx$/);
    expect(answers[1]).toMatch(/\r\n\r\n$/);
    expect(answers[2]).toMatch(/Connection: close\r\n\r\nxxx$/);
  });

  test('reads chunked and Content-Length bodies split over several writes', async () => {
    const server = await start({ delayMs: 1 });
    const text = await exchange(
      server.url,
      [
        'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab',
        'cd\r\n0\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc',
        'def',
      ],
      /(HTTP\/1\.1 200[^]*){2}xxxxxxxxxxxxxxxx$/,
    );
    expect(count(text, /HTTP\/1\.1 200 OK/g)).toBe(2);
  });

  test('sends 100 Continue before the body of an Expect request', async () => {
    const server = await start({ delayMs: 1 });
    const text = await exchange(
      server.url,
      ['POST / HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n', 'ok'],
      /200 OK[^]*x$/,
    );
    expect(text.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK')).toBe(true);
  });

  test('closes after an HTTP/1.0 request', async () => {
    const server = await start({ delayMs: 1 });
    const text = await exchange(server.url, 'GET / HTTP/1.0\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n/);
  });

  test.each([
    ['a malformed request line', 'NOT HTTP\r\n\r\n', '400 Bad Request'],
    ['an unknown transfer coding', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', '400 Bad Request'],
    ['a head over 64 KiB', `GET / HTTP/1.1\r\nX: ${'a'.repeat(70_000)}`, '431 '],
  ])('answers %s with an error and closes', async (_, request, status) => {
    const server = await start({ delayMs: 1 });
    const text = await exchange(server.url, request);
    expect(text.startsWith(`HTTP/1.1 ${status}`)).toBe(true);
    expect(text).toMatch(/Connection: close/);
  });
});

describe('sample server process', () => {
  test('prints its URL when ready and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [...nodeArgsFor('sample-server'), '--port', '0', '--delay-ms', '1'],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(line).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
      expect((await get(line.slice('listening '.length))).status).toBe(200);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });

  test('with --service-stats, SIGUSR2 prints the answers since the last print and starts anew', async () => {
    const child = spawn(
      process.execPath,
      [...nodeArgsFor('sample-server'), '--port', '0', '--delay-ms', '5', '--service-stats'],
      { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const nextLine = () =>
      new Promise<string>((resolve, reject) => {
        const onData = () => {
          const end = out.indexOf('\n');
          if (end < 0) return;
          const line = out.slice(0, end);
          out = out.slice(end + 1);
          child.stdout.off('data', onData);
          resolve(line);
        };
        child.stdout.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
    try {
      const url = (await nextLine()).slice('listening '.length);
      for (let i = 0; i < 3; i++) expect((await get(url)).status).toBe(200);
      const first = nextLine();
      child.kill('SIGUSR2');
      const stats = JSON.parse((await first).replace(/^service-stats /, ''));
      expect(stats.count).toBe(3);
      expect(stats.service.p50).toBeGreaterThanOrEqual(5);
      expect(stats.late.max).toBeLessThan(stats.service.max);
      const second = nextLine();
      child.kill('SIGUSR2');
      expect(JSON.parse((await second).replace(/^service-stats /, '')).count).toBe(0);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });

  test('a bad flag exits 2', async () => {
    const child = spawn(process.execPath, [...nodeArgsFor('sample-server'), '--delay-ms', 'soon'], {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--delay-ms/);
  });
});
