// The kubectl stand-in with running pods holds meshgate to what a cluster does: a Job's pods are
// processes built from its command, args, env and ConfigMap files; `kubectl wait` reports their
// real exit status and `kubectl logs` their output; Services route to a ready endpoint; a
// ConfigMap that is not there keeps a pod from starting; and immutable fields stay immutable.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { run, type RunResult } from '../../../src/system/run-command.js';
import { toYamlStream } from '../../../src/system/kubectl.js';
import { immutableFieldIssues } from '../../__stand-ins__/api-rules.mjs';
import { createRunningStandIns, type RunningStandIns } from '../../__stand-ins__/install.js';

let stand: RunningStandIns;
beforeEach(() => {
  stand = createRunningStandIns();
});
afterEach(() => stand.remove());

const kubectl = (args: string[], stdin?: string): Promise<RunResult> =>
  run(`${stand.env.PATH.split(':')[0]}/kubectl`, args, { timeoutMs: 30_000, stdin, env: stand.env });
const apply = (objects: object[]) => kubectl(['apply', '--server-side', '-f', '-', '-n', 'ns'], toYamlStream(objects));

const SCRIPT = `
const [, , word] = process.argv;
console.log('index', process.env.JOB_COMPLETION_INDEX, 'says', process.env.WORD, word);
process.exitCode = Number(process.env.EXIT ?? 0);
`;

const configMap = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'scripts', namespace: 'ns' },
  data,
});

const job = (name: string, env: Record<string, string>, completions = 2) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'ns' },
  spec: {
    completionMode: 'Indexed',
    completions,
    parallelism: completions,
    backoffLimit: 0,
    template: {
      metadata: { labels: { 'meshgate.dev/job': name } },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: 'node:24-alpine',
            command: ['node', '/scripts/say.js'],
            args: ['hello'],
            env: Object.entries(env).map(([key, value]) => ({ name: key, value })),
            volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }],
          },
        ],
        volumes: [{ name: 'scripts', configMap: { name: 'scripts', items: [{ key: 'say.js', path: 'say.js' }] } }],
      },
    },
  },
});

const podNames = async (jobName: string): Promise<string[]> => {
  const pods = JSON.parse((await kubectl(['get', 'pods', '-n', 'ns', '-l', `meshgate.dev/job=${jobName}`, '-o', 'json'])).stdout);
  return pods.items.map((pod: { metadata: { name: string } }) => pod.metadata.name).sort();
};

describe('kubectl stand-in with running pods', () => {
  test("a Job's containers run with its command, args, env and ConfigMap files; logs and exit status are theirs", async () => {
    expect((await apply([configMap({ 'say.js': SCRIPT }), job('ok', { WORD: 'hi' })])).exitCode).toBe(0);
    const wait = await kubectl(['wait', '--for=condition=complete', 'job/ok', '-n', 'ns', '--timeout=20s']);
    expect(wait.stderr).toBe('');
    expect(wait.exitCode).toBe(0);
    const names = await podNames('ok');
    expect(names).toHaveLength(2);
    const logs = await Promise.all(names.map((pod) => kubectl(['logs', pod, '-n', 'ns', '-c', 'main'])));
    expect(logs.map((log) => log.stdout.trim()).sort()).toEqual(['index 0 says hi hello', 'index 1 says hi hello']);

    await apply([job('bad', { WORD: 'x', EXIT: '3' }, 1)]);
    expect((await kubectl(['wait', '--for=condition=failed', 'job/bad', '-n', 'ns', '--timeout=20s'])).exitCode).toBe(0);
    const complete = await kubectl(['wait', '--for=condition=complete', 'job/bad', '-n', 'ns', '--timeout=1s']);
    expect(complete.exitCode).toBe(1);
    expect(complete.stderr).toContain('timed out waiting for the condition on jobs/bad');
  });

  test('a Job whose ConfigMap is missing never starts', async () => {
    await apply([job('orphan', { WORD: 'x' }, 1)]);
    const wait = await kubectl(['wait', '--for=condition=complete', 'job/orphan', '-n', 'ns', '--timeout=2s']);
    expect(wait.exitCode).toBe(1);
    const pods = JSON.parse((await kubectl(['get', 'pods', '-n', 'ns', '-o', 'json'])).stdout);
    expect(pods.items[0].status).toMatchObject({ phase: 'Pending', reason: 'FailedMount' });
  });

  test("a Service's name and port reach its Deployment's pod, which listens on 0.0.0.0:8080 in its own namespace", async () => {
    const server = `require('node:http').createServer((q, s) => s.end('pong')).listen(8080, '0.0.0.0');`;
    const client = `fetch('http://echo.ns.svc.cluster.local:80/').then((r) => r.text()).then((t) => console.log('got', t));`;
    const labels = { app: 'echo' };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'echo', namespace: 'ns' },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'echo',
                image: 'node:24-alpine',
                command: ['node', '/scripts/server.cjs'],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: 8080 } },
                volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }],
              },
            ],
            volumes: [{ name: 'scripts', configMap: { name: 'scripts' } }],
          },
        },
      },
    };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo', namespace: 'ns' },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    };
    await apply([configMap({ 'server.cjs': server, 'say.js': client }), deployment, service]);
    const rollout = await kubectl(['rollout', 'status', 'deployment/echo', '-n', 'ns', '--timeout=20s']);
    expect(rollout.stderr).toBe('');
    await apply([job('client', {}, 1)]);
    expect((await kubectl(['wait', '--for=condition=complete', 'job/client', '-n', 'ns', '--timeout=20s'])).exitCode).toBe(0);
    const [pod] = await podNames('client');
    expect((await kubectl(['logs', pod, '-n', 'ns', '-c', 'main'])).stdout.trim()).toBe('got pong');
    await kubectl(['delete', 'namespace', 'ns', '--ignore-not-found', '--wait=false']);
    expect(stand.livePods()).toEqual([]);
  });

  test('re-applying a changed immutable field is refused as the API server refuses it', async () => {
    await apply([configMap({ 'say.js': SCRIPT }), job('same', { WORD: 'a' }, 1)]);
    expect((await apply([job('same', { WORD: 'a' }, 1)])).exitCode).toBe(0); // unchanged: fine
    const changed = await apply([job('same', { WORD: 'b' }, 1)]);
    expect(changed.exitCode).toBe(1);
    expect(changed.stderr).toContain('The Job "same" is invalid: spec.template: Invalid value');
    expect(changed.stderr).toContain('field is immutable');
  });
});

describe('immutable fields (api-rules.mjs)', () => {
  const deployment = (app: string) => ({ kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app } } } });
  test.each([
    ['Deployment spec.selector', deployment('a'), deployment('b'), 'spec.selector: Invalid value'],
    [
      'Service spec.clusterIP',
      { kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: '10.96.0.10' } },
      { kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: 'None' } },
      'spec.clusterIP: Invalid value: "None": may not change once set',
    ],
    [
      'data of an immutable ConfigMap',
      { kind: 'ConfigMap', metadata: { name: 'c' }, immutable: true, data: { a: '1' } },
      { kind: 'ConfigMap', metadata: { name: 'c' }, immutable: true, data: { a: '2' } },
      'data: Forbidden: field is immutable when `immutable` is set',
    ],
    [
      'Job spec.completions',
      { kind: 'Job', metadata: { name: 'j' }, spec: { completions: 2 } },
      { kind: 'Job', metadata: { name: 'j' }, spec: { completions: 3 } },
      'spec.completions: Invalid value: 3: field is immutable',
    ],
  ])('%s may not change', (_what, stored, next, message) => {
    expect(immutableFieldIssues(stored, next).join('\n')).toContain(message);
    expect(immutableFieldIssues(stored, stored)).toEqual([]);
    expect(immutableFieldIssues(undefined, next)).toEqual([]);
  });

  test('a field left out keeps its stored value (server-side apply), and a mutable ConfigMap may change', () => {
    expect(immutableFieldIssues({ kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: '10.96.0.10' } }, { kind: 'Service', metadata: { name: 's' }, spec: {} })).toEqual([]);
    expect(immutableFieldIssues({ kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '2' } })).toEqual([]);
  });
});
