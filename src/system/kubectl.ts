/**
 * kubectl, bound to one kubeconfig context. Objects are generated in code, serialised to YAML and
 * passed on standard input (`apply -f -`); every call is an argv array.
 */
import { stringify } from 'yaml';
import type { Logger } from '../util/log.js';
import { run, runChecked, type RunResult } from './run-command.js';

export interface KubeMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
};

export interface KubectlCall {
  /** What to check when the call fails (ends the SetupError message). */
  hint: string;
  timeoutMs?: number;
  stdin?: string;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** A multi-document YAML stream of `objects`. */
export function toYamlStream(objects: readonly object[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
}

export class Kubectl {
  constructor(
    readonly path: string,
    private readonly log: Logger,
    /** kubeconfig context; undefined = the current context. */
    readonly context?: string,
  ) {}

  private argv(args: readonly string[]): string[] {
    return this.context ? ['--context', this.context, ...args] : [...args];
  }

  /** Run and require success. */
  async run(args: readonly string[], call: KubectlCall): Promise<RunResult> {
    this.log.debug(`kubectl ${args.join(' ')}`);
    return runChecked(this.path, this.argv(args), {
      ...call,
      timeoutMs: call.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }

  /** Run and return the result whatever the exit code (look-ups, best-effort cleanup). */
  async attempt(args: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RunResult> {
    this.log.debug(`kubectl ${args.join(' ')}`);
    return run(this.path, this.argv(args), { timeoutMs });
  }

  async apply(objects: readonly object[], call: KubectlCall): Promise<void> {
    await this.run(['apply', '-f', '-'], { ...call, stdin: toYamlStream(objects) });
  }

  /** Apply a YAML stream produced by another tool (istioctl, linkerd). */
  async applyYaml(yamlText: string, call: KubectlCall): Promise<void> {
    await this.run(['apply', '-f', '-'], { ...call, stdin: yamlText });
  }

  async getJson<T>(args: readonly string[], call: KubectlCall): Promise<T> {
    const result = await this.run(['get', ...args, '-o', 'json'], call);
    return JSON.parse(result.stdout) as T;
  }

  /** True when the object exists (e.g. `deployment/istiod -n istio-system`). */
  async exists(args: readonly string[]): Promise<boolean> {
    const result = await this.attempt(['get', ...args, '--ignore-not-found', '-o', 'name'], 30_000);
    return result.exitCode === 0 && result.stdout.trim() !== '';
  }

  async rolloutStatus(resource: string, namespace: string, timeoutS: number, hint: string): Promise<void> {
    await this.run(['rollout', 'status', resource, '-n', namespace, `--timeout=${timeoutS}s`], {
      hint,
      timeoutMs: (timeoutS + 30) * 1000,
    });
  }

  async logs(pod: string, namespace: string, container: string, hint: string): Promise<string> {
    return (await this.run(['logs', pod, '-n', namespace, '-c', container], { hint })).stdout;
  }

  async raw(path: string, hint: string): Promise<string> {
    return (await this.run(['get', '--raw', path], { hint, timeoutMs: 30_000 })).stdout;
  }

  /** Start deleting a namespace; does not wait for its finalisers. */
  async deleteNamespace(namespace: string): Promise<void> {
    const result = await this.attempt(
      ['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false'],
      60_000,
    );
    if (result.exitCode !== 0)
      this.log.warn(`could not delete namespace ${namespace}: ${result.stderr.trim()}`);
  }
}
