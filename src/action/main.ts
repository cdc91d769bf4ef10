/**
 * The action's entry point: inputs → runAction → outputs. One try/catch turns any error into
 * core.setFailed, and nothing runs after it.
 */
import * as core from '@actions/core';
import { errorMessage } from '../errors.js';
import { defaultDeps } from './deps.js';
import { readInputs } from './inputs.js';
import { runAction } from './run.js';
import { abortOnSignals } from './signals.js';

export async function main(): Promise<void> {
  try {
    const settings = readInputs();
    const outcome = await runAction(settings, defaultDeps(settings, abortOnSignals()));
    for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value);
    if (outcome.failure) core.setFailed(outcome.failure);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}

await main();
