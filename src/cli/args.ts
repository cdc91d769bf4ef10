/** Command-line parsing on node:util's parseArgs, with user errors (exit 2) instead of exceptions. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError, errorMessage } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: Options, positionals: { min: number; max: number }): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (error) {
    throw new UserError(`meshgate ${command}: ${errorMessage(error).replace(/^TypeError \[[A-Z_]+\]: /, '')} (see meshgate ${command} --help)`);
  }
  const count = parsed.positionals.length;
  if (!parsed.values.help && (count < positionals.min || count > positionals.max))
    throw new UserError(
      `meshgate ${command}: expected ${positionals.min === positionals.max ? positionals.min : `${positionals.min}–${positionals.max}`} argument(s), got ${count} (see meshgate ${command} --help)`,
    );
  return parsed;
}

export const commonOptions: Options = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
};
