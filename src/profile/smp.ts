/**
 * Import of Meshery / SMP performance test files (`test:` with `clients[]`, `mesh: {type}`),
 * turned into meshgate's profile input form so that one schema validates both.
 * SMP enums: ServiceMesh.Type (3 ISTIO, 5 LINKERD …) and Protocol (1 HTTP, 4 GRPC).
 */
import { UserError, quoteValue } from '../errors.js';
import { CLUSTER_MESHES } from '../platform/catalog/index.js';

const SMP_MESH_TYPES: Record<number, string> = {
  0: 'NONE',
  1: 'APP_MESH',
  2: 'CONSUL',
  3: 'ISTIO',
  4: 'KUMA',
  5: 'LINKERD',
  6: 'TRAEFIK_MESH',
  7: 'OCTARINE',
  8: 'NETWORK_SERVICE_MESH',
  9: 'TANZU',
  10: 'OPEN_SERVICE_MESH',
  11: 'NGINX_SERVICE_MESH',
  12: 'CILIUM_SERVICE_MESH',
};
/** The meshes whose descriptor names their SMP type (platform/catalog/meshes/). */
const SUPPORTED: Record<number, string> = Object.fromEntries(
  Object.values(CLUSTER_MESHES).flatMap((mesh) => ('smp' in mesh ? [[mesh.smp.code, mesh.name]] : [])),
);
/** "3 (ISTIO), 5 (LINKERD), or no mesh" */
const SUPPORTED_TEXT = [
  ...Object.values(CLUSTER_MESHES).flatMap((mesh) =>
    'smp' in mesh && mesh.smp.code !== 0 ? [`${mesh.smp.code} (${mesh.smp.type})`] : [],
  ),
  'or no mesh',
].join(', ');

export function isSmpDocument(doc: unknown): doc is { test: unknown } {
  return typeof doc === 'object' && doc !== null && 'test' in doc;
}

type Obj = Record<string, unknown>;
const asObject = (value: unknown): Obj => (typeof value === 'object' && value !== null ? (value as Obj) : {});

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'smp-test'
  );
}

/** Map an SMP document to the profile input form. Errors name the SMP field. */
export function smpToProfileInput(doc: { test: unknown; mesh?: unknown }, file: string): Obj {
  const test = asObject(doc.test);
  const clients = Array.isArray(test.clients) ? test.clients : [];
  if (clients.length === 0) throw new UserError(`${file}: test.clients: expected at least one client`);
  const client = asObject(clients[0]);
  if (client.protocol !== undefined && client.protocol !== 1)
    throw new UserError(
      `${file}: test.clients[0].protocol: only 1 (HTTP) is supported, got ${JSON.stringify(client.protocol)}`,
    );
  if (test.name !== undefined && typeof test.name !== 'string')
    throw new UserError(`${file}: test.name: expected text, got ${quoteValue(test.name)}`);
  const load: Obj = {};
  if (client.rps !== undefined) load.rps = client.rps;
  if (client.connections !== undefined) load.connections = client.connections;
  if (test.duration !== undefined) load.duration = test.duration;
  // Header values go to the profile schema as they are: a non-string one is reported there by field.
  const headers: Record<string, string> = { ...(asObject(client.headers) as Record<string, string>) };
  if (typeof client.content_type === 'string' && client.content_type)
    headers['content-type'] = client.content_type;
  const cookies = Object.entries(asObject(client.cookies));
  for (const [k, v] of cookies)
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new UserError(`${file}: test.clients[0].cookies.${k}: expected text, got ${quoteValue(v)}`);
  if (cookies.length > 0) headers.cookie = cookies.map(([k, v]) => `${k}=${v as string}`).join('; ');
  load.request = {
    method: typeof client.body === 'string' && client.body ? 'POST' : 'GET',
    headers,
    body: typeof client.body === 'string' ? client.body : '',
  };
  const workload: Obj = {};
  const urls = Array.isArray(client.endpoint_urls) ? client.endpoint_urls : [];
  if (urls[0] !== undefined) {
    const url = typeof urls[0] === 'string' && URL.canParse(urls[0]) ? new URL(urls[0]) : undefined;
    if (!url || !/^https?:$/.test(url.protocol))
      throw new UserError(
        `${file}: test.clients[0].endpoint_urls[0]: expected an http:// or https:// URL, got ${quoteValue(urls[0])}`,
      );
    workload.url = url.origin;
    (load.request as Obj).path = `${url.pathname}${url.search}` || '/';
  }
  const meshType = asObject(doc.mesh).type ?? 0;
  const mesh = typeof meshType === 'number' ? SUPPORTED[meshType] : undefined;
  if (!mesh)
    throw new UserError(
      `${file}: mesh.type: ${quoteValue(meshType)} (${(typeof meshType === 'number' && SMP_MESH_TYPES[meshType]) || 'unknown'}) is not supported; supported: ${SUPPORTED_TEXT}`,
    );
  return {
    name: slug(typeof test.name === 'string' ? test.name : 'smp-test'),
    description: `Imported from SMP test "${test.name ?? ''}"`,
    platform: mesh === 'none' ? 'local' : 'kind',
    workload,
    mesh: [mesh],
    load,
  };
}
