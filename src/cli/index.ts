#!/usr/bin/env node
/** The `meshgate` executable (dist/cli/index.js). */
// First: its signal handlers cover the loading of everything else.
import { releaseEarlySignals } from './early-signals.js';
import { main } from './main.js';

const code = await main(process.argv.slice(2), { signalsInstalled: releaseEarlySignals });
// Exit now rather than when the event loop drains: a natural exit tears the environment down
// first, closing the signal handlers, and a Ctrl-C arriving during that teardown (tens of ms
// after a run stopped by a first Ctrl-C) would end the process by the signal instead of 130.
// process.exit keeps the handlers until the end. stdout and stderr are synchronous for files
// and pipes on Linux; the drain callback covers the other cases. Everything meshgate started
// is stopped by now.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
setTimeout(() => process.exit(code), 2000).unref();
