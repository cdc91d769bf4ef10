// test-group: unit
/** Cluster data-plane builds in a profile: keys per mesh, paths resolved, the printed form read back, errors naming the field. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { validateClusterDataPlanes } from '../../src/platform/cluster/data-plane/validate.js';
import { loadProfile } from '../../src/profile/load.js';
import { profileToInput } from '../../src/profile/to-input.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-cluster-profile-'));
  await mkdir(join(dir, 'dataplane'));
  await writeFile(join(dir, 'dataplane', 'filter.yaml'), '# an EnvoyFilter would go here\n');
  await writeFile(join(dir, 'dataplane', 'values.yaml'), 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: {}\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function load(yaml: string, name = 'p.yaml') {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return loadProfile(file);
}

describe('cluster data-plane builds in a profile', () => {
  it('istio builds with manifests and proxy annotations, and mesh-wide install values: resolved, named by field, printed and read back the same', async () => {
    const profile = await load(
      [
        'name: dp',
        'platform: kind',
        'mesh:',
        '  - none',
        '  - name: istio',
        '    install_values: dataplane/values.yaml',
        '    builds:',
        '      base: {}',
        '      head: { manifests: [dataplane/filter.yaml], proxy_annotations: { sidecar.istio.io/proxyCPULimit: "1" } }',
        '  - { name: linkerd, label: linkerd-tuned, proxy_annotations: { config.linkerd.io/proxy-cpu-limit: "2" } }',
      ].join('\n'),
    );
    expect(profile.mesh[1].installValues).toBe(join(dir, 'dataplane/values.yaml'));
    expect(profile.mesh[1].builds).toEqual({
      base: { field: 'mesh[1].builds.base' },
      head: {
        manifests: [join(dir, 'dataplane/filter.yaml')],
        proxyAnnotations: { 'sidecar.istio.io/proxyCPULimit': '1' },
        field: 'mesh[1].builds.head',
      },
    });
    expect(profile.mesh[2]).toMatchObject({ id: 'linkerd-tuned', dataPlane: { proxyAnnotations: { 'config.linkerd.io/proxy-cpu-limit': '2' }, field: 'mesh[2]' } });
    const printed = await load(stringify(profileToInput(profile)), 'printed.yaml');
    expect(printed).toEqual(profile);
  });

  it('the shipped kind-istio-envoyfilter profile loads and its EnvoyFilter passes the checks of the pinned Istio', async () => {
    const profile = await loadProfile('profiles/kind-istio-envoyfilter.yaml');
    const planned = validateClusterDataPlanes(profile.mesh);
    expect(planned.get('head/istio')!.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['EnvoyFilter/route-class-lua']);
    expect(planned.get('base/istio')!.objects).toEqual([]);
  });

  it.each([
    ['manifests on a local proxy', 'mesh: [{ name: nginx, manifests: [dataplane/filter.yaml] }]', /mesh\[0\]: manifests applies to the cluster meshes \(istio and linkerd\) only; nginx takes config, include and global_include/],
    ['manifests on linkerd', 'platform: kind\nmesh: [{ name: linkerd, builds: { base: {}, head: { manifests: [dataplane/filter.yaml] } } }]', /mesh\[0\]: builds\.head: manifests: linkerd has no per-namespace data-plane objects; configure its proxy with proxy_annotations/],
    ['builds on none', 'mesh: [{ name: none, builds: { base: {}, head: {} } }]', /mesh\[0\]\.builds: none has no data plane to build/],
    ['annotations on none', 'mesh: [{ name: none, proxy_annotations: { a: b } }]', /mesh\[0\]: proxy_annotations: none has no data plane/],
    ['install values on a local proxy', 'mesh: [{ name: haproxy, install_values: dataplane/values.yaml }]', /mesh\[0\]\.install_values: install_values applies to istio and linkerd only/],
    ['install values inside a build', 'platform: kind\nmesh: [{ name: istio, builds: { base: {}, head: { install_values: dataplane/values.yaml } } }]', /mesh\[0\]\.builds\.head: unknown key "install_values"/],
    ['a number as an annotation value', 'platform: kind\nmesh: [{ name: linkerd, proxy_annotations: { config.linkerd.io/proxy-cpu-limit: 1 } }]', /mesh\[0\]\.proxy_annotations.*proxy-cpu-limit.*: annotation values are strings: quote numbers and booleans \("1"\), got 1/],
    ['a missing manifest', 'platform: kind\nmesh: [{ name: istio, builds: { base: {}, head: { manifests: [dataplane/nope.yaml] } } }]', /p\.yaml: mesh\[0\]\.builds\.head\.manifests\[0\]: "dataplane\/nope\.yaml" does not exist/],
    ['a missing install file', 'platform: kind\nmesh: [{ name: istio, install_values: nope.yaml }]', /p\.yaml: mesh\[0\]\.install_values: "nope\.yaml" does not exist/],
  ])('%s is exit 2 naming the field', async (_what, body, message) => {
    const error = await load(`name: bad\n${body}\n`).then(() => undefined, (e: unknown) => e as Error & { exitCode?: number });
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(message);
  });
});
