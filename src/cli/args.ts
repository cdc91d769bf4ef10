/** Command-line parsing on node:util's parseArgs, with user errors (exit 2) instead of exceptions. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError, errorMessage } from '../errors.js';
import { didYouMean } from '../util/suggest.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(
  command: string,
  argv: string[],
  options: Options,
  positionals: { min: number; max: number },
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (error) {
    throw new UserError(
      `meshgate ${command}: ${optionError(errorMessage(error), options)} (see meshgate ${command} --help)`,
    );
  }
  const count = parsed.positionals.length;
  if (!parsed.values.help && (count < positionals.min || count > positionals.max))
    throw new UserError(
      `meshgate ${command}: expected ${positionals.min === positionals.max ? positionals.min : `${positionals.min}–${positionals.max}`} argument(s), got ${count} (see meshgate ${command} --help)`,
    );
  return parsed;
}

/**
 * node:util's parseArgs messages in meshgate's words: "unknown option --markdwon; did you mean
 * --markdown?" instead of its advice to use "--" for positionals.
 */
export function optionError(message: string, options: Options): string {
  const text = message.replace(/^TypeError \[[A-Z_]+\]: /, '');
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(text);
  if (unknown) {
    const hint = didYouMean(unknown[2], Object.keys(options)).replace(/"([^"]+)"/, '--$1');
    return `unknown option ${unknown[1]}${unknown[2]}${hint}`;
  }
  const missing = /^Option '(?:-\w, )?--([^ ]+) <value>' argument missing/.exec(text);
  if (missing) return `--${missing[1]} needs a value`;
  return text.split('. ')[0];
}

export const commonOptions: Options = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
};
