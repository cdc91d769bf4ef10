/**
 * Worker-thread entry (dist/load-worker): connects its share of the connections, reports ready,
 * runs its share of the schedule from the start time the engine sends, and posts its result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { epochToLocalMs, type StartMessage, type WorkerInput, type WorkerMessage } from './messages.js';
import { ShareRunner } from './runner.js';
import { inheritFineSlack } from '../util/timer-slack.js';

async function main(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  const post = (message: WorkerMessage) => port.postMessage(message);
  inheritFineSlack(input.fineTimerSlack);
  try {
    const runner = new ShareRunner(input.spec);
    await runner.connect();
    port.once('message', (message: StartMessage) => {
      runner.run(epochToLocalMs(message.t0EpochMs)).then(
        // The engine terminates the worker once every result is in.
        (result) => post({ type: 'result', result }),
        (error: unknown) => post({ type: 'error', message: String((error as Error)?.stack ?? error) }),
      );
    });
    post({ type: 'ready' });
  } catch (error) {
    post({ type: 'error', message: String((error as Error)?.stack ?? error) });
  }
}

if (parentPort && workerData) void main(parentPort, workerData as WorkerInput);
