/**
 * Errors that end a meshgate run, each with the exit code of DESIGN's CLI contract:
 *   1 a gate failed, 2 bad input (profile, results, baseline, arguments),
 *   3 the system under test could not be set up or measured.
 * A UserError's message is shown as is, without a stack trace.
 */
export class MeshgateError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: a profile, results or baseline file, or command-line arguments. Exit code 2. */
export class UserError extends MeshgateError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The system under test could not be started, reached or measured. Exit code 3. */
export class SetupError extends MeshgateError {
  constructor(message: string) {
    super(message, 3);
  }
}

/** Render any value the way error messages quote it: strings in quotes, short. */
export function quoteValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
