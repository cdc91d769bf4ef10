import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../../../src/errors.js';
import { validateClusterDataPlanes } from '../../../../src/platform/cluster/data-plane/validate.js';
import { MANIFEST_FILE_MAX_BYTES } from '../../../../src/platform/cluster/data-plane/manifests.js';
import type { DataPlaneFiles, MeshSpec } from '../../../../src/profile/types.js';
import { istioObjectIssues } from '../../../__stand-ins__/mesh-rules.mjs';
import { meshSpec } from '../fixtures.js';
import { ENVOY_FILTER, WASM_PLUGIN, edited, writeFiles } from './fixtures.js';

const build = (field: string, files: Omit<DataPlaneFiles, 'field'>): DataPlaneFiles => ({ ...files, field });
const withBuilds = (name: MeshSpec['name'], head: Omit<DataPlaneFiles, 'field'>, extra: Partial<MeshSpec> = {}): MeshSpec =>
  meshSpec(name, { builds: { base: build('mesh[1].builds.base', {}), head: build('mesh[1].builds.head', head) }, ...extra });

/** The message of the UserError `run` throws (fails the test when it throws nothing or something else). */
function userError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('cluster data-plane builds: what is accepted', () => {
  test('an EnvoyFilter and a WasmPlugin for head, annotations for head: planned for head/istio only', () => {
    const files = writeFiles({ 'filters.yaml': [ENVOY_FILTER, WASM_PLUGIN] });
    const planned = validateClusterDataPlanes([
      meshSpec('none'),
      withBuilds('istio', { manifests: [files.path('filters.yaml')], proxyAnnotations: { 'sidecar.istio.io/proxyCPULimit': '500m' } }),
    ]);
    expect([...planned.keys()]).toEqual(['base/istio', 'head/istio']);
    expect(planned.get('base/istio')).toEqual({ objects: [], annotations: {} });
    expect(planned.get('head/istio')!.objects.map((o) => o.kind)).toEqual(['EnvoyFilter', 'WasmPlugin']);
    expect(planned.get('head/istio')!.annotations).toEqual({ 'sidecar.istio.io/proxyCPULimit': '500m' });
    // The stand-in's API server, from its own reading of the CRDs, accepts them too.
    for (const object of planned.get('head/istio')!.objects)
      expect(istioObjectIssues({ ...object, metadata: { ...object.metadata, namespace: 'ns' } }, '1.27.1')).toEqual([]);
  });

  test('Linkerd proxy annotations, read by the pinned edge-25.10.2', () => {
    const planned = validateClusterDataPlanes([
      withBuilds('linkerd', { proxyAnnotations: { 'config.linkerd.io/proxy-cpu-limit': '1', 'config.linkerd.io/proxy-cpu-ratio-limit': '0.5' } }),
    ]);
    expect(planned.get('head/linkerd')!.annotations['config.linkerd.io/proxy-cpu-limit']).toBe('1');
  });
});

describe('cluster data-plane builds: exit 2 naming the field, the file and the problem', () => {
  const istioCases: [string, unknown, RegExp, boolean][] = [
    // [case, document, message, whether the stand-in's API server refuses it too]
    ['a Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }, /kind: "Deployment".*not a data-plane object.*EnvoyFilter \(networking\.istio\.io\/v1alpha3\) and WasmPlugin/, false],
    ['a cluster-scoped ClusterRole', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } }, /ClusterRole.*is cluster-scoped/, false],
    ['EnvoyFilter in another apiVersion', edited(ENVOY_FILTER, (o) => (o.apiVersion = 'networking.istio.io/v1')), /not a data-plane object/, true],
    ['a namespace of its own', edited(ENVOY_FILTER, (o) => (o.metadata.namespace = 'istio-system')), /metadata\.namespace: remove it/, false],
    ['its own workloadSelector', edited(ENVOY_FILTER, (o) => (o.spec.workloadSelector = { labels: { app: 'x' } })), /spec\.workloadSelector: remove it; meshgate sets spec\.workloadSelector/, false],
    ['targetRefs on a WasmPlugin', edited(WASM_PLUGIN, (o) => (o.spec.targetRefs = [{ kind: 'Service', name: 'x' }])), /spec\.targetRefs: remove it; meshgate sets spec\.selector/, false],
    ['an unknown spec field', edited(ENVOY_FILTER, (o) => (o.spec.configPatch = [])), /spec\.configPatch: field not declared in schema/, true],
    ['an unknown nested field', edited(ENVOY_FILTER, (o) => (o.spec.configPatches[0].match.contxt = 'ANY')), /spec\.configPatches\[0\]\.match\.contxt: field not declared/, true],
    ['an unknown applyTo', edited(ENVOY_FILTER, (o) => (o.spec.configPatches[0].applyTo = 'HTTP_FILTERS')), /applyTo: Unsupported value: "HTTP_FILTERS"/, true],
    ['a WasmPlugin without url', edited(WASM_PLUGIN, (o) => delete o.spec.url), /spec\.url: Required value/, true],
    ['a bad sha256', edited(WASM_PLUGIN, (o) => (o.spec.sha256 = 'abc')), /spec\.sha256: Invalid value: "abc"/, false],
    ['an ftp url', edited(WASM_PLUGIN, (o) => (o.spec.url = 'ftp://example.com/x.wasm')), /spec\.url: Invalid value/, false],
    ['priority as a string', edited(ENVOY_FILTER, (o) => (o.spec.priority = '10')), /spec\.priority: .*must be of type integer/, true],
    ['a name with capitals', edited(ENVOY_FILTER, (o) => (o.metadata.name = 'Add-Header')), /metadata\.name: "Add-Header" must be a lowercase RFC 1123 subdomain/, false],
    ['a status', edited(ENVOY_FILTER, (o) => (o.status = {})), /status: not allowed/, false],
  ];
  test.each(istioCases)('istio manifests: %s', (_case, document, message, standInRefuses) => {
    const files = writeFiles({ 'head.yaml': document });
    const text = userError(() => validateClusterDataPlanes([withBuilds('istio', { manifests: [files.path('head.yaml')] })]));
    expect(text).toMatch(message);
    expect(text).toContain(`mesh[1].builds.head.manifests[0] (${files.path('head.yaml')}): document 1`);
    expect(text.split('\n')).toHaveLength(1);
    if (standInRefuses) {
      const object = document as { metadata: object };
      expect(istioObjectIssues({ ...object, metadata: { ...object.metadata, namespace: 'ns' } }, '1.27.1')).not.toEqual([]);
    }
  });

  test('versions: targetRefs is no field before Istio 1.22, FAIL_RELOAD no value before 1.27 (meshgate and the stand-in agree)', () => {
    // targetRefs is refused anyway (meshgate sets the selector); FAIL_RELOAD shows the version table.
    const reload = edited(WASM_PLUGIN, (o) => (o.spec.failStrategy = 'FAIL_RELOAD'));
    const files = writeFiles({ 'wasm.yaml': reload });
    const at = (version: string) => () =>
      validateClusterDataPlanes([withBuilds('istio', { manifests: [files.path('wasm.yaml')] }, { version })]);
    expect(at('1.27.1')).not.toThrow();
    expect(userError(at('1.26.3'))).toMatch(/failStrategy: Unsupported value: "FAIL_RELOAD": supported values: "FAIL_CLOSE", "FAIL_OPEN"$/);
    const placed = { ...reload, metadata: { ...reload.metadata, namespace: 'ns' } };
    expect(istioObjectIssues(placed, '1.27.1')).toEqual([]);
    expect(istioObjectIssues(placed, '1.26.3').join()).toContain('Unsupported value: "FAIL_RELOAD"');
    const targeted = { ...ENVOY_FILTER, metadata: { name: 'x', namespace: 'ns' }, spec: { ...ENVOY_FILTER.spec, targetRefs: [{ kind: 'Gateway', name: 'g' }] } };
    expect(istioObjectIssues(targeted, '1.21.0').join()).toContain('.spec.targetRefs: field not declared in schema');
    expect(istioObjectIssues(targeted, '1.22.0')).toEqual([]);
  });

  test('size and count limits; not YAML; duplicate names', () => {
    const big = writeFiles({ 'big.yaml': `# ${'x'.repeat(MANIFEST_FILE_MAX_BYTES)}\n` });
    expect(userError(() => validateClusterDataPlanes([withBuilds('istio', { manifests: [big.path('big.yaml')] })]))).toMatch(
      /manifests\[0\] \(.*big\.yaml\): 1048579 bytes; a data-plane manifest file may have at most 1048576 bytes/,
    );
    const many = writeFiles({ 'many.yaml': Array.from({ length: 33 }, (_, i) => edited(ENVOY_FILTER, (o) => (o.metadata.name = `f${i}`))) });
    expect(userError(() => validateClusterDataPlanes([withBuilds('istio', { manifests: [many.path('many.yaml')] })]))).toMatch(
      /mesh\[1\]\.builds\.head\.manifests: more than 32 objects/,
    );
    const broken = writeFiles({ 'broken.yaml': 'kind: [EnvoyFilter\n' });
    expect(userError(() => validateClusterDataPlanes([withBuilds('istio', { manifests: [broken.path('broken.yaml')] })]))).toMatch(/document 1: not valid YAML/);
    const twice = writeFiles({ 'a.yaml': ENVOY_FILTER, 'b.yaml': ENVOY_FILTER });
    expect(
      userError(() => validateClusterDataPlanes([withBuilds('istio', { manifests: [twice.path('a.yaml'), twice.path('b.yaml')] })])),
    ).toMatch(/manifests\[1\].*EnvoyFilter\/add-header is also defined by .*manifests\[0\]/);
  });

  const annotationCases: [string, MeshSpec['name'], string, Record<string, string>, RegExp][] = [
    ['an annotation Istio does not read', 'istio', '1.27.1', { 'sidecar.istio.io/proxyCPULimits': '1' }, /sidecar\.istio\.io\/proxyCPULimits: istio 1\.27\.1 does not read this annotation/],
    ['statsFlushInterval before 1.28', 'istio', '1.27.1', { 'sidecar.istio.io/statsFlushInterval': '5s' }, /does not read this annotation/],
    ['traffic bypassing the proxy', 'istio', '1.27.1', { 'traffic.sidecar.istio.io/excludeInboundPorts': '8080' }, /takes traffic past the proxy under test/],
    ['a CPU limit that is no quantity', 'istio', '1.27.1', { 'sidecar.istio.io/proxyCPULimit': 'two' }, /"two" is not a Kubernetes quantity/],
    ['proxy config that is not YAML', 'istio', '1.27.1', { 'proxy.istio.io/config': 'concurrency: [2' }, /proxy\.istio\.io\/config: not valid YAML/],
    ['no proxy annotation at all', 'istio', '1.27.1', { 'prometheus.io/scrape': 'true' }, /prometheus\.io\/scrape: not a proxy annotation of istio/],
    ['the injection switch', 'linkerd', 'edge-25.10.2', { 'linkerd.io/inject': 'disabled' }, /meshgate puts the workload in the mesh/],
    ['proxy-cpu-ratio-limit before edge-25.3.3', 'linkerd', 'edge-25.2.1', { 'config.linkerd.io/proxy-cpu-ratio-limit': '0.5' }, /linkerd edge-25\.2\.1 does not read this annotation/],
    ['proxy-additional-env before edge-26.4.3', 'linkerd', 'edge-25.10.2', { 'config.linkerd.io/proxy-additional-env': '[]' }, /does not read/],
    ['the inbound policy meshgate sets', 'linkerd', 'edge-25.10.2', { 'config.linkerd.io/default-inbound-policy': 'all-unauthenticated' }, /from the entry's mtls/],
  ];
  test.each(annotationCases)('proxy annotations: %s', (_case, mesh, version, annotations, message) => {
    const text = userError(() => validateClusterDataPlanes([withBuilds(mesh, { proxyAnnotations: annotations }, { version })]));
    expect(text).toMatch(/^mesh\[1\]\.builds\.head\.proxy_annotations: /);
    expect(text).toMatch(message);
  });

  test('stable Linkerd names map to their edge release', () => {
    const ratio = { 'config.linkerd.io/proxy-cpu-ratio-limit': '0.5' };
    expect(() => validateClusterDataPlanes([withBuilds('linkerd', { proxyAnnotations: ratio }, { version: 'stable-2.18.0' })])).not.toThrow();
    expect(userError(() => validateClusterDataPlanes([withBuilds('linkerd', { proxyAnnotations: ratio }, { version: 'stable-2.17.1' })]))).toMatch(/does not read/);
  });

  test('ambient variants and Linkerd manifests have no proxy to act on', () => {
    const files = writeFiles({ 'f.yaml': ENVOY_FILTER });
    expect(userError(() => validateClusterDataPlanes([withBuilds('istio', { manifests: [files.path('f.yaml')] }, { mode: 'ambient' })]))).toMatch(
      /mesh\[1\]\.builds\.head: ambient variants run no sidecar/,
    );
    expect(userError(() => validateClusterDataPlanes([withBuilds('linkerd', { manifests: [files.path('f.yaml')] })]))).toMatch(
      /linkerd builds take no manifests \(use proxy_annotations\)/,
    );
  });
});

describe('install values (mesh-wide)', () => {
  const operator = (spec: object) => ({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec });
  test.each([
    ['a profile of its own', operator({ profile: 'demo' }), /spec\.profile: not allowed here: meshgate chooses the profile/],
    ['a revision', operator({ revision: 'canary' }), /spec\.revision: not allowed here/],
    ['an unknown spec key', operator({ meshconfig: {} }), /spec\.meshconfig: unknown field/],
    ['an unknown component', operator({ components: { pilots: {} } }), /spec\.components\.pilots: unknown component/],
    ['Helm values instead of an IstioOperator', { meshConfig: {} }, /apiVersion: expected install\.istio\.io\/v1alpha1/],
  ])('Istio: %s is exit 2', (_case, document, message) => {
    const files = writeFiles({ 'values.yaml': document });
    const text = userError(() => validateClusterDataPlanes([meshSpec('none'), meshSpec('istio', { installValues: files.path('values.yaml') })]));
    expect(text).toContain(`mesh[1].install_values (${files.path('values.yaml')}): `);
    expect(text).toMatch(message);
  });

  test('Istio meshConfig and values pass; Linkerd values are checked against the pinned chart', () => {
    const files = writeFiles({
      'istio.yaml': operator({ meshConfig: { defaultConfig: { concurrency: 2 } }, values: { global: { proxy: { resources: { limits: { cpu: '1' } } } } } }),
      'linkerd.yaml': { proxy: { cores: 2 }, controllerReplicas: 1 },
      'typo.yaml': { proxyy: { cores: 2 } },
    });
    expect(() => validateClusterDataPlanes([meshSpec('istio', { installValues: files.path('istio.yaml') })])).not.toThrow();
    expect(() => validateClusterDataPlanes([meshSpec('linkerd', { installValues: files.path('linkerd.yaml') })])).not.toThrow();
    expect(userError(() => validateClusterDataPlanes([meshSpec('linkerd', { installValues: files.path('typo.yaml') })]))).toMatch(
      /mesh\[0\]\.install_values .*: proxyy: not a value of the linkerd-control-plane chart of edge-25\.10\.2/,
    );
  });

  test('two entries of one mesh cannot ask for different install values: one control plane per cluster', () => {
    const files = writeFiles({ 'a.yaml': operator({}), 'b.yaml': operator({ meshConfig: {} }) });
    const text = userError(() =>
      validateClusterDataPlanes([
        meshSpec('istio', { installValues: files.path('a.yaml') }),
        meshSpec('istio', { id: 'istio-b', installValues: files.path('b.yaml') }),
      ]),
    );
    expect(text).toMatch(/^mesh\[1\]\.install_values: istio is installed once per cluster, and mesh\[0\] asks for install_values .*a\.yaml/);
  });
});
