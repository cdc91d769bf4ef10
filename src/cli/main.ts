/**
 * meshgate — the command-line door into the same pipeline the GitHub Action runs.
 * Exit codes: 0 pass (or measured), 1 a gate failed, 2 bad input, 3 setup or measurement failed.
 */
import { MeshgateError, errorMessage } from '../errors.js';
import { killAllNow, stopAll } from '../system/processes.js';
import { stderrLogger } from '../util/log.js';
import { MESHGATE_VERSION } from '../version.js';
import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { didYouMean } from '../profile/suggest.js';

const usage = () => `meshgate ${MESHGATE_VERSION} — gate pull requests on service-mesh performance

Usage: meshgate COMMAND [options]     (meshgate COMMAND --help for details)

Commands:
${commands.map((c: Command) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Exit codes: 0 pass, 1 a gate failed (regression), 2 bad input, 3 the system under test
could not be set up or measured.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${MESHGATE_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const hint = didYouMean(
      name,
      commands.map((c) => c.name),
    );
    process.stderr.write(`meshgate: unknown command "${name}"${hint}\n\n${usage()}\n`);
    return 2;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      killAllNow();
      process.exit(130);
    }
    process.stderr.write(`\nmeshgate: ${signal} received, stopping and cleaning up…\n`);
    controller.abort(new MeshgateError(`interrupted by ${signal}`, 3));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAllNow);
  const quiet = rest.includes('--quiet') || rest.includes('-q');
  const verbose = rest.includes('--verbose') || rest.includes('-v');
  try {
    return await command.run(rest, {
      out: (text) => process.stdout.write(`${text}\n`),
      log: stderrLogger({ quiet, verbose }),
      signal: controller.signal,
    });
  } catch (error) {
    await stopAll();
    if (controller.signal.aborted) {
      process.stderr.write(
        `meshgate: ${errorMessage(controller.signal.reason)}; everything started was stopped\n`,
      );
      return 130;
    }
    if (error instanceof MeshgateError) {
      process.stderr.write(`meshgate: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `meshgate: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 3;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
