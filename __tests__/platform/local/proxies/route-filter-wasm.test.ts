// test-group: unit
/**
 * profiles/dataplane/route_filter.wasm (written by scripts/route-filter-wasm.mjs) against a host
 * that follows the proxy-wasm ABI 0.2.1 calls it makes: the host copies a header value into memory
 * the module allocates and writes its address and size to the slots given; added headers are
 * recorded. Envoy itself is not installed here; this checks the module's own logic and exports.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

const bytes = readFileSync('profiles/dataplane/route_filter.wasm');

async function filter() {
  const requestHeaders = new Map<string, string>();
  const added: [number, string, string][] = [];
  let memory!: WebAssembly.Memory;
  let allocate!: (size: number) => number;
  const text = (ptr: number, size: number) => Buffer.from(memory.buffer, ptr, size).toString('utf8');
  const env = {
    proxy_get_header_map_value(map: number, keyPtr: number, keySize: number, valuePtrPtr: number, valueSizePtr: number) {
      const value = map === 0 ? requestHeaders.get(text(keyPtr, keySize)) : undefined;
      if (value === undefined) return 1; // NotFound
      const ptr = allocate(value.length);
      Buffer.from(memory.buffer).write(value, ptr, 'utf8');
      const view = new DataView(memory.buffer);
      view.setUint32(valuePtrPtr, ptr, true);
      view.setUint32(valueSizePtr, value.length, true);
      return 0;
    },
    proxy_add_header_map_value(map: number, keyPtr: number, keySize: number, valuePtr: number, valueSize: number) {
      added.push([map, text(keyPtr, keySize), text(valuePtr, valueSize)]);
      return 0;
    },
  };
  const { instance } = await WebAssembly.instantiate(bytes, { env });
  const exports = instance.exports as Record<string, unknown>;
  memory = exports.memory as WebAssembly.Memory;
  allocate = exports.proxy_on_memory_allocate as (size: number) => number;
  return { exports: exports as Record<string, (...args: number[]) => number>, requestHeaders, added };
}

describe('route_filter.wasm', () => {
  it('exports the proxy-wasm 0.2.1 entry points Envoy calls', async () => {
    expect(WebAssembly.validate(bytes)).toBe(true);
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    for (const name of ['memory', 'proxy_abi_version_0_2_1', 'proxy_on_memory_allocate', 'proxy_on_context_create', 'proxy_on_vm_start', 'proxy_on_configure', 'proxy_on_request_headers', 'proxy_on_response_headers'])
      expect(names).toContain(name);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => `${i.module}.${i.name}`);
    expect(imports).toEqual(['env.proxy_get_header_map_value', 'env.proxy_add_header_map_value']);
  });

  it('classifies the path on request headers and tags the response, per stream', async () => {
    const { exports, requestHeaders, added } = await filter();
    expect(exports.proxy_on_vm_start(1, 0)).toBe(1);
    expect(exports.proxy_on_configure(1, 0)).toBe(1);
    const cases: [number, string, string][] = [
      [2, '/api/users/42', 'api'],
      [3, '/static/app.css', 'static'],
      [4, '/', 'web'],
      [5, '/ap', 'web'],
      [6, '/apix/', 'web'],
    ];
    // Requests of several streams first, then their responses: the class is kept per context.
    for (const [ctx, path] of cases) {
      requestHeaders.set(':path', path);
      expect(exports.proxy_on_request_headers(ctx, 1, 1)).toBe(0);
    }
    for (const [ctx] of cases) expect(exports.proxy_on_response_headers(ctx, 1, 0)).toBe(0);
    expect(added).toEqual(cases.map(([, , cls]) => [2, 'x-route-class', cls]));
  });

  it('keeps working after the allocator wraps', async () => {
    const { exports, requestHeaders, added } = await filter();
    requestHeaders.set(':path', `/api/${'x'.repeat(4000)}`);
    for (let ctx = 0; ctx < 200; ctx++) {
      exports.proxy_on_request_headers(ctx, 1, 1);
      exports.proxy_on_response_headers(ctx, 1, 0);
    }
    expect(added.every(([, , cls]) => cls === 'api')).toBe(true);
    expect(added).toHaveLength(200);
  });
});
