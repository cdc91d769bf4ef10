/** Data-plane files for the cluster data-plane tests, written into a temporary folder. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const ENVOY_FILTER = {
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'EnvoyFilter',
  metadata: { name: 'add-header' },
  spec: {
    configPatches: [
      {
        applyTo: 'HTTP_FILTER',
        match: {
          context: 'SIDECAR_INBOUND',
          listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } },
        },
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: 'envoy.filters.http.lua',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua',
              default_source_code: { inline_string: 'function envoy_on_response(h) h:headers():add("x-head", "1") end' },
            },
          },
        },
      },
    ],
  },
};

export const WASM_PLUGIN = {
  apiVersion: 'extensions.istio.io/v1alpha1',
  kind: 'WasmPlugin',
  metadata: { name: 'route-class' },
  spec: {
    url: 'oci://ghcr.io/example/route-class:1.0.0',
    phase: 'STATS',
    failStrategy: 'FAIL_OPEN',
    pluginConfig: { header: 'x-route-class' },
  },
};

/** A folder with files named by the keys (objects become YAML documents; arrays, several). */
export function writeFiles(files: Record<string, unknown>): { dir: string; path: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-dp-'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(
      join(dir, name),
      typeof content === 'string' ? content : (Array.isArray(content) ? content : [content]).map((doc) => stringify(doc)).join('---\n'),
    );
  return { dir, path: (name) => join(dir, name) };
}

/** A deep copy of `object` with `change` applied to it. */
export function edited<T>(object: T, change: (copy: any) => void): T {
  const copy = structuredClone(object);
  change(copy);
  return copy;
}
