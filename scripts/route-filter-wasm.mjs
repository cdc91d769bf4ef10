// Writes profiles/dataplane/route_filter.wasm: the route-classifying function of
// profiles/dataplane-filters.yaml as a proxy-wasm (ABI 0.2.1) HTTP filter for Envoy, assembled
// here byte by byte so the repository needs no WASM toolchain. On request headers it reads
// :path and classifies it (/api/ → api, /static/ → static, else web), keyed by the stream's
// context id; on response headers it adds x-route-class. Memory: one 64 KiB page; the host's
// copies of header values come from a bump allocator that wraps (each value is read in the call
// that asked for it). Run: node scripts/route-filter-wasm.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const uleb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n) => {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const str = (s) => [...uleb(s.length), ...Buffer.from(s)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const I32 = 0x7f;
const op = {
  const: (n) => [0x41, ...sleb(n)],
  get: (i) => [0x20, ...uleb(i)],
  set: (i) => [0x21, ...uleb(i)],
  tee: (i) => [0x22, ...uleb(i)],
  gget: (i) => [0x23, ...uleb(i)],
  gset: (i) => [0x24, ...uleb(i)],
  call: (i) => [0x10, ...uleb(i)],
  load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  load8: (offset = 0) => [0x2d, 0, ...uleb(offset)],
  store8: (offset = 0) => [0x3a, 0, ...uleb(offset)],
  add: [0x6a], and: [0x71], eq: [0x46], ne: [0x47], gtU: [0x4b], geU: [0x4f], ltU: [0x49], eqz: [0x45],
  drop: [0x1a], select: [0x1b], ret: [0x0f], end: [0x0b],
  if: [0x04, 0x40], block: [0x02, 0x40], loop: [0x03, 0x40], br: (d) => [0x0c, d], brIf: (d) => [0x0d, d],
};
const body = (locals, code) => {
  const decl = locals > 0 ? vec([[...uleb(locals), I32]]) : [0];
  const bytes = [...decl, ...code.flat(), 0x0b];
  return [...uleb(bytes.length), ...bytes];
};

// Data layout.
const AT = { path: 0, header: 16, api: 32, web: 40, apiPrefix: 48, stat: 64, staticPrefix: 72, slotPtr: 128, slotSize: 132, classes: 512, heap: 1024 };
const data = [
  [AT.path, ':path'], [AT.header, 'x-route-class'], [AT.api, 'api'], [AT.web, 'web'],
  [AT.apiPrefix, '/api/'], [AT.stat, 'static'], [AT.staticPrefix, '/static/'],
];

const types = [
  [0x60, 1, I32, 1, I32], // 0 (i32) -> i32
  [0x60, 2, I32, I32, 0], // 1 (i32, i32) -> ()
  [0x60, 2, I32, I32, 1, I32], // 2 (i32, i32) -> i32
  [0x60, 3, I32, I32, I32, 1, I32], // 3 (i32, i32, i32) -> i32
  [0x60, 0, 0], // 4 () -> ()
  [0x60, 5, I32, I32, I32, I32, I32, 1, I32], // 5 (i32 × 5) -> i32
];
const imports = [
  [...str('env'), ...str('proxy_get_header_map_value'), 0x00, 5], // func 0
  [...str('env'), ...str('proxy_add_header_map_value'), 0x00, 5], // func 1
];
// Functions 2.. (after the two imports).
const F = { abi: 2, alloc: 3, contextCreate: 4, ok: 5, requestHeaders: 6, responseHeaders: 7, startsWith: 8 };
const functionTypes = [4, 0, 1, 2, 3, 3, 3];

const code = [
  body(0, []), // proxy_abi_version_0_2_1
  // proxy_on_memory_allocate(size): bump allocator that wraps to AT.heap.
  body(1, [
    op.gget(0), op.get(0), op.add, op.const(65536), op.gtU, op.if, op.const(AT.heap), op.gset(0), op.end,
    op.gget(0), op.set(1), op.gget(0), op.get(0), op.add, op.gset(0), op.get(1),
  ]),
  body(0, []), // proxy_on_context_create
  body(0, [op.const(1)]), // proxy_on_vm_start / proxy_on_configure: true
];
// proxy_on_request_headers(ctx, headers, eos): classify :path, keyed by the context id. The
// helper has type 3, so the prefix's address and length travel packed: at | length << 16.
code.push(body(3, [
  op.const(AT.slotPtr), op.const(0), [0x36, 2, 0], op.const(AT.slotSize), op.const(0), [0x36, 2, 0],
  op.const(0), op.const(AT.path), op.const(5), op.const(AT.slotPtr), op.const(AT.slotSize), op.call(0), op.drop,
  op.const(AT.slotPtr), op.load(), op.set(3), op.const(AT.slotSize), op.load(), op.set(4),
  op.const(0), op.set(5),
  op.get(3), op.get(4), op.const(AT.apiPrefix | (5 << 16)), op.call(F.startsWith), op.if, op.const(1), op.set(5), op.end,
  op.get(3), op.get(4), op.const(AT.staticPrefix | (8 << 16)), op.call(F.startsWith), op.if, op.const(2), op.set(5), op.end,
  op.get(0), op.const(255), op.and, op.get(5), op.store8(AT.classes),
  op.const(0), // Continue
]));
// proxy_on_response_headers(ctx, headers, eos): add x-route-class for the stream's class.
code.push(
  body(1, [
    op.get(0), op.const(255), op.and, op.load8(AT.classes), op.set(3),
    op.const(2), op.const(AT.header), op.const(13),
    // select(a, b, c) is c ? a : b: value = class 0 ? web : (class 2 ? static : api)
    op.const(AT.web), op.const(AT.stat), op.const(AT.api), op.get(3), op.const(2), op.eq, op.select, op.get(3), op.eqz, op.select,
    op.const(6), op.const(3), op.get(3), op.const(2), op.eq, op.select,
    op.call(1), op.drop,
    op.const(0),
  ]),
);
// startsWith(ptr, size, prefixAt | length << 16) -> i32
code.push(
  body(3, [
    op.get(2), op.const(16), [0x76], op.set(3), // length = packed >>> 16
    op.get(2), op.const(0xffff), op.and, op.set(2), // prefixAt
    op.get(1), op.get(3), op.ltU, op.if, op.const(0), op.ret, op.end,
    op.const(0), op.set(4),
    op.block, op.loop,
    op.get(4), op.get(3), op.geU, op.brIf(1),
    op.get(0), op.get(4), op.add, op.load8(), op.get(2), op.get(4), op.add, op.load8(), op.ne, op.if, op.const(0), op.ret, op.end,
    op.get(4), op.const(1), op.add, op.set(4), op.br(0),
    op.end, op.end,
    op.const(1),
  ]),
);

const exports = [
  ['memory', 0x02, 0],
  ['proxy_abi_version_0_2_1', 0x00, F.abi],
  ['proxy_on_memory_allocate', 0x00, F.alloc],
  ['malloc', 0x00, F.alloc],
  ['proxy_on_context_create', 0x00, F.contextCreate],
  ['proxy_on_vm_start', 0x00, F.ok],
  ['proxy_on_configure', 0x00, F.ok],
  ['proxy_on_request_headers', 0x00, F.requestHeaders],
  ['proxy_on_response_headers', 0x00, F.responseHeaders],
].map(([name, kind, index]) => [...str(name), kind, ...uleb(index)]);

const module = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec(types)),
  ...section(2, vec(imports)),
  ...section(3, vec(functionTypes.map((t) => uleb(t)))),
  ...section(5, vec([[0x00, 1]])), // memory: 1 page
  ...section(6, vec([[I32, 0x01, ...op.const(AT.heap), 0x0b]])), // heap pointer
  ...section(7, vec(exports)),
  ...section(10, vec(code)),
  ...section(11, vec(data.map(([at, text]) => [0x00, ...op.const(at), 0x0b, ...str(text)]))),
];

export const ROUTE_FILTER_WASM = Uint8Array.from(module);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('../profiles/dataplane/route_filter.wasm', import.meta.url));
  writeFileSync(out, ROUTE_FILTER_WASM);
  console.log(`wrote ${out} (${ROUTE_FILTER_WASM.length} bytes)`);
}
