#!/usr/bin/env node
/** The `meshgate` executable (dist/cli/index.js). */
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything meshgate starts is stopped by now; should a stray handle keep the event loop
// alive, do not hang the caller's terminal or CI job.
setTimeout(() => process.exit(code), 2000).unref();
