/**
 * The user's own proxy configuration (a mesh entry's config / include / global_include, see
 * docs/data-plane-builds.md), shared by nginx, HAProxy and Envoy:
 *  - placeholders: `{{name}}` in the user's files is replaced by what only meshgate knows at run
 *    time (ports, the hop's folder, per-run certificates); an unknown name is exit 2;
 *  - the proxy's own check (`nginx -t`, `haproxy -c`, `envoy --mode validate`) runs on the
 *    rendered config before the proxy starts; a rejection is exit 2 with the proxy's message and
 *    the profile field. Every command is an argv array: nothing from a profile reaches a shell.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../../../errors.js';
import type { DataPlaneFiles, MeshSpec } from '../../../profile/types.js';
import { outputTail, run } from '../../../system/run-command.js';
import type { HopPlan } from './topology.js';

const CHECK_TIMEOUT_MS = 30_000;

export type UserFileKey = 'config' | 'include' | 'globalInclude';
const YAML_KEYS: Record<UserFileKey, string> = { config: 'config', include: 'include', globalInclude: 'global_include' };

/** "mesh[1].builds.head.include" */
export const fieldOf = (files: DataPlaneFiles, key: UserFileKey): string => `${files.field}.${YAML_KEYS[key]}`;

/** The values a hop's placeholders take. TLS names exist only when the hop's listener terminates TLS. */
export function placeholderValues(plan: HopPlan, hopDir: string, userFile: string): Record<string, string> {
  const values: Record<string, string> = {
    listen: `${plan.listen.host}:${plan.listen.port}`,
    listen_host: plan.listen.host,
    listen_port: String(plan.listen.port),
    upstream: `${plan.upstream.host}:${plan.upstream.port}`,
    upstream_host: plan.upstream.host,
    upstream_port: String(plan.upstream.port),
    prefix: hopDir,
    hop: plan.role,
    config_dir: dirname(userFile),
  };
  if (plan.listen.tls)
    Object.assign(values, { tls_cert: plan.listen.tls.certPath, tls_key: plan.listen.tls.keyPath, tls_pem: plan.listen.tls.pemPath });
  return values;
}

/** Replace every `{{name}}`; a name with no value is exit 2 naming the field, the file and the line. */
export function fillPlaceholders(text: string, values: Record<string, string>, where: string): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (match, name: string, offset: number) => {
    if (Object.hasOwn(values, name)) return values[name];
    const line = text.slice(0, offset).split('\n').length;
    const known = Object.keys(values).join(', ');
    const tlsHint = name.startsWith('tls_') ? ' (tls_* placeholders need tls: true)' : '';
    throw new UserError(`${where}, line ${line}: unknown placeholder ${match}${tlsHint}; known: ${known}`);
  });
}

/** Read one of the user's files and fill its placeholders for this hop. */
export async function renderUserFile(files: DataPlaneFiles, key: UserFileKey, plan: HopPlan, hopDir: string): Promise<string> {
  const path = files[key]!;
  const where = `${fieldOf(files, key)} (${path})`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`${where}: cannot read the file: ${(error as Error).message}`);
  }
  return fillPlaceholders(text, placeholderValues(plan, hopDir, path), where);
}

/** A full config knows one listener and one upstream: it describes a one-hop data plane. */
export function checkUserSpec(spec: MeshSpec): void {
  if (spec.dataPlane?.config && spec.hops !== 1)
    throw new UserError(
      `${fieldOf(spec.dataPlane, 'config')}: a full proxy config describes one proxy, so it needs hops: 1; use include to add to both hops of a two-hop data plane`,
    );
}

/**
 * Run the proxy's own check mode on a rendered config. Exit 2 when it rejects the config, with
 * the last lines of its message; exit 3 (SetupError from run) when the check could not run.
 */
export async function checkWithProxy(
  proxyName: string,
  binary: string,
  args: string[],
  files: DataPlaneFiles,
  /** Rendered copies of the user's files → the files as the user knows them, for the message. */
  renamed: Record<string, string> = {},
): Promise<void> {
  const result = await run(binary, args, { timeoutMs: CHECK_TIMEOUT_MS });
  if (result.exitCode === 0 && !result.timedOut) return;
  // Warnings about meshgate's own lines would bury the error; the user's paths replace the copies'.
  let output = outputTail({ stdout: result.stdout, stderr: result.stderr.split('\n').filter((line) => !/\[warn\]/.test(line)).join('\n') }, 8);
  for (const [copy, original] of Object.entries(renamed)) output = output.replaceAll(copy, original);
  const which = (['config', 'include', 'globalInclude'] as const).filter((key) => files[key]).map((key) => `${fieldOf(files, key)} (${files[key]})`);
  throw new UserError(
    `${which.join(', ')}: ${proxyName} rejected the data plane's config (\`${result.command}\`${result.timedOut ? ' timed out' : `, exit code ${result.exitCode}`}):\n${output}`,
  );
}
