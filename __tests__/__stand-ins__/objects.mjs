// The kubectl stand-in's object store (tests only): every object applied, one JSON file each under
// $STANDIN_STATE/objects/<kind>/<namespace>/<name>.json, so that later calls see what a real API
// server would hold (ConfigMaps mounted into pods, Services to route to, fields that may not
// change on a re-apply).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Kinds without a namespace (the rest default to the -n flag, then "default"). */
const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Node']);

export const namespaceOf = (object, flagNamespace) =>
  CLUSTER_SCOPED.has(object.kind) ? '_cluster' : (object.metadata?.namespace ?? flagNamespace ?? 'default');

const dirOf = (state, kind, namespace) => join(state, 'objects', kind, namespace);

export function getObject(state, kind, namespace, name) {
  const path = join(dirOf(state, kind, namespace), `${name}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

export function putObject(state, object, namespace) {
  const dir = dirOf(state, object.kind, namespace);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${object.metadata.name}.json`), JSON.stringify(object));
}

export function deleteObject(state, kind, namespace, name) {
  rmSync(join(dirOf(state, kind, namespace), `${name}.json`), { force: true });
}

/** Every object of `kind` (in `namespace`, or in all namespaces). */
export function listObjects(state, kind, namespace) {
  const kindDir = join(state, 'objects', kind);
  if (!existsSync(kindDir)) return [];
  const namespaces = namespace ? [namespace] : readdirSync(kindDir);
  return namespaces.flatMap((ns) =>
    existsSync(join(kindDir, ns))
      ? readdirSync(join(kindDir, ns)).map((file) => ({ namespace: ns, object: JSON.parse(readFileSync(join(kindDir, ns, file), 'utf8')) }))
      : [],
  );
}

export function deleteNamespaceObjects(state, namespace) {
  const root = join(state, 'objects');
  if (!existsSync(root)) return;
  for (const kind of readdirSync(root)) rmSync(join(root, kind, namespace), { recursive: true, force: true });
}
