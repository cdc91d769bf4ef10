/**
 * `${NAME}` in profile strings is replaced by the environment variable NAME, so that one profile
 * serves every pull request: `image: "registry.local/app:${GITHUB_SHA}"`, `url: "${TARGET_URL}"`.
 * An unset variable is an error naming it and the field (a silent empty string would measure the
 * wrong thing); `$${` writes a literal `${`. Only string values are substituted, never keys, and
 * the result is data: it is validated by the schema like any other value and never reaches a shell.
 */
import { UserError } from '../errors.js';
import { fieldPath } from './issues.js';
import { registerSecret } from '../util/secrets.js';

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function substitute(text: string, env: NodeJS.ProcessEnv, file: string, path: PropertyKey[]): string {
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
): unknown {
  if (typeof document === 'string') return substitute(document, env, file, path);
  if (Array.isArray(document))
    return document.map((item, i) => substituteEnvironment(item, file, env, [...path, i]));
  if (document !== null && typeof document === 'object')
    return Object.fromEntries(
      Object.entries(document).map(([key, value]) => [
        key,
        substituteEnvironment(value, file, env, [...path, key]),
      ]),
    );
  return document;
}
