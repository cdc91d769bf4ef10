/**
 * `meshgate run PROFILE --dry-run` for kind and kubernetes: the platform's own prepare() and
 * cleanup() run with every command diverted to a recorder (system/run-command.ts: a command
 * sink), so the plan printed is exactly what a run does, in order — tool downloads, cluster
 * creation with its config, installs, every manifest applied, one trial's generator Job per
 * variant — and nothing reaches a cluster, Docker or the network. Where a real run would read an
 * answer (the current context, the nodes' architecture, whether a mesh is already installed), the
 * plan assumes the usual one and says so.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { loadJobFor } from '../../experiment.js';
import type { Profile } from '../../profile/types.js';
import { setCommandSink, type RunResult } from '../../system/run-command.js';
import { TOOL_RELEASES, TOOL_NAMES, type ToolName } from '../../system/tool-versions.js';
import type { Platform } from '../types.js';

/** Strings longer than this (the bundles in the ConfigMap) are shown by size only. */
const LONG_STRING_CHARS = 400;
export const ASSUMED_CONTEXT = 'CURRENT-CONTEXT';

function abbreviate(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > LONG_STRING_CHARS ? `<${Buffer.byteLength(value)} bytes, not shown>` : value;
  if (Array.isArray(value)) return value.map(abbreviate);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v)]));
  return value;
}

/** A YAML stream as the plan shows it: each document, long strings replaced by their size. */
export function showManifests(text: string): string {
  const documents = parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter((doc) => doc !== null && doc !== undefined);
  if (documents.length === 0) return text.trimEnd();
  return documents.map((doc) => stringify(abbreviate(doc), { lineWidth: 0 }).trimEnd()).join('\n---\n');
}

/** What the plan assumes a query would have answered. */
function answer(tool: string, args: readonly string[]): Pick<RunResult, 'exitCode' | 'stdout'> {
  const has = (arg: string) => args.includes(arg);
  const ok = (stdout = '') => ({ exitCode: 0, stdout });
  if (tool === 'kubectl') {
    if (has('current-context')) return ok(ASSUMED_CONTEXT);
    if (args.some((a) => a.includes('nodeInfo.architecture')))
      return ok(process.arch === 'arm64' ? 'arm64' : 'amd64');
    if (has('version')) return ok('{}');
    return ok(); // --ignore-not-found look-ups: nothing installed yet
  }
  if (tool === 'docker' && args[0] === 'image' && args[1] === 'inspect') return { exitCode: 1, stdout: '' };
  if ((TOOL_NAMES as readonly string[]).includes(tool) && args[0] === 'version')
    return ok(TOOL_RELEASES[tool as ToolName].version);
  if (tool === 'linkerd' && (args[0] === 'install' || args[0] === 'uninstall'))
    return ok(`# the manifests printed by \`linkerd ${args.join(' ')}\``);
  return ok();
}

/**
 * An argument as a POSIX shell reads it back: plain words as they are, anything else in single
 * quotes. The plan is for people to read and paste; an image tag such as `x:1$(touch f)` from a
 * profile must print as one inert word.
 */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Print the plan of `platform` (created by the registry for this plan, with its own work folder)
 * running `profile`: its prepare(), one trial's Job per variant (planTrial), and its cleanup().
 */
export async function writeRunPlan(
  profile: Profile,
  platform: Platform & Required<Pick<Platform, 'planTrial'>>,
  write: (text: string) => void,
): Promise<void> {
  let step = 0;
  const previous = setCommandSink((program, args, runOptions) => {
    const tool = basename(program);
    write(`\n# ${++step}\n$ ${[tool, ...args].map(shellQuote).join(' ')}`);
    const configAt = tool === 'kind' ? args.indexOf('--config') : -1;
    if (configAt >= 0) write(readFileSync(args[configAt + 1], 'utf8').trimEnd());
    if (runOptions.stdin) write(showManifests(runOptions.stdin));
    return { command: tool, stderr: '', timedOut: false, ...answer(tool, args) };
  });
  try {
    write(
      `# meshgate run ${profile.name} on ${platform.name}: the plan (nothing is run).\n` +
        `# Assumed: kubeconfig context ${ASSUMED_CONTEXT}, no mesh installed yet, images not in Docker.`,
    );
    const targets = await platform.prepare(profile);
    write(
      `\n# Then ${profile.trials} trials per variant in interleaved order. Each trial applies a generator Job ` +
        `(below: one per variant), waits for it, reads its pods' logs, and deletes it.`,
    );
    for (const target of targets) {
      const job = platform.planTrial(target, loadJobFor(profile, target));
      write(`\n# trial of ${target.variantId}\n$ kubectl apply --server-side -f -`);
      if (job) write(showManifests(stringify(job)));
    }
    write('\n# cleanup');
    await platform.cleanup();
  } finally {
    setCommandSink(previous);
  }
}
