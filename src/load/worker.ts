/**
 * Worker-thread entry (dist/load-worker). A worker serves one job after another: for each it
 * connects its share of the connections, reports ready, runs its share of the schedule from the
 * start time the engine sends, and posts its result. Kept between trials, its code stays
 * optimised and its heap settled, so a trial does not begin on a cold isolate.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  epochToLocalMs,
  type JobMessage,
  type StartMessage,
  type WorkerInput,
  type WorkerMessage,
} from './messages.js';
import { ShareRunner } from './runner.js';
import { inheritFineSlack } from '../util/timer-slack.js';

function serve(port: NonNullable<typeof parentPort>, input: WorkerInput): void {
  const post = (message: WorkerMessage) => port.postMessage(message);
  const fail = (error: unknown) => post({ type: 'error', message: String((error as Error)?.stack ?? error) });
  inheritFineSlack(input.fineTimerSlack);
  let runner: ShareRunner | undefined;
  port.on('message', (message: JobMessage | StartMessage) => {
    if (message.type === 'job') {
      try {
        const next = new ShareRunner(message.spec);
        runner = next;
        next.connect().then(() => post({ type: 'ready' }), fail);
      } catch (error) {
        fail(error);
      }
    } else if (message.type === 'start' && runner) {
      const current = runner;
      runner = undefined;
      current.run(epochToLocalMs(message.t0EpochMs)).then((result) => post({ type: 'result', result }), fail);
    }
  });
}

if (parentPort && workerData) serve(parentPort, workerData as WorkerInput);
