/**
 * `${NAME}` in profile strings is replaced by the environment variable NAME, so that one profile
 * serves every pull request: `image: "registry.local/app:${GITHUB_SHA}"`, `url: "${TARGET_URL}"`.
 * An unset variable is an error naming it and the field (a silent empty string would measure the
 * wrong thing); `$${` writes a literal `${`. Only string values are substituted, never keys, and
 * the result is data: it is validated by the schema like any other value and never reaches a shell.
 */
import { UserError } from '../errors.js';
import { fieldPath } from '../util/issues.js';
import { registerSecret } from '../util/secrets.js';

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Characters the substituted values may add to a profile, all together: the profile's size cap
 * holds after substitution too (a 100 KB variable used 10,000 times is 1 GB of strings).
 */
export const MAX_SUBSTITUTED_CHARS = 2 * 1024 * 1024;

interface Budget {
  left: number;
}

function substitute(
  text: string,
  env: NodeJS.ProcessEnv,
  file: string,
  path: PropertyKey[],
  budget: Budget,
): string {
  return text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === '$${') return '${';
    if (!NAME.test(name ?? ''))
      throw new UserError(
        `${file}: ${fieldPath(path)}: "\${${name}}" is not a variable name (letters, digits and _)`,
      );
    const value = env[name!];
    if (value === undefined)
      throw new UserError(
        `${file}: ${fieldPath(path)}: environment variable ${name} is not set (used as \${${name}})`,
      );
    budget.left -= value.length;
    if (budget.left < 0)
      throw new UserError(
        `${file}: ${fieldPath(path)}: with \${${name}} (${value.length} characters) the environment variables substituted add more than ${MAX_SUBSTITUTED_CHARS} characters to the profile, more than a profile may hold`,
      );
    // A header's value from the environment is a credential more often than not (util/secrets.ts).
    if (path.includes('headers') || path.includes('cookies')) registerSecret(value);
    return value;
  });
}

/** A copy of a parsed YAML document with `${NAME}` replaced in every string value. */
export function substituteEnvironment(
  document: unknown,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  path: PropertyKey[] = [],
  budget: Budget = { left: MAX_SUBSTITUTED_CHARS },
): unknown {
  if (typeof document === 'string') return substitute(document, env, file, path, budget);
  if (Array.isArray(document))
    return document.map((item, i) => substituteEnvironment(item, file, env, [...path, i], budget));
  if (document !== null && typeof document === 'object')
    return Object.fromEntries(
      Object.entries(document).map(([key, value]) => [
        key,
        substituteEnvironment(value, file, env, [...path, key], budget),
      ]),
    );
  return document;
}
