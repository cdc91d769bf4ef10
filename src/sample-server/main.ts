/**
 * Process entry of the sample server (dist/sample-server):
 *   --host H --port N --delay-ms D --jitter-ms J --response-bytes B --stall-ms S --stall-every-ms P
 *   --tail-share F --tail-ms T --concurrency C [--http2] [--service-stats]
 * Prints `listening http://HOST:PORT` once ready; exits cleanly on SIGTERM/SIGINT. With
 * --service-stats, SIGUSR2 prints `service-stats {json}` (the server's own view of the answers since
 * the last print: `service` from read to write, `late` past the due time; ms) and starts anew.
 */
import { parseArgs } from 'node:util';
import { createHistogram, recordUs, summarize } from '../load/histogram.js';
import { startSampleServer } from './server.js';

/** Histograms of the server's own view, printed and reset on SIGUSR2. */
function serviceStats(): (serviceMs: number, lateMs: number) => void {
  const service = createHistogram();
  const late = createHistogram();
  process.on('SIGUSR2', () => {
    const line = { count: service.totalCount, service: summarize(service), late: summarize(late) };
    service.reset();
    late.reset();
    process.stdout.write(`service-stats ${JSON.stringify(line)}\n`);
  });
  return (serviceMs, lateMs) => {
    recordUs(service, serviceMs * 1000);
    recordUs(late, lateMs * 1000);
  };
}

function numberFlag(values: Record<string, unknown>, name: string): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(value) || value < 0) {
    process.stderr.write(`sample-server: --${name} must be a number ≥ 0, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'delay-ms': { type: 'string' },
        'jitter-ms': { type: 'string' },
        'response-bytes': { type: 'string' },
        'stall-ms': { type: 'string' },
        'stall-every-ms': { type: 'string' },
        'tail-share': { type: 'string' },
        'tail-ms': { type: 'string' },
        concurrency: { type: 'string' },
        http2: { type: 'boolean' },
        'service-stats': { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`sample-server: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const server = await startSampleServer({
    host: values.host as string | undefined,
    port: numberFlag(values, 'port'),
    delayMs: numberFlag(values, 'delay-ms'),
    jitterMs: numberFlag(values, 'jitter-ms'),
    responseBytes: numberFlag(values, 'response-bytes'),
    stallMs: numberFlag(values, 'stall-ms'),
    stallEveryMs: numberFlag(values, 'stall-every-ms'),
    tailShare: numberFlag(values, 'tail-share'),
    tailMs: numberFlag(values, 'tail-ms'),
    concurrency: numberFlag(values, 'concurrency'),
    http2: values.http2 === true,
    onAnswered: values['service-stats'] === true ? serviceStats() : undefined,
  });
  const stop = () => {
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`listening ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`sample-server: ${(error as Error).message}\n`);
  process.exit(3);
});
