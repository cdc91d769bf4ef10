// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../../../src/errors.js';
import { KIND_NODE_IMAGE, NODE_IMAGE } from '../../../../src/system/tool-versions.js';
import { generatorJob, generatorShare } from '../../../../src/platform/cluster/workload/generator-job.js';
import { imageWorkload } from '../../../../src/platform/cluster/workload/image.js';
import { manifestWorkload, parseService, readManifestFiles } from '../../../../src/platform/cluster/workload/manifests.js';
import {
  bundleConfigMap,
  dnsLabel,
  namespaceObject,
  variantNamespace,
} from '../../../../src/platform/cluster/workload/objects.js';
import { sampleWorkload } from '../../../../src/platform/cluster/workload/sample.js';
import { validateObjects } from '../../../../src/platform/cluster/workload/validate.js';
import { schemaErrors } from '../../../helpers/k8s-schema.js';
import { SAMPLE } from '../fixtures.js';

const files = [
  { path: 'package.json', content: '{}' },
  { path: 'loadgen/index.js', content: '//' },
  { path: 'sample-server/index.js', content: '//' },
];
const job = {
  url: 'http://app.ns.svc.cluster.local:8080',
  rps: 1000,
  connections: 10,
  durationS: 10,
  warmupS: 2,
  threads: 4,
  protocol: 'http1' as const,
  request: { method: 'GET', path: '/', headers: {}, body: '' },
  timeoutMs: 1000,
};

describe('generated objects validate against the Kubernetes rules', () => {
  test('sample, image, namespace, ConfigMap and generator Job', () => {
    const objects = [
      namespaceObject('mg-abc-head-istio', 'abc', {
        labels: { 'istio-injection': 'enabled' },
        annotations: {},
      }),
      bundleConfigMap('mg-abc-head-istio', files),
      ...sampleWorkload({
        namespace: 'mg-abc-head-istio',
        build: 'head',
        spec: SAMPLE as Extract<typeof SAMPLE, { kind: 'sample' }>,
        nodeImage: NODE_IMAGE,
        bundleFiles: files,
      }).objects,
      ...imageWorkload({
        namespace: 'ns',
        build: 'base',
        spec: { kind: 'image', image: 'ghcr.io/me/app:pr-1', port: 8080 },
      }).objects,
      generatorJob({
        name: 'load-abc-1',
        namespace: 'ns',
        runId: 'abc',
        generators: 3,
        job,
        nodeImage: NODE_IMAGE,
        bundleFiles: files,
        podMeta: { labels: { 'sidecar.istio.io/inject': 'false' }, annotations: {} },
        activeDeadlineS: 200,
      }),
    ];
    expect(validateObjects(objects)).toEqual([]);
    // And against the Kubernetes OpenAPI schemas.
    expect(schemaErrors(objects)).toEqual({ errors: [], skipped: [] });
    const configMap = objects[1] as unknown as { data: Record<string, string> };
    expect(Object.keys(configMap.data)).toEqual([
      'package.json',
      'loadgen.index.js',
      'sample-server.index.js',
    ]);
    const deployment = objects[2] as any;
    expect(deployment.spec.template.spec.containers[0].args).toEqual([
      '/meshgate/sample-server/index.js',
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--delay-ms',
      '1',
      '--jitter-ms',
      '0',
      '--response-bytes',
      '64',
    ]);
    expect(deployment.spec.template.spec.volumes[0].configMap.items).toContainEqual({
      key: 'sample-server.index.js',
      path: 'sample-server/index.js',
    });
  });

  test.each([
    [
      'a bad name',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Bad_Name' } },
      /invalid metadata.name/,
    ],
    [
      'a selector that misses its pods',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'c' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
        },
      },
      /does not match/,
    ],
    [
      'a container without image',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } },
        },
      },
      /image: required/,
    ],
    [
      'a Job that restarts always',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j' },
        spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'i' }] } } },
      },
      /restartPolicy/,
    ],
    [
      'a Service without ports',
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [] } },
      /at least one/,
    ],
    [
      'a mount of a missing volume',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j' },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'v' }] }],
            },
          },
        },
      },
      /unknown volume v/,
    ],
    [
      'a label value too long',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'x'.repeat(64) } } },
      /invalid value/,
    ],
    [
      'an oversized ConfigMap',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
        data: { 'a.js': 'x'.repeat(1024 * 1024 + 1) },
      },
      /1 MiB/,
    ],
    [
      'a bad mTLS mode',
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default' },
        spec: { mtls: { mode: 'ON' } },
      },
      /mtls.mode/,
    ],
  ])('rejects %s', (_, object, message) => {
    expect(validateObjects([object]).join('\n')).toMatch(message);
  });
});

describe('generator shares and names', () => {
  test('splits the rate exactly and rounds connections up', () => {
    expect(generatorShare(job, 3)).toMatchObject({ rps: 1000 / 3, connections: 4, threads: 4 });
    expect(generatorShare({ ...job, connections: 2 }, 4)).toMatchObject({ connections: 1, threads: 1 });
  });

  test('namespace names are DNS labels of at most 63 characters', () => {
    expect(variantNamespace('abc12345', 'head', 'istio-ambient')).toBe('mg-abc12345-head-istio-ambient');
    expect(dnsLabel('X'.repeat(80) + '_y').length).toBeLessThanOrEqual(63);
    expect(KIND_NODE_IMAGE).toMatch(/^kindest\/node:v1\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    expect(NODE_IMAGE).toMatch(/^node:24-alpine@sha256:[0-9a-f]{64}$/);
  });
});

describe("the user's manifests", () => {
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: somewhere }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "{image}" }, { name: helper, image: busybox }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`;
  const read = () => yaml;

  test('are placed in the variant namespace with the build image substituted for {image}', () => {
    const objects = readManifestFiles(['app.yaml'], read);
    const plan = manifestWorkload(objects, {
      namespace: 'mg-x-head-none',
      build: 'head',
      image: 'me/web:pr',
      service: 'web:80',
    });
    expect(plan.rollouts).toEqual(['deployment/web']);
    expect(plan.service).toEqual({ name: 'web', port: 80 });
    const deployment = plan.objects[0] as any;
    expect(deployment.metadata.namespace).toBe('mg-x-head-none');
    expect(deployment.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual([
      'me/web:pr',
      'busybox',
    ]);
    // The substituted image may exist only on the nodes (kind load): never pull it, even as :latest.
    expect(deployment.spec.template.spec.containers.map((c: { imagePullPolicy?: string }) => c.imagePullPolicy)).toEqual([
      'IfNotPresent',
      undefined,
    ]);
    expect((objects[0] as any).spec.template.spec.containers[0].image).toBe('{image}'); // the parsed originals stay untouched
    expect(validateObjects(plan.objects)).toEqual([]);
  });

  test.each([
    [
      'a missing service',
      () =>
        manifestWorkload(readManifestFiles(['a'], read), {
          namespace: 'n',
          build: 'head',
          service: 'other:80',
        }),
      /Service "other"/,
    ],
    [
      'no {image} for an image build',
      () =>
        manifestWorkload(
          readManifestFiles(['a'], () => yaml.replace('"{image}"', 'x')),
          { namespace: 'n', build: 'head', image: 'i', service: 'web:80' },
        ),
      /no container image is "\{image\}"/,
    ],
    [
      'a Namespace',
      () => readManifestFiles(['ns.yaml'], () => 'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n'),
      /ns.yaml: Namespace x is cluster-scoped/,
    ],
    [
      'a document without kind',
      () => readManifestFiles(['b.yaml'], () => 'metadata: { name: x }\n'),
      /b.yaml: document 1 needs apiVersion, kind/,
    ],
    [
      'an unreadable file',
      () => readManifestFiles(['/nonexistent/m.yaml']),
      /cannot read workload.manifests entry \/nonexistent\/m.yaml/,
    ],
    ['a bad service', () => parseService('web'), /name:port/],
  ])('errors name the problem: %s', (_, call, message) => {
    expect(call).toThrow(UserError);
    expect(call).toThrow(message);
  });
});

describe('the OpenAPI schema check', () => {
  test('catches what the schemas forbid', () => {
    const { errors } = schemaErrors([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: {} } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'y' }, spec: { ports: [{ port: 'eighty' }] } },
    ]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('Deployment');
    expect(errors[1]).toContain('Service');
  });
});
