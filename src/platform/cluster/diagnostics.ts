/**
 * When a cluster step fails or times out, what a maintainer would ask for goes into one directory
 * (uploaded by the action as one artifact, linked from the job summary): the step and the
 * commands run before it with their exit codes and output tails, tool versions, `kind export
 * logs`, pods and events, `describe` and logs of the pods that are not well, and the mesh's own
 * check (`istioctl analyze`, `linkerd check`). Bounded in time (each command, and the whole) and
 * in size (each file, and the whole). On `platform: kubernetes` — the user's own cluster — only
 * the run's namespaces and the mesh's are looked into; a kind cluster is the run's own.
 *
 * Nobody here runs kind, Istio or Linkerd for real: this repository's tests drive it through the
 * stand-ins with injected failures; what the real tools print is only seen on a user's runner.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SetupError, errorMessage } from '../../errors.js';
import type { Kubectl } from '../../system/kubectl.js';
import { recentCommands, run, type RunResult } from '../../system/run-command.js';
import type { ToolPaths } from '../../system/tools.js';
import type { Logger } from '../../util/log.js';

/** A cluster step failed; `bundle` is the directory of diagnostics collected for it. */
export class ClusterStepError extends SetupError {
  constructor(
    message: string,
    readonly step: string,
    readonly bundle: string | undefined,
  ) {
    super(message);
  }
}

export function diagnosticsOf(error: unknown): { step: string; bundle: string } | undefined {
  return error instanceof ClusterStepError && error.bundle
    ? { step: error.step, bundle: error.bundle }
    : undefined;
}

export interface DiagnosticsTarget {
  kubectl?: Kubectl;
  kind?: { path: string; clusterName: string };
  tools?: Partial<ToolPaths>;
  meshes: string[];
  /** Namespaces to look into; undefined: all of them (a kind cluster of this run). */
  namespaces?: string[];
}

export interface DiagnosticsLimits {
  /** The whole collection (default 4 min). */
  totalMs: number;
  /** Any one command (default 60 s; `kind export logs` gets twice that). */
  commandMs: number;
  /** Any one file (default 2 MiB). */
  fileBytes: number;
  /** The whole bundle (default 40 MiB: the artifact stays quick to upload and download). */
  bundleBytes: number;
}

export const DIAGNOSTICS_LIMITS: DiagnosticsLimits = {
  totalMs: 240_000,
  commandMs: 60_000,
  fileBytes: 2 * 1024 * 1024,
  bundleBytes: 40 * 1024 * 1024,
};

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const MAX_POD_DETAILS = 8;

interface PodJson {
  items?: {
    metadata?: { name?: string; namespace?: string };
    status?: {
      phase?: string;
      containerStatuses?: { name?: string; ready?: boolean; restartCount?: number }[];
      initContainerStatuses?: { ready?: boolean; restartCount?: number }[];
    };
  }[];
}

/** Files under `dir`, with their sizes. */
function filesUnder(dir: string): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push({ path, bytes: statSync(path).size });
  }
  return out;
}

export async function collectDiagnostics(
  dir: string,
  step: string,
  error: unknown,
  target: DiagnosticsTarget,
  log: Logger,
  limits: DiagnosticsLimits = DIAGNOSTICS_LIMITS,
): Promise<string> {
  const started = Date.now();
  const deadline = started + limits.totalMs;
  const notes: string[] = [];
  const commands = recentCommands();
  mkdirSync(dir, { recursive: true });
  const write = (name: string, text: string) => {
    const bytes = Buffer.byteLength(text);
    const kept =
      bytes > limits.fileBytes
        ? `${Buffer.from(text).subarray(0, limits.fileBytes).toString('utf8')}\n… cut at ${limits.fileBytes} bytes of ${bytes}\n`
        : text;
    if (bytes > limits.fileBytes) notes.push(`${name}: cut at ${limits.fileBytes} bytes (of ${bytes})`);
    writeFileSync(join(dir, name), kept);
  };
  /** Run one command within what is left of the time budget; its output, or why there is none. */
  const capture = async (
    program: string | undefined,
    args: string[],
    timeoutMs = limits.commandMs,
  ): Promise<string> => {
    const shown = `$ ${[program?.split('/').pop() ?? '?', ...args].join(' ')}`;
    if (!program) return `${shown}\n(not run: the tool was not installed yet)\n`;
    const left = deadline - Date.now();
    if (left <= 1000) {
      notes.push(`not run (time budget of ${limits.totalMs / 1000} s spent): ${shown.slice(2)}`);
      return `${shown}\n(not run: the diagnostics' time budget was spent)\n`;
    }
    let result: RunResult;
    try {
      result = await run(program, args, { timeoutMs: Math.min(timeoutMs, left) });
    } catch (failure) {
      return `${shown}\n(could not run: ${errorMessage(failure)})\n`;
    }
    const how = result.timedOut
      ? `timed out after ${Math.round(Math.min(timeoutMs, left) / 1000)} s`
      : `exit code ${result.exitCode}`;
    if (result.timedOut) notes.push(`timed out: ${shown.slice(2)}`);
    return `${shown}\n# ${how}\n${result.stdout}${result.stderr ? `\n# stderr\n${result.stderr}` : ''}\n`;
  };
  const { kubectl, kind, tools = {}, meshes } = target;
  const kubectlArgs = (args: string[]) => (kubectl?.context ? ['--context', kubectl.context, ...args] : args);
  // Only a kubectl bound to the run's cluster: before it exists (a failed `kind create`), the
  // current context may be another cluster altogether.
  const kubectlPath = kubectl?.path;
  const scope = (args: string[]) =>
    target.namespaces ? target.namespaces.map((ns) => [...args, '-n', ns]) : [[...args, '-A']];

  // Versions first: quick, and what every report needs.
  const versions = [
    await capture(kind?.path ?? tools.kind, ['version']),
    await capture(kubectlPath, kubectlArgs(['version', '-o', 'yaml'])),
    ...(meshes.includes('istio')
      ? [
          await capture(tools.istioctl, [
            'version',
            ...(kubectl?.context ? ['--context', kubectl.context] : []),
          ]),
        ]
      : []),
    ...(meshes.includes('linkerd')
      ? [
          await capture(tools.linkerd, [
            'version',
            ...(kubectl?.context ? ['--context', kubectl.context] : []),
          ]),
        ]
      : []),
    ...(kind
      ? [await capture('docker', ['version', '--format', '{{.Client.Version}} / server {{.Server.Version}}'])]
      : []),
  ];
  write('versions.txt', versions.join('\n'));

  if (kubectlPath) {
    const pods: string[] = [];
    const events: string[] = [];
    const unwell: { namespace: string; name: string; restarted: boolean }[] = [];
    for (const args of scope(['get', 'pods', '-o', 'wide']))
      pods.push(await capture(kubectlPath, kubectlArgs(args)));
    for (const args of scope(['get', 'events', '--sort-by=.lastTimestamp']))
      events.push(await capture(kubectlPath, kubectlArgs(args)));
    write('pods.txt', pods.join('\n'));
    write('events.txt', events.join('\n'));
    for (const args of scope(['get', 'pods', '-o', 'json'])) {
      if (deadline - Date.now() <= 1000) break;
      const result = await run(kubectlPath, kubectlArgs(args), {
        timeoutMs: Math.min(limits.commandMs, deadline - Date.now()),
      }).catch(() => undefined);
      let list: PodJson = {};
      try {
        list = JSON.parse(result?.stdout ?? '{}') as PodJson;
      } catch {
        list = {};
      }
      for (const pod of list.items ?? []) {
        const name = pod.metadata?.name ?? '';
        const namespace = pod.metadata?.namespace ?? '';
        if (!NAME.test(name) || !NAME.test(namespace)) continue;
        const statuses = [
          ...(pod.status?.containerStatuses ?? []),
          ...(pod.status?.initContainerStatuses ?? []),
        ];
        const restarted = statuses.some((c) => (c.restartCount ?? 0) > 0);
        const phase = pod.status?.phase ?? 'Unknown';
        const notReady =
          phase === 'Running' && (pod.status?.containerStatuses ?? []).some((c) => c.ready === false);
        if ((phase !== 'Running' && phase !== 'Succeeded') || notReady || restarted)
          unwell.push({ namespace, name, restarted });
      }
    }
    if (unwell.length > MAX_POD_DETAILS)
      notes.push(`${unwell.length} pods are not well; the first ${MAX_POD_DETAILS} are described`);
    if (unwell.length > 0) mkdirSync(join(dir, 'pods'), { recursive: true });
    for (const pod of unwell.slice(0, MAX_POD_DETAILS)) {
      const parts = [
        await capture(kubectlPath, kubectlArgs(['describe', 'pod', pod.name, '-n', pod.namespace])),
        await capture(
          kubectlPath,
          kubectlArgs(['logs', pod.name, '-n', pod.namespace, '--all-containers', '--prefix', '--tail=300']),
        ),
        ...(pod.restarted
          ? [
              await capture(
                kubectlPath,
                kubectlArgs([
                  'logs',
                  pod.name,
                  '-n',
                  pod.namespace,
                  '--all-containers',
                  '--prefix',
                  '--previous',
                  '--tail=300',
                ]),
              ),
            ]
          : []),
      ];
      write(join('pods', `${pod.namespace}_${pod.name}.txt`), parts.join('\n'));
    }
  }

  const contextFlag = kubectl?.context ? ['--context', kubectl.context] : [];
  if (meshes.includes('istio'))
    write(
      'istioctl-analyze.txt',
      (
        await Promise.all(
          (target.namespaces
            ? target.namespaces.map((ns) => ['analyze', '-n', ns])
            : [['analyze', '--all-namespaces']]
          ).map((args) => capture(tools.istioctl, [...args, ...contextFlag])),
        )
      ).join('\n'),
    );
  if (meshes.includes('linkerd'))
    write('linkerd-check.txt', await capture(tools.linkerd, ['check', '--wait=30s', ...contextFlag]));

  // Last: the biggest and slowest (every node's journal, kubelet and containerd logs).
  if (kind) {
    const out = join(dir, 'kind-logs');
    write(
      'kind-export-logs.txt',
      await capture(kind.path, ['export', 'logs', out, '--name', kind.clusterName], limits.commandMs * 2),
    );
  }

  // The bundle's size bound: the largest files of kind's logs go first.
  let files = filesUnder(dir);
  let total = files.reduce((sum, f) => sum + f.bytes, 0);
  for (const file of files
    .filter((f) => f.path.startsWith(join(dir, 'kind-logs')))
    .sort((a, b) => b.bytes - a.bytes)) {
    if (total <= limits.bundleBytes) break;
    rmSync(file.path, { force: true });
    total -= file.bytes;
    notes.push(
      `${relative(dir, file.path)}: left out (${file.bytes} bytes; the bundle is bounded at ${limits.bundleBytes})`,
    );
  }
  files = filesUnder(dir);

  const failed = [...commands].reverse().find((c) => c.exitCode !== 0 || c.timedOut);
  const readme = [
    'meshgate diagnostics',
    '',
    `step: ${step}`,
    `failed command: ${failed ? `${failed.argv.join(' ')} (${failed.timedOut ? 'timed out' : `exit code ${failed.exitCode}`} after ${failed.durationMs} ms)` : 'none recorded (the step failed outside a command)'}`,
    `collected: ${new Date(started).toISOString()} in ${Date.now() - started} ms`,
    '',
    'error:',
    errorMessage(error).slice(0, 8000),
    '',
    `commands before it (last ${commands.length}, oldest first; standard input is never kept):`,
    ...commands.map(
      (c) =>
        `${c.startedAt} ${c.timedOut ? 'TIMEOUT' : `exit=${c.exitCode}`} ${c.durationMs}ms  ${c.argv.join(' ')}${c.tail ? `\n    ${c.tail.split('\n').join('\n    ')}` : ''}`,
    ),
    '',
    'files:',
    ...files.map((f) => `  ${relative(dir, f.path)} (${f.bytes} bytes)`),
    ...(notes.length > 0 ? ['', 'bounds applied:', ...notes.map((n) => `  ${n}`)] : []),
    '',
  ].join('\n');
  write('README.txt', readme);
  log.info(`diagnostics of the failed step "${step}" are in ${dir}`);
  return dir;
}
