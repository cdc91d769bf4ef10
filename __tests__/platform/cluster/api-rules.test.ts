// The kubectl stand-in holds meshgate to the API server's rules: these tests show that it refuses
// what a real cluster refuses, so that the platform tests passing through it mean something.
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { readBundleFiles } from '../../../src/platform/cluster/bundles.js';
import { bundleConfigMap } from '../../../src/platform/cluster/workload/objects.js';
import { Kubectl, toYamlStream } from '../../../src/system/kubectl.js';
import { run } from '../../../src/system/run-command.js';
import { memoryLogger } from '../../../src/util/log.js';
import { installStandIns, type StandIns } from '../../__stand-ins__/install.js';
import { fakeDist } from './fixtures.js';

let standIns: StandIns;
beforeEach(() => {
  standIns = installStandIns([]);
});
afterEach(() => standIns.restore());

const configMap = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...extra },
  data: { a: 'b' },
});

const clientSideApply = (objects: object[]) =>
  run('kubectl', ['apply', '-f', '-'], { stdin: toYamlStream(objects), timeoutMs: 30_000 });

test("client-side apply of the bundle ConfigMap is refused: its last-applied copy exceeds the annotations' 262144 bytes", async () => {
  const bundles = bundleConfigMap('mg-run', readBundleFiles(fakeDist()));
  const result = await clientSideApply([bundles]);
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain('metadata.annotations: Too long: must have at most 262144 bytes');
  // meshgate's apply is server-side and passes.
  await new Kubectl('kubectl', memoryLogger()).apply([bundles], { hint: 'x' });
});

test('a ConfigMap over 1 MiB is refused even server-side', async () => {
  const big = { ...configMap('big'), data: { a: 'x'.repeat(1_048_577) } };
  await expect(new Kubectl('kubectl', memoryLogger()).apply([big], { hint: 'x' })).rejects.toThrow(
    /Too long: must have at most 1048576 bytes/,
  );
});

test.each([
  ['an upper-case name', configMap('Bad_Name'), 'metadata.name: Invalid value: "Bad_Name"'],
  ['a namespace name over 63 characters', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n'.repeat(64) } }, 'RFC 1123 label'],
  ['a label value over 63 characters', configMap('ok', { labels: { app: 'v'.repeat(64) } }), 'must be no more than 63 characters'],
  ['a label value with a slash', configMap('ok', { labels: { app: 'a/b' } }), 'a valid label must be an empty string'],
  ['a label key with two slashes', configMap('ok', { labels: { 'a/b/c': 'x' } }), 'prefix part must be a DNS-1123 subdomain'],
])('%s is refused', async (_what, object, message) => {
  const result = await clientSideApply([object]);
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain(message);
});

test('a :latest image loaded into kind is never pulled only when its pull policy says so', async () => {
  const kubectl = new Kubectl('kubectl', memoryLogger());
  await run('kind', ['load', 'docker-image', 'me/web:latest', '--name', 'c'], { timeoutMs: 30_000 });
  const deployment = (name: string, container: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'ns' },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'me/web:latest', ...container }] } } },
  });
  await kubectl.apply([deployment('defaulted', {}), deployment('pinned', { imagePullPolicy: 'IfNotPresent' })], { hint: 'x' });
  await expect(kubectl.rolloutStatus('deployment/defaulted', 'ns', 5, 'x')).rejects.toThrow(/ErrImagePull/);
  await kubectl.rolloutStatus('deployment/pinned', 'ns', 5, 'x');
});
