// test-group: unit
/**
 * The user's Envoy files without an Envoy binary: filters inserted before the router with their
 * placeholders filled, a full bootstrap, and the checks that run without Envoy (shape, a router
 * of one's own, a missing .wasm module).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkEnvoyConfig, prepareEnvoyHop } from '../../../../src/platform/local/proxies/envoy.js';
import { planHops } from '../../../../src/platform/local/proxies/topology.js';
import type { DataPlaneFiles } from '../../../../src/profile/types.js';
import { meshSpec, tempWorkDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempWorkDir>>;
beforeAll(async () => {
  work = await tempWorkDir();
});
afterAll(() => work.remove());

const file = async (name: string, text: string) => {
  const path = join(work.workDir, name);
  await writeFile(path, text);
  return path;
};
const files = (own: Omit<DataPlaneFiles, 'field'>): DataPlaneFiles => ({ ...own, field: 'mesh[2].builds.head' });
const plan = planHops(meshSpec({ name: 'envoy' }), 'http://127.0.0.1:8080', [15001])[0];

describe('envoy data-plane files', () => {
  it('puts the shipped Lua filter before the router', async () => {
    const spec = meshSpec({ name: 'envoy', dataPlane: files({ include: resolve('profiles/dataplane/envoy-lua-filter.yaml') }) });
    const launch = await prepareEnvoyHop(plan, work.workDir, spec);
    const bootstrap = JSON.parse(await readFile(launch.args[1], 'utf8'));
    const filters = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters;
    expect(filters.map((f: { name: string }) => f.name)).toEqual(['envoy.filters.http.lua', 'envoy.filters.http.router']);
    expect(filters[0].typed_config.default_source_code.inline_string).toContain('x-route-class');
  });

  it('fills {{config_dir}} in a WASM filter and requires the module to exist', async () => {
    const include = await file('wasm.yaml', await readFile('profiles/dataplane/envoy-wasm-filter.yaml', 'utf8'));
    const spec = meshSpec({ name: 'envoy', dataPlane: files({ include }) });
    await expect(checkEnvoyConfig(spec, work.workDir)).rejects.toThrow(
      `mesh[2].builds.head.include (${include}): a filter loads "${join(work.workDir, 'route_filter.wasm')}", which does not exist`,
    );
    await file('route_filter.wasm', '\0asm');
    const launch = await prepareEnvoyHop(plan, work.workDir, spec);
    const text = await readFile(launch.args[1], 'utf8');
    expect(text).toContain(`"filename": "${join(work.workDir, 'route_filter.wasm')}"`);
    await expect(checkEnvoyConfig(spec, work.workDir)).resolves.toBeUndefined();
  });

  it.each([
    ['not a list', 'name: x\n', /expected a list of HTTP filters/],
    ['a filter without a name', '- typed_config: {}\n', /filter \[0\] needs a name/],
    ['a router of its own', '- name: envoy.filters.http.router\n', /filter \[0\] is a router/],
    ['broken YAML', '- name: [\n', /not valid YAML or JSON/],
  ])('rejects %s (exit 2)', async (_what, text, message) => {
    const include = await file('bad.yaml', text);
    const error = await checkEnvoyConfig(meshSpec({ name: 'envoy', dataPlane: files({ include }) }), work.workDir).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode?: number },
    );
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(message);
  });

  it('writes a full bootstrap with the listener and upstream filled in', async () => {
    const config = await file(
      'bootstrap.yaml',
      'static_resources:\n  listeners:\n  - address: { socket_address: { address: "{{listen_host}}", port_value: {{listen_port}} } }\n  clusters:\n  - name: app # {{upstream}}\n',
    );
    const launch = await prepareEnvoyHop(plan, work.workDir, meshSpec({ name: 'envoy', dataPlane: files({ config }) }));
    const text = await readFile(launch.args[1], 'utf8');
    expect(text).toContain('address: "127.0.0.1", port_value: 15001');
    expect(text).toContain('# 127.0.0.1:8080');
    const empty = await file('empty.yaml', 'admin: {}\n');
    await expect(prepareEnvoyHop(plan, work.workDir, meshSpec({ name: 'envoy', dataPlane: files({ config: empty }) }))).rejects.toThrow(
      /expected an Envoy bootstrap with static_resources\.listeners/,
    );
  });
});
