/** The sample server as its own process (so it does not share a thread with the generator). */
import { nodeArgsFor } from '../../src/util/entry.js';
import { startProcess, stopProcess, waitForLine } from './processes.js';

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startSampleServerProcess(flags: Record<string, number>): Promise<ServerProcess> {
  const args = Object.entries(flags).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const child = startProcess(process.execPath, [...nodeArgsFor('sample-server'), ...args], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  try {
    const [, url] = await waitForLine(child, /^listening (\S+)$/m);
    return { url, stop: () => stopProcess(child) };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}
