// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../../../src/errors.js';
import {
  CLUSTER_MESH_NAMES,
  clusterMeshFor,
  meshTools,
} from '../../../../src/platform/cluster/meshes/registry.js';
import { LOCAL_PROXY_NAMES } from '../../../../src/platform/local/proxies/registry.js';
import { PLATFORM_NAMES } from '../../../../src/platform/registry.js';
import { parseProfileText } from '../../../../src/profile/load.js';
import { firstVersion } from '../../../../src/platform/cluster/meshes/types.js';
import { IstioMesh, istioInstallArgs } from '../../../../src/platform/cluster/meshes/istio.js';
import { LinkerdMesh, nativeSidecarAnnotation } from '../../../../src/platform/cluster/meshes/linkerd.js';
import { validateObjects } from '../../../../src/platform/cluster/workload/validate.js';
import { meshSpec } from '../fixtures.js';
import {
  CLUSTER_MESHES,
  LOCAL_PROXIES,
  type ClusterMeshDescriptor,
} from '../../../../src/platform/catalog/index.js';
import { localDataPlane } from '../../../../src/platform/local/proxies/registry.js';

describe('istio', () => {
  const istio = new IstioMesh();

  test.each([
    [
      'sidecars only: minimal profile',
      [meshSpec('istio')],
      ['install', '-y', '--set', 'profile=minimal', '--readiness-timeout', '300s'],
    ],
    [
      'any ambient variant: ambient profile',
      [meshSpec('istio'), meshSpec('istio', { mode: 'ambient' })],
      ['install', '-y', '--set', 'profile=ambient', '--readiness-timeout', '300s'],
    ],
    [
      'proxy concurrency mesh-wide',
      [meshSpec('istio', { concurrency: 2 })],
      [
        'install',
        '-y',
        '--set',
        'profile=minimal',
        '--set',
        'meshConfig.defaultConfig.concurrency=2',
        '--readiness-timeout',
        '300s',
      ],
    ],
  ])('%s', (_, specs, args) => {
    expect(istioInstallArgs(specs)).toEqual(args);
  });

  test('namespaces: injection label for sidecars, dataplane-mode for ambient', () => {
    expect(istio.enableNamespace(meshSpec('istio'))).toEqual({
      labels: { 'istio-injection': 'enabled' },
      annotations: {},
    });
    expect(istio.enableNamespace(meshSpec('istio', { mode: 'ambient' }))).toEqual({
      labels: { 'istio.io/dataplane-mode': 'ambient' },
      annotations: {},
    });
  });

  test('strict mTLS is a valid namespace PeerAuthentication; none without mtls', () => {
    const objects = istio.mtls('mg-a-head-istio', meshSpec('istio', { mtls: true }));
    expect(objects).toEqual([
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: 'mg-a-head-istio' },
        spec: { mtls: { mode: 'STRICT' } },
      },
    ]);
    expect(validateObjects(objects)).toEqual([]);
    expect(istio.mtls('n', meshSpec('istio'))).toEqual([]);
  });

  test.each([
    [
      'sidecar, plaintext: client kept out',
      {},
      { labels: { 'sidecar.istio.io/inject': 'false' }, annotations: {} },
    ],
    [
      'sidecar, mTLS: client meshed with a native sidecar',
      { mtls: true },
      { labels: {}, annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } },
    ],
    [
      'ambient, plaintext: client opted out',
      { mode: 'ambient' as const },
      { labels: { 'istio.io/dataplane-mode': 'none' }, annotations: {} },
    ],
    [
      'ambient, mTLS: client in ambient',
      { mode: 'ambient' as const, mtls: true },
      { labels: {}, annotations: {} },
    ],
  ])('generator pods: %s', (_, extra, meta) => {
    expect(istio.clientPod(meshSpec('istio', extra))).toEqual(meta);
  });

  test('proxies: sidecars in the variant namespace, ztunnel in istio-system', () => {
    expect(istio.proxyContainerName(meshSpec('istio'))).toEqual({
      container: 'istio-proxy',
      description: 'istio-proxy sidecars',
    });
    expect(istio.proxyContainerName(meshSpec('istio', { mode: 'ambient' }))).toMatchObject({
      container: 'istio-proxy',
      namespace: 'istio-system',
      podPrefix: 'ztunnel-',
    });
  });
});

describe('linkerd', () => {
  const linkerd = new LinkerdMesh();
  test('injection annotation, enforced mTLS by inbound policy, native-sidecar clients', () => {
    expect(linkerd.enableNamespace(meshSpec('linkerd'))).toEqual({
      labels: {},
      annotations: { 'linkerd.io/inject': 'enabled' },
    });
    expect(
      linkerd.enableNamespace(meshSpec('linkerd', { mtls: true })).annotations[
        'config.linkerd.io/default-inbound-policy'
      ],
    ).toBe('all-authenticated');
    expect(linkerd.clientPod(meshSpec('linkerd'))).toEqual({
      labels: {},
      annotations: { 'linkerd.io/inject': 'disabled' },
    });
    expect(linkerd.clientPod(meshSpec('linkerd', { mtls: true })).annotations).toEqual({
      'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true', // what the pinned edge-25.10.2 reads
    });
    expect(linkerd.proxyContainerName().container).toBe('linkerd-proxy');
    expect(linkerd.mtls('n', meshSpec('linkerd', { mtls: true }))).toEqual([]);
  });
});

test.each([
  ['edge-25.5.2', 'config.alpha.linkerd.io/proxy-enable-native-sidecar'],
  ['edge-25.10.1', 'config.alpha.linkerd.io/proxy-enable-native-sidecar'],
  ['edge-25.10.2', 'config.beta.linkerd.io/proxy-enable-native-sidecar'],
  ['edge-26.1.1', 'config.beta.linkerd.io/proxy-enable-native-sidecar'],
  ['stable-2.18.0', 'config.alpha.linkerd.io/proxy-enable-native-sidecar'],
  ['stable-2.19.1', 'config.beta.linkerd.io/proxy-enable-native-sidecar'],
])('Linkerd %s reads the native-sidecar annotation %s', (version, key) => {
  expect(nativeSidecarAnnotation(version)).toBe(key);
});

describe('registry', () => {
  test('cluster meshes by name; local proxies are refused with the reason', () => {
    expect(clusterMeshFor('none').name).toBe('none');
    expect(clusterMeshFor('istio')).not.toBe(clusterMeshFor('istio')); // fresh adapters remember their own installs
    expect(clusterMeshFor('linkerd').cli).toBe('linkerd');
    expect(() => clusterMeshFor('nginx')).toThrow(UserError);
    expect(() => clusterMeshFor('envoy')).toThrow(/runs on platform local only/);
  });

  test('each mesh declares its own CLI, and a spec version pins that CLI only', () => {
    const istio = { ...meshSpec('istio'), version: '1.27.3' };
    const linkerd = { ...meshSpec('linkerd'), version: 'edge-25.10.7' };
    expect(meshTools([meshSpec('none'), istio, linkerd], { kubectl: 'v1.33.0' })).toEqual({
      tools: ['istioctl', 'linkerd'],
      versions: { kubectl: 'v1.33.0', istioctl: '1.27.3', linkerd: 'edge-25.10.7' },
    });
    expect(meshTools([meshSpec('none')])).toEqual({ tools: [], versions: {} });
  });

  test('the profile takes its mesh and platform names from the registries', () => {
    for (const name of CLUSTER_MESH_NAMES)
      expect(parseProfileText(`name: x\nplatform: kind\nmesh: [${name}]`, 'p.yaml').mesh[0]!.name).toBe(name);
    for (const name of LOCAL_PROXY_NAMES)
      expect(parseProfileText(`name: x\nmesh: [${name}]`, 'p.yaml').mesh[0]!.name).toBe(name);
    for (const name of PLATFORM_NAMES)
      expect(parseProfileText(`name: x\nplatform: ${name}`, 'p.yaml').platform).toBe(name);
    expect(
      parseProfileText('name: x\nplatform: kind\nmesh: [{name: istio, mode: ambient}]', 'p.yaml').mesh[0]!
        .mode,
    ).toBe('ambient');
    expect(parseProfileText('name: x\nplatform: kind\nmesh: [istio]', 'p.yaml').mesh[0]!.mode).toBe(
      'sidecar',
    );
  });

  // The profile reads only the descriptors: each must say what its implementation does.
  test.each(CLUSTER_MESH_NAMES)('the descriptor of %s agrees with its implementation', (name) => {
    const descriptor: ClusterMeshDescriptor = CLUSTER_MESHES[name];
    const mesh = clusterMeshFor(name);
    expect(mesh.name).toBe(name);
    expect(mesh.cli).toBe(descriptor.cli);
    expect(mesh.modes).toEqual(descriptor.modes?.map((mode) => mode.name));
    expect(Boolean(mesh.dataPlaneRules)).toBe(Boolean(descriptor.dataPlane));
    expect((mesh.dataPlaneRules?.manifestKinds.length ?? 0) > 0).toBe(
      descriptor.dataPlane?.manifests ?? false,
    );
  });

  test('every local proxy descriptor has its implementation', () => {
    for (const name of LOCAL_PROXY_NAMES) expect(localDataPlane(name)?.name).toBe(LOCAL_PROXIES[name].name);
  });

  test.each([
    ['client version: 1.27.1', '1.27.1'],
    ['edge-25.5.2', 'edge-25.5.2'],
    ['Client version: v1.33.0\n', 'v1.33.0'],
    ['no version here', undefined],
  ])('firstVersion(%j)', (text, version) => {
    expect(firstVersion(text)).toBe(version);
  });
});
