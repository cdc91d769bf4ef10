/**
 * One worker's share run in this thread against real loopback sockets. Assertions are on counts
 * and orderings, never on tight timings.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { decodeHistogram } from '../../src/load/histogram.js';
import { startSampleServer, type SampleServer } from '../../src/sample-server/server.js';
import { answerWith, job, rawServer, refusedUrl, runInline, type RawServer } from './load-helpers.js';

const servers: (RawServer | SampleServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function sample(options: Parameters<typeof startSampleServer>[0] = {}) {
  const server = await startSampleServer(options);
  servers.push(server);
  return server;
}
async function raw(onConnection: Parameters<typeof rawServer>[0]) {
  const server = await rawServer(onConnection);
  servers.push(server);
  return server;
}

describe('open loop', () => {
  test('sends exactly rate × duration measured requests; warm-up is not recorded', async () => {
    const server = await sample();
    const result = await runInline(job(server.url, { rps: 400, durationS: 0.5, warmupS: 0.25 }));
    expect(result.requests).toBe(200);
    expect(result.statusCodes).toEqual({ '200': 200 });
    expect(decodeHistogram(result.histogram).totalCount).toBe(200);
    expect(decodeHistogram(result.lagHistogram).totalCount).toBe(200);
  });

  test('queues when every connection is busy, without lowering the rate; the wait counts', async () => {
    // One connection, answers after 20 ms, 100 rps: capacity is 50 rps, so a backlog builds.
    const server = await sample({ delayMs: 20 });
    const result = await runInline(
      job(server.url, { rps: 100, connections: 1, durationS: 0.6, timeoutMs: 5000 }),
    );
    expect(result.requests).toBe(60);
    expect(result.errorsByKind).toEqual({});
    const corrected = decodeHistogram(result.histogram);
    const uncorrected = decodeHistogram(result.uncorrectedHistogram);
    expect(uncorrected.getValueAtPercentile(90)).toBeLessThan(200_000); // service time stays ~20 ms
    expect(corrected.maxValue).toBeGreaterThan(250_000); // the last requests waited ~300 ms
    expect(corrected.getValueAtPercentile(90)).toBeGreaterThan(2 * uncorrected.getValueAtPercentile(90));
    expect(decodeHistogram(result.lagHistogram).maxValue).toBeGreaterThan(200_000);
    expect(result.lastSendOffsetMs).toBeGreaterThan(600); // fell behind: sent after the planned end
  });

  test('closed loop (rps 0) keeps every connection busy', async () => {
    const server = await sample();
    const result = await runInline(job(server.url, { rps: 0, connections: 2, durationS: 0.3 }));
    expect(result.requests).toBeGreaterThan(50);
    expect(result.statusCodes['200']).toBe(result.requests);
    expect(decodeHistogram(result.lagHistogram).totalCount).toBe(0);
  });
});

describe('errors are classified and counted', () => {
  test('connection refused', async () => {
    const result = await runInline(job(await refusedUrl(), { rps: 100, durationS: 0.3 }));
    expect(result.requests).toBe(30);
    expect(result.errorsByKind).toEqual({ connect_refused: 30 });
    expect(decodeHistogram(result.histogram).totalCount).toBe(0);
  });

  test('reset by the server, then reconnect', async () => {
    let count = 0;
    const response = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const server = await raw((socket) =>
      socket.on('data', () => {
        if (++count % 2 === 0) socket.resetAndDestroy();
        else socket.write(response);
      }),
    );
    const result = await runInline(job(server.url, { rps: 100, connections: 2, durationS: 0.4 }));
    expect(result.requests).toBe(40);
    expect(result.errorsByKind.reset).toBeGreaterThanOrEqual(10);
    expect(result.statusCodes['200']).toBeGreaterThanOrEqual(10);
    expect(result.errorsByKind.reset + result.statusCodes['200']).toBe(40);
  });

  test('a server that hangs gives timeouts, and the run still ends', async () => {
    const server = await raw(() => {});
    const started = performance.now();
    const result = await runInline(
      job(server.url, { rps: 50, connections: 2, durationS: 0.3, timeoutMs: 150 }),
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.requests).toBe(15);
    expect(result.errorsByKind).toEqual({ timeout: 15 });
  });

  test('non-2xx answers count as status_<code>, keep their latency, and keep-alive survives', async () => {
    const server = await raw(answerWith(503));
    const result = await runInline(job(server.url, { rps: 100, durationS: 0.3 }));
    expect(result.errorsByKind).toEqual({ status_503: 30 });
    expect(result.statusCodes).toEqual({ '503': 30 });
    expect(decodeHistogram(result.histogram).totalCount).toBe(30);
  });

  test('Connection: close answers reconnect for the next request', async () => {
    const server = await raw(answerWith(200, 'Connection: close\r\n'));
    const result = await runInline(job(server.url, { rps: 100, connections: 1, durationS: 0.3 }));
    expect(result.statusCodes).toEqual({ '200': 30 });
  });

  test('garbage instead of HTTP is a protocol error', async () => {
    const server = await raw((socket) => socket.on('data', () => socket.write('SSH-2.0-x\r\n\r\n')));
    const result = await runInline(job(server.url, { rps: 100, durationS: 0.2 }));
    expect(result.errorsByKind).toEqual({ protocol: 20 });
  });
});
