/**
 * Secrets never copied into artifacts. results.json is uploaded as an artifact, report.html and
 * the SMP export are shared, the comment is public; none of them may carry a credential:
 *  - credentials in URLs (`http://admin:s3cret@host`) become `http://***@host`;
 *  - values of headers that carry credentials by name (Authorization, Cookie, X-Api-Key, …, and
 *    any name with token, secret, password, session or api key in it) become `***`;
 *  - a value substituted from the environment (`${TOKEN}`) into a header is registered as a secret
 *    and masked wherever it appears (this module's registry; the action also hands each one to
 *    GitHub's core.setSecret, which masks the job's log).
 * The load itself still sends the real values: only what is written or printed is redacted.
 */

export const MASK = '***';

const SECRET_HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'x-amz-security-token',
  'x-csrf-token',
  'x-xsrf-token',
  'private-token',
  'x-goog-api-key',
]);
const SECRET_HEADER_PATTERN = /token|secret|passw|api[-_]?key|session|credential|auth/i;

/** Does a header of this name carry a credential? */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER_NAMES.has(name.toLowerCase()) || SECRET_HEADER_PATTERN.test(name);
}

/** Shorter values are not masked in text (masking every "1" would garble numbers); the action still registers them. */
const MIN_MASKED_LENGTH = 4;
const registered = new Set<string>();
const listeners = new Set<(value: string) => void>();

/** Treat `value` as a secret from now on (masked in redactText, handed to listeners). */
export function registerSecret(value: string): void {
  if (value === '' || registered.has(value)) return;
  registered.add(value);
  for (const listener of listeners) listener(value);
}

/** Call `listener` for every secret registered so far and from now on (the action: core.setSecret). */
export function onSecret(listener: (value: string) => void): () => void {
  listeners.add(listener);
  for (const value of registered) listener(value);
  return () => listeners.delete(listener);
}

/**
 * Register what a profile (after `${…}` substitution) holds that is a credential: URL user
 * information (whole, and the password alone) and values of credential-carrying headers.
 */
export function registerSecretsIn(value: unknown, key?: string, inHeaders = false): void {
  if (typeof value === 'string') {
    if (inHeaders && key !== undefined && isSecretHeader(key)) registerSecret(value);
    for (const match of value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@"'<>]+)@/gi)) {
      registerSecret(match[1]);
      const password = match[1].split(':').slice(1).join(':');
      if (password) {
        registerSecret(password);
        try {
          registerSecret(decodeURIComponent(password));
        } catch {
          // not percent-encoded text: the raw form is registered
        }
      }
    }
  } else if (Array.isArray(value)) for (const item of value) registerSecretsIn(item);
  else if (value !== null && typeof value === 'object')
    for (const [name, child] of Object.entries(value))
      registerSecretsIn(child, name, key === 'headers' || key === 'cookies');
}

/** Forget registered secrets (tests). */
export function clearSecrets(): void {
  registered.clear();
}

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** A URL (or any text holding URLs) with its user information replaced by ***. */
export function redactUrl(text: string): string {
  return text.replace(URL_USERINFO, `$1${MASK}@`);
}

/** Text with URL credentials and every registered secret masked. */
export function redactText(text: string): string {
  let out = redactUrl(text);
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...registered].sort((a, b) => b.length - a.length))
    if (secret.length >= MIN_MASKED_LENGTH && out.includes(secret)) out = out.split(secret).join(MASK);
  return out;
}

/**
 * A deep copy of a profile (or any JSON-like value) as artifacts may show it: every string through
 * redactText, and the values of credential-carrying headers (in any `headers` mapping) masked.
 */
export function redactProfile<T>(value: T): T {
  const walk = (node: unknown, key: string | undefined, inHeaders: boolean): unknown => {
    if (typeof node === 'string')
      return inHeaders && key !== undefined && isSecretHeader(key) ? MASK : redactText(node);
    if (Array.isArray(node)) return node.map((item) => walk(item, undefined, false));
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(
        Object.entries(node).map(([name, child]) => [
          name,
          walk(child, name, key === 'headers' || key === 'cookies'),
        ]),
      );
    return node;
  };
  return walk(value, undefined, false) as T;
}
