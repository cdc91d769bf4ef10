/**
 * dist/loadgen entry: runs one job and prints exactly one LoadTrial JSON line on stdout. The job
 * comes from `--job '<json>'` (or `--job=<json>`) or the MESHGATE_JOB environment variable; the run
 * begins at the job's startAtEpochMs, so several generators (pods) start together.
 * Exit codes: 0 done, 2 bad job, 3 the target could not be measured, 130/143 interrupted.
 */
import { errorMessage, MeshgateError } from '../errors.js';
import { runLoad } from './engine.js';
import { parseJobJson } from './job-schema.js';

function jobText(args: string[]): { text: string; source: string } | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--job' && i + 1 < args.length) return { text: args[i + 1], source: '--job' };
    if (args[i].startsWith('--job=')) return { text: args[i].slice('--job='.length), source: '--job' };
  }
  const env = process.env.MESHGATE_JOB;
  return env ? { text: env, source: 'MESHGATE_JOB' } : undefined;
}

async function main(): Promise<number> {
  const input = jobText(process.argv.slice(2));
  if (!input) {
    process.stderr.write("loadgen: no job: pass --job '<json>' or set MESHGATE_JOB\n");
    return 2;
  }
  const controller = new AbortController();
  let signalCode = 0;
  const onSignal = (code: number) => () => {
    signalCode = code;
    controller.abort(new Error('interrupted'));
  };
  process.once('SIGINT', onSignal(130));
  process.once('SIGTERM', onSignal(143));
  try {
    const job = parseJobJson(input.text, input.source);
    const trial = await runLoad(job, { signal: controller.signal });
    process.stdout.write(`${JSON.stringify(trial)}\n`);
    return 0;
  } catch (error) {
    if (signalCode) return signalCode;
    process.stderr.write(`loadgen: ${errorMessage(error)}\n`);
    return error instanceof MeshgateError ? error.exitCode : 3;
  }
}

main().then((code) => {
  process.exitCode = code;
});
