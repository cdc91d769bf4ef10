/** The sample server as its own process (so it does not share a thread with the generator). */
import type { LatencySummaryMs } from '../../src/load/types.js';
import { nodeArgsFor } from '../../src/util/entry.js';
import { startProcess, stopProcess, waitForLine } from './processes.js';

/** The server's own view of the answers since the last call (sample server's --service-stats). */
export interface ServiceStats {
  count: number;
  /** From the read of a request to the write of its answer. */
  service: LatencySummaryMs;
  /** How far past its due time each answer was written: the server's own pauses. */
  late: LatencySummaryMs;
}

export interface ServerProcess {
  url: string;
  /** Only for a server started with `'service-stats': true`: its view since the last call. */
  serviceStats(): Promise<ServiceStats>;
  stop(): Promise<void>;
}

export async function startSampleServerProcess(flags: Record<string, number | true>): Promise<ServerProcess> {
  const args = Object.entries(flags).flatMap(([name, value]) =>
    value === true ? [`--${name}`] : [`--${name}`, String(value)],
  );
  const child = startProcess(process.execPath, [...nodeArgsFor('sample-server'), ...args], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  try {
    const [, url] = await waitForLine(child, /^listening (\S+)$/m);
    return {
      url,
      serviceStats: async () => {
        if (flags['service-stats'] !== true) throw new Error('started without service-stats');
        const line = waitForLine(child, /^service-stats (\{.*\})$/m, 5000);
        child.kill('SIGUSR2');
        return JSON.parse((await line)[1]) as ServiceStats;
      },
      stop: () => stopProcess(child),
    };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}
