// Pods of the kubectl stand-in that run for real (tests only, when STANDIN_RUN_PODS=1): a Job's,
// a Deployment's or a DaemonSet's pod template becomes a pod whose containers are local processes
// started by pod-runner.mjs (detached, so that they outlive the kubectl call that created them,
// as pods outlive kubectl). Each pod has a directory $STANDIN_STATE/pods/<namespace>/<pod>/ with
// pod.json (what the runner needs), <container>.log, status.json, ports.json and its files.
//
// What the stand-in models and a real cluster does differently, written down here:
// - Scheduling: a pod goes to the node its nodeSelector's meshgate.dev/role names
//   (<cluster>-worker for workload, <cluster>-worker2 for load, else <cluster>-worker); no
//   resources, taints or topology spread.
// - Images: only Node images (node:…) run, with the local `node` standing in for the image's;
//   a pod of another image is Running with no process (it serves nothing). Images are "pulled"
//   onto a node the first time a pod there uses them (recorded in pulls.jsonl, delayed by
//   STANDIN_PULL_MS), which is what pre-pulling must avoid during trials.
// - Mesh admission webhooks do not inject proxies: a meshed pod runs its own containers only.
// - Volumes: ConfigMap volumes only (items or every key), laid out under the pod's directory;
//   a path in command or args under a mountPath is read from there.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getObject, listObjects } from './objects.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const runPods = () => process.env.STANDIN_RUN_PODS === '1';

const podsDir = (state) => join(state, 'pods');
export const podDir = (state, namespace, name) => join(podsDir(state), namespace, name);
export function readJson(path, fallback) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return fallback; // not there (yet)
  }
}
const suffix = (length) => Array.from({ length }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(Math.random() * 27)]).join('');

/** The node a pod template lands on (see the header). */
export function nodeFor(state, template) {
  const cluster = readJson(join(state, 'cluster.json'), { name: 'standin' }).name;
  const role = template.spec?.nodeSelector?.['meshgate.dev/role'];
  return role === 'load' ? `${cluster}-worker2` : `${cluster}-worker`;
}

/** Every Service of the cluster as "<name>.<namespace>.svc.cluster.local:<port>" → the address of a ready endpoint. */
function serviceTable(state, podNamespace) {
  const table = {};
  for (const { namespace, object: service } of listObjects(state, 'Service')) {
    const selector = service.spec?.selector ?? {};
    const endpoints = listPods(state, namespace).filter((pod) =>
      Object.entries(selector).every(([key, value]) => pod.labels?.[key] === value),
    );
    for (const port of service.spec?.ports ?? []) {
      const target = String(port.targetPort ?? port.port);
      const address = endpoints.map((pod) => readJson(join(podDir(state, namespace, pod.name), 'ports.json'), {})[target]).find(Boolean);
      if (!address) continue; // no ready endpoint: the name does not route
      const names = [`${service.metadata.name}.${namespace}.svc.cluster.local`, `${service.metadata.name}.${namespace}.svc`, `${service.metadata.name}.${namespace}`];
      if (namespace === podNamespace) names.push(service.metadata.name);
      for (const name of names) table[`${name}:${port.port}`] = address;
    }
  }
  return table;
}

/** ConfigMap volumes as files: { relative path: content }, or a reason the kubelet could not mount them. */
function mountFiles(state, namespace, spec) {
  const volumes = new Map((spec.volumes ?? []).map((volume) => [volume.name, volume]));
  const mounts = [];
  for (const container of spec.containers ?? [])
    for (const mount of container.volumeMounts ?? []) {
      const volume = volumes.get(mount.name);
      if (!volume) return { error: `spec.containers[].volumeMounts: volume "${mount.name}" not found` };
      if (!volume.configMap) return { error: `volume "${mount.name}": only ConfigMap volumes run in the stand-in` };
      const configMap = getObject(state, 'ConfigMap', namespace, volume.configMap.name);
      if (!configMap) return { error: `MountVolume.SetUp failed for volume "${mount.name}": configmap "${volume.configMap.name}" not found` };
      const data = configMap.data ?? {};
      const items = volume.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
      const files = {};
      for (const item of items) {
        if (!(item.key in data)) return { error: `MountVolume.SetUp failed for volume "${mount.name}": configmap references non-existent config key: ${item.key}` };
        files[item.path] = data[item.key];
      }
      mounts.push({ mountPath: mount.mountPath, files });
    }
  return { mounts };
}

/** Create one pod from a template and start its runner. */
export function createPod(state, { namespace, name, template, owner, index }) {
  const dir = podDir(state, namespace, name);
  mkdirSync(dir, { recursive: true });
  const node = nodeFor(state, template);
  const spec = template.spec ?? {};
  const { mounts, error } = mountFiles(state, namespace, spec);
  const nodeImages = readJson(join(state, 'node-images.json'), {});
  const pulls = [];
  for (const container of spec.containers ?? [])
    if (!(nodeImages[node] ?? []).includes(container.image)) {
      nodeImages[node] = [...(nodeImages[node] ?? []), container.image];
      pulls.push(container.image);
      appendFileSync(join(state, 'pulls.jsonl'), `${JSON.stringify({ pod: name, namespace, node, image: container.image, owner })}\n`);
    }
  writeFileSync(join(state, 'node-images.json'), JSON.stringify(nodeImages));
  const pod = {
    namespace,
    name,
    node,
    owner,
    index,
    labels: { ...(template.metadata?.labels ?? {}), ...(owner.kind === 'Job' ? { 'job-name': owner.name } : {}) },
    annotations: { ...(template.metadata?.annotations ?? {}), ...(index === undefined ? {} : { 'batch.kubernetes.io/job-completion-index': String(index) }) },
    spec,
    mountError: error,
    pullMs: pulls.length > 0 ? Number(process.env.STANDIN_PULL_MS ?? 0) : 0,
    activeDeadlineS: owner.activeDeadlineS,
    services: serviceTable(state, namespace),
  };
  // The files (meshgate's bundles: hundreds of KB) apart from pod.json, which every poll reads.
  writeFileSync(join(dir, 'mounts.json'), JSON.stringify(mounts ?? []));
  writeFileSync(join(dir, 'pod.json'), JSON.stringify(pod));
  writeFileSync(join(dir, 'status.json'), JSON.stringify({ phase: 'Pending' }));
  const runner = spawn(process.execPath, [join(here, 'pod-runner.mjs'), dir], { detached: true, stdio: 'ignore' });
  writeFileSync(join(dir, 'pid'), String(runner.pid));
  // Every runner ever started, kept when its pod is deleted: tests check that none still runs.
  appendFileSync(join(state, 'runners.jsonl'), `${JSON.stringify({ pod: `${namespace}/${name}`, pid: runner.pid })}\n`);
  runner.unref();
  return pod;
}

export function podsFor(state, kind, namespace, object) {
  const template = object.spec?.template ?? {};
  const owner = { kind, name: object.metadata.name, activeDeadlineS: object.spec?.activeDeadlineSeconds };
  if (kind === 'Job') {
    const completions = Number(object.spec?.completions ?? 1);
    return Array.from({ length: completions }, (_, index) =>
      createPod(state, { namespace, name: `${object.metadata.name}-${index}-${suffix(5)}`, template, owner, index: object.spec?.completionMode === 'Indexed' ? index : undefined }),
    );
  }
  const replicas = kind === 'DaemonSet' ? 1 : Number(object.spec?.replicas ?? 1);
  return Array.from({ length: replicas }, () =>
    createPod(state, { namespace, name: `${object.metadata.name}-${kind === 'DaemonSet' ? '' : `${suffix(10)}-`}${suffix(5)}`, template, owner }),
  );
}

/** Pods (pod.json plus status) in `namespace`, or everywhere. */
export function listPods(state, namespace) {
  const root = podsDir(state);
  if (!existsSync(root)) return [];
  const namespaces = namespace ? [namespace] : readdirSync(root);
  return namespaces.flatMap((ns) =>
    existsSync(join(root, ns))
      ? readdirSync(join(root, ns)).flatMap((name) => {
          const dir = join(root, ns, name);
          const pod = readJson(join(dir, 'pod.json'), undefined);
          return pod ? [{ ...pod, status: readJson(join(dir, 'status.json'), { phase: 'Pending' }) }] : [];
        })
      : [],
  );
}

export const podsOf = (state, namespace, kind, name) =>
  listPods(state, namespace).filter((pod) => pod.owner.kind === kind && pod.owner.name === name);

/** Stop pods (their runner's process group: the runner and its containers) and forget them. */
export function deletePods(state, pods) {
  for (const pod of pods) {
    const dir = podDir(state, pod.namespace, pod.name);
    const pid = Number(readJson(join(dir, 'pid'), 0));
    if (pid > 0)
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sleep inside a short-lived stand-in call (polling a pod's files). */
export const sleepMs = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
