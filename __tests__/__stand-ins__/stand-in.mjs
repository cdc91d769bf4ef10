// A recording stand-in for kind, kubectl, istioctl, linkerd and docker (tests only).
// Usage: node stand-in.mjs <tool> args...  (install.ts writes one wrapper per tool onto PATH).
// Appends {tool, args, stdin, config?} as one JSON line to $STANDIN_LOG and answers like the
// real tool for the calls meshgate makes. Environment:
//   STANDIN_LOG       log file (required)
//   STANDIN_STATE     directory for state between calls (Job sizes, scrape counts, namespace)
//   STANDIN_FAIL      JSON [{tool, match, exit, stderr}] — a call whose "tool args" contains `match` fails
//   STANDIN_EXISTING  JSON list of objects `kubectl get X --ignore-not-found` finds (e.g. "deployment/istiod")
//   STANDIN_TRIALS    JSON file: array of LoadTrial objects, printed by `kubectl logs` of pod index i
//   STANDIN_FIXTURES  directory with cadvisor-1.txt and cadvisor-2.txt (and the control plane's
//                     cadvisor-control-plane-1.txt / -2.txt): the containers' counters and rates
//                     (node-metrics.mjs), served as the kubelet's cached cAdvisor scrape and as the
//                     kind nodes' cgroup files (`docker exec NODE find|grep`)
//   STANDIN_HOUSEKEEPING_MS  cAdvisor's housekeeping interval (default: 10 s, then 10–15 s, as the kubelet)
//   STANDIN_PINS      JSON {tool: version}: the pinned versions (install.ts writes them into each
//                     wrapper from src/system/tool-versions.ts), the tools' versions by default
//   STANDIN_ISTIO_VERSION  the Istio version istioctl is and installs (default: the pinned istioctl)
//   STANDIN_LINKERD_VERSION  the Linkerd version the CLI is and installs (default: the pinned linkerd)
//   STANDIN_RUN_PODS  "1": pods of Jobs, Deployments and DaemonSets run as local processes
//                     (pods.mjs), and wait/logs/get pods answer from them instead of STANDIN_TRIALS
//   STANDIN_PULL_MS   run pods: how long a node takes to pull an image it does not have yet
//   STANDIN_UNWELL    JSON [{namespace, name}] — pods that `kubectl get pods` also lists, crash-looping
//   STANDIN_KIND_LOG_BYTES  size of each node's journal.log that `kind export logs` writes (default 2 KB)
//   STANDIN_SLOW      JSON [{tool, match, ms}] — a call whose "tool args" contains `match` works for
//                     `ms` before it takes effect (a slow `kind create cluster`, `istioctl install`);
//                     like the real tools it dies on SIGTERM/SIGINT without finishing. It records
//                     {pid, started, finished?} in $STANDIN_STATE/slow.jsonl.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { asApplied, immutableFieldIssues, linkerdJobCompletes, validateObject } from './api-rules.mjs';
import { injectedProxy, istioObjectIssues } from './mesh-rules.mjs';
import { deleteNamespaceObjects, deleteObject, getObject, listObjects, namespaceOf, putObject } from './objects.mjs';
import { deletePods, listPods, podDir, podsFor, podsOf, readJson, runPods, sleepMs } from './pods.mjs';
import { bootMs, cachedCadvisor, containerModel, findScopes, grepFiles, podStatus } from './node-metrics.mjs';

const [tool, ...args] = process.argv.slice(2);
/** The pinned version of a tool (install.ts puts the pin table into each wrapper). */
const pinned = (name) => {
  const version = JSON.parse(process.env.STANDIN_PINS ?? '{}')[name];
  if (!version) fail(127, `stand-in: no pinned version of ${name} in STANDIN_PINS (run the stand-ins through install.ts)`);
  return version;
};
const joined = `${tool} ${args.join(' ')}`;
const state = process.env.STANDIN_STATE;
mkdirSync(state, { recursive: true });
const readState = (name, fallback) => (existsSync(join(state, name)) ? JSON.parse(readFileSync(join(state, name), 'utf8')) : fallback);
const writeState = (name, value) => writeFileSync(join(state, name), JSON.stringify(value));
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const fail = (exit, stderr) => {
  process.stderr.write(`${stderr}\n`);
  process.exit(exit);
};
const linkerdVersion = process.env.STANDIN_LINKERD_VERSION ?? pinned('linkerd');
/** The Istio version istioctl is and installs. */
const istioRelease = process.env.STANDIN_ISTIO_VERSION ?? pinned('istioctl');

function readStdin() {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

const stdin = readStdin();
const entry = { tool, args, stdin };
if (tool === 'kind' && flag('--config')) entry.config = readFileSync(flag('--config'), 'utf8');
appendFileSync(process.env.STANDIN_LOG, `${JSON.stringify(entry)}\n`);

for (const rule of JSON.parse(process.env.STANDIN_FAIL ?? '[]'))
  if (rule.tool === tool && joined.includes(rule.match)) fail(rule.exit ?? 1, rule.stderr ?? `${tool}: injected failure`);

for (const rule of JSON.parse(process.env.STANDIN_SLOW ?? '[]'))
  if (rule.tool === tool && joined.includes(rule.match)) {
    // Node's default for SIGTERM/SIGINT: exit at once, as kind's and istioctl's Go runtime does.
    appendFileSync(join(state, 'slow.jsonl'), `${JSON.stringify({ pid: process.pid, call: joined, started: Date.now() })}\n`);
    await new Promise((resolve) => setTimeout(resolve, rule.ms));
    appendFileSync(join(state, 'slow.jsonl'), `${JSON.stringify({ pid: process.pid, call: joined, finished: Date.now() })}\n`);
  }

/** The API server's default: Always for :latest or untagged images, IfNotPresent otherwise. */
function pullPolicy(container) {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = String(container.image ?? '').split('@')[0];
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

const kubectlArgs = args[0] === '--context' ? args.slice(2) : args;

/** Kinds whose pods the stand-in runs, by the name kubectl takes on its command line. */
const POD_OWNERS = { Job: 'job', Deployment: 'deployment', DaemonSet: 'daemonset' };
const KIND_OF = Object.fromEntries(Object.entries(POD_OWNERS).map(([kind, word]) => [word, kind]));
const timeoutMsOf = (a) => {
  const match = /^--timeout=(\d+)s$/.exec(a.find((x) => x.startsWith('--timeout=')) ?? '');
  return match ? Number(match[1]) * 1000 : 30_000;
};
const selectorMatches = (selector, labels) =>
  !selector || selector.split(',').every((pair) => { const [key, value] = pair.split('='); return labels?.[key] === value; });

/** A pod as `kubectl get pods -o json` shows it. */
const podItem = (pod) => ({
  metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels, annotations: pod.annotations },
  spec: { nodeName: pod.node },
  status: { phase: pod.status.phase, ...(pod.status.reason ? { reason: pod.status.reason, message: pod.status.message } : {}) },
});

/** A pod is ready when its process listens on every containerPort and its HTTP readiness probe answers 200–399. */
async function podReady(pod) {
  if (pod.status.phase !== 'Running') return false;
  if (!pod.status.process) return true;
  const ports = readJson(join(podDir(state, pod.namespace, pod.name), 'ports.json'), {});
  for (const container of pod.spec.containers ?? []) {
    for (const port of container.ports ?? []) if (!ports[String(port.containerPort)]) return false;
    const probe = container.readinessProbe?.httpGet;
    if (probe) {
      const address = ports[String(probe.port)];
      if (!address) return false;
      const status = await fetch(`http://${address}${probe.path ?? '/'}`).then((r) => r.status, () => 0);
      if (status < 200 || status >= 400) return false;
    }
  }
  return true;
}

async function rolloutRunning(kind, name, ns, timeoutMs) {
  if (!getObject(state, kind, ns, name)) return fail(1, `Error from server (NotFound): ${kind.toLowerCase()}s.apps "${name}" not found`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = podsOf(state, ns, kind, name);
    const broken = pods.find((pod) => pod.status.phase === 'Failed' || pod.status.reason === 'FailedMount');
    if (broken) {
      const log = (broken.spec.containers ?? []).map((c) => join(podDir(state, ns, broken.name), `${c.name}.log`)).filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('').slice(-500);
      return fail(1, `error: ${kind.toLowerCase()} "${name}" exceeded its progress deadline (pod ${broken.name}: ${broken.status.reason ?? 'CrashLoopBackOff'} ${broken.status.message ?? ''})\n${log}`);
    }
    if (pods.length > 0 && (await Promise.all(pods.map(podReady))).every(Boolean)) return out(`${POD_OWNERS[kind]} "${name}" successfully rolled out`);
    if (Date.now() > deadline) return fail(1, `error: timed out waiting for the condition`);
    await sleepMs(100);
  }
}

/** `kubectl wait --for=condition=complete|failed job/X` over pods that run (Indexed, backoffLimit 0). */
async function waitJobRunning(job, ns, condition, timeoutMs) {
  const object = getObject(state, 'Job', ns, job);
  if (!object) return fail(1, `Error from server (NotFound): jobs.batch "${job}" not found`);
  const completions = Number(object.spec?.completions ?? 1);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = podsOf(state, ns, 'Job', job);
    const failed = pods.some((pod) => pod.status.phase === 'Failed');
    const complete = !failed && pods.filter((pod) => pod.status.phase === 'Succeeded').length === completions;
    if ((condition === 'complete' && complete) || (condition === 'failed' && failed)) return out(`job.batch/${job} condition met`);
    if (Date.now() > deadline) return fail(1, `error: timed out waiting for the condition on jobs/${job}`);
    await sleepMs(100);
  }
}

async function kubectl(a) {
  const [verb] = a;
  const ns = flag('-n');
  if (verb === 'config' && a[1] === 'current-context') return out('standin-context');
  if (verb === 'cluster-info') return out('Kubernetes control plane is running at https://127.0.0.1:6443');
  if (verb === 'version') return out(JSON.stringify({ clientVersion: { gitVersion: 'v1.33.0' }, serverVersion: { gitVersion: 'v1.33.1' } }));
  if (verb === 'apply') {
    const serverSide = a.includes('--server-side');
    const objects = parseAllDocuments(stdin).map((doc) => doc.toJS()).filter(Boolean);
    const issues = objects.flatMap((object) => validateObject(asApplied(object, serverSide)));
    if (issues.length > 0) return fail(1, issues.map((issue) => `Error from server (Invalid): ${issue}`).join('\n'));
    // Istio's kinds exist only once its CRDs are installed, and are checked against their schemas.
    const meshIssues = objects.flatMap((object) => istioObjectIssues(object, istioVersion()));
    if (meshIssues.length > 0) return fail(1, meshIssues.join('\n'));
    const stored = objects.map((object) => getObject(state, object.kind, namespaceOf(object, ns), object.metadata.name));
    const immutable = objects.flatMap((object, i) => immutableFieldIssues(stored[i], object));
    if (immutable.length > 0) return fail(1, immutable.map((issue) => `Error from server (Invalid): ${issue}`).join('\n'));
    const jobs = readState('jobs', {});
    for (const [i, object] of objects.entries()) {
      const { kind, metadata } = object;
      const namespace = namespaceOf(object, ns);
      putObject(state, object, namespace);
      if (runPods() && POD_OWNERS[kind]) {
        const current = podsOf(state, namespace, kind, metadata.name);
        // A changed template rolls the pods (Deployments, DaemonSets); a Job's cannot change.
        if (current.length > 0 && JSON.stringify(stored[i]?.spec?.template) !== JSON.stringify(object.spec?.template)) deletePods(state, current);
        if (current.length === 0 || JSON.stringify(stored[i]?.spec?.template) !== JSON.stringify(object.spec?.template)) podsFor(state, kind, namespace, object);
      }
      if (kind === 'Job') {
        jobs[metadata.name] = Number(object.spec?.completions ?? 1);
        const podAnnotations = readState('job-pods', {});
        podAnnotations[metadata.name] = { namespace: metadata.namespace ?? ns, annotations: object.spec?.template?.metadata?.annotations ?? {} };
        writeState('job-pods', podAnnotations);
      }
      if (kind === 'Namespace') {
        const namespaces = readState('namespaces', {});
        namespaces[metadata.name] = metadata.annotations ?? {};
        writeState('namespaces', namespaces);
        const labels = readState('namespace-labels', {});
        labels[metadata.name] = metadata.labels ?? {};
        writeState('namespace-labels', labels);
      }
      if (object.spec?.template) recordInjection(object, metadata.namespace ?? ns);
      if (kind === 'Deployment') {
        const deployments = readState('deployments', {});
        deployments[`${metadata.namespace ?? ns}/${metadata.name}`] = object.spec?.template?.spec?.containers ?? [];
        writeState('deployments', deployments);
      }
      out(`${kind.toLowerCase()}/${metadata.name} ${serverSide ? 'serverside-applied' : 'configured'}`);
    }
    return writeState('jobs', jobs);
  }
  if (verb === 'rollout') {
    // Images that exist only on the nodes (kind load) cannot be pulled: a container whose
    // effective pull policy is Always (the default for :latest and untagged images) ends in
    // ErrImagePull and the rollout never completes.
    const containers = readState('deployments', {})[`${ns}/${a[2].replace(/^deployment\//, '')}`] ?? [];
    const loaded = readState('loaded-images', []);
    const stuck = containers.find((c) => loaded.includes(c.image) && pullPolicy(c) === 'Always');
    if (stuck) return fail(1, `error: deployment "${a[2]}" exceeded its progress deadline (container ${stuck.name}: ErrImagePull, ${stuck.image} is not in any registry)`);
    const [word, name] = a[2].split('/');
    if (runPods() && KIND_OF[word]) return rolloutRunning(KIND_OF[word], name, ns ?? 'default', timeoutMsOf(a));
    return out(`${a[2]} successfully rolled out`);
  }
  if (verb === 'wait') {
    const job = a.find((x) => x.startsWith('job/'))?.slice(4);
    const pod = job && readState('job-pods', {})[job];
    if (pod && !linkerdJobCompletes({ linkerdVersion: readState('linkerd-version', undefined), namespaceAnnotations: readState('namespaces', {})[pod.namespace], podAnnotations: pod.annotations }))
      return fail(1, `error: timed out waiting for the condition on jobs/${job} (linkerd-proxy still running: not a native sidecar for this Linkerd version)`);
    if (runPods() && job) return waitJobRunning(job, ns ?? 'default', a.find((x) => x.startsWith('--for=condition='))?.split('=')[2], timeoutMsOf(a));
    if (a.some((x) => x === '--for=condition=failed')) return setTimeout(() => fail(1, 'error: timed out waiting for the condition'), 20_000);
    return out(`${a.find((x) => x.includes('/')) ?? 'nodes'} condition met`);
  }
  if (verb === 'delete') {
    if (a[1] === 'namespace') {
      const names = a[2] === '-l'
        ? listObjects(state, 'Namespace').filter(({ object }) => selectorMatches(a[3], object.metadata.labels)).map(({ object }) => object.metadata.name)
        : [a[2]];
      for (const name of names) {
        deletePods(state, listPods(state, name));
        deleteNamespaceObjects(state, name);
        deleteObject(state, 'Namespace', '_cluster', name);
      }
    } else if (KIND_OF[a[1]]) {
      deletePods(state, podsOf(state, ns ?? 'default', KIND_OF[a[1]], a[2]));
      deleteObject(state, KIND_OF[a[1]], ns ?? 'default', a[2]);
    }
    return out('deleted');
  }
  if (verb === 'logs' && runPods()) {
    const container = flag('-c');
    const file = join(podDir(state, ns ?? 'default', a[1]), `${container}.log`);
    if (!existsSync(join(podDir(state, ns ?? 'default', a[1]), 'pod.json'))) return fail(1, `Error from server (NotFound): pods "${a[1]}" not found`);
    return process.stdout.write(existsSync(file) ? readFileSync(file, 'utf8') : '');
  }
  if (verb === 'logs') {
    const index = Number(/-(\d+)-[a-z0-9]+$/.exec(a[1])?.[1] ?? 0);
    const stored = JSON.parse(readFileSync(process.env.STANDIN_TRIALS, 'utf8'));
    // Either one list of trials for every Job, or { byJob: [list, list, …] } in the order Jobs were applied.
    const job = /^(.*)-\d+-x\d+z$/.exec(a[1])?.[1];
    const jobIndex = Object.keys(readState('jobs', {})).indexOf(job);
    const trials = Array.isArray(stored) ? stored : stored.byJob[Math.min(Math.max(jobIndex, 0), stored.byJob.length - 1)];
    return out(`loadgen: waiting for start\n${JSON.stringify(trials[index % trials.length])}`);
  }
  if (verb === 'get' && a[1] === 'events')
    return out(`LAST SEEN   TYPE      REASON    OBJECT   MESSAGE\n${unwell().map((p) => `10s   Warning   BackOff   pod/${p.name}   Back-off restarting failed container sample in pod ${p.name}_${p.namespace}`).join('\n')}`);
  if (verb === 'describe' && a[1] === 'pod')
    return out(`Name:         ${a[2]}\nNamespace:    ${ns}\nStatus:       Running\nContainers:\n  sample:\n    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Restart Count:  3\nEvents:\n  Warning  BackOff  10s  kubelet  Back-off restarting failed container sample`);
  if (verb === 'get' && a[1] === 'pods' && a.includes('json') && (a.includes('-A') || unwell().some((p) => p.namespace === ns)))
    return out(JSON.stringify({ items: unwell().filter((p) => a.includes('-A') || p.namespace === ns).map((p) => ({ metadata: { name: p.name, namespace: p.namespace }, status: { phase: 'Running', containerStatuses: [{ name: 'sample', ready: false, restartCount: 3 }] } })) }));
  if (verb === 'get' && a[1] === '--raw') {
    // The kubelet answers from cAdvisor's cache: counters as of the last housekeeping tick.
    const series = containerModel(process.env.STANDIN_FIXTURES);
    const fixture = (name) => (existsSync(join(process.env.STANDIN_FIXTURES, name)) ? readFileSync(join(process.env.STANDIN_FIXTURES, name), 'utf8') : '');
    const text = fixture('cadvisor-1.txt').replaceAll('__NAMESPACE__', readState('namespace', 'default')) + fixture('cadvisor-control-plane-1.txt');
    return out(cachedCadvisor(text, series, bootMs(state), Date.now()));
  }
  if (verb === 'get' && a.includes('--ignore-not-found')) {
    const existing = JSON.parse(process.env.STANDIN_EXISTING ?? '[]');
    return existing.includes(a[1]) ? out(a[1]) : undefined;
  }
  if (verb === 'get' && a[1] === 'nodes' && a.some((x) => x.includes('architecture'))) return out('amd64');
  if (verb === 'get' && a[1] === 'pods' && runPods() && (flag('-l') || listPods(state, ns).length > 0)) {
    const selector = flag('-l');
    if (ns !== 'istio-system') writeState('namespace', ns);
    const items = listPods(state, ns).filter((pod) => selectorMatches(selector, pod.labels)).map(podItem);
    return out(a.includes('json') ? JSON.stringify({ items }) : items.map((p) => `${p.metadata.name} ${p.status.phase} ${p.spec.nodeName}`).join('\n'));
  }
  if (verb === 'get' && a[1] === 'pods') {
    const selector = flag('-l');
    if (selector?.startsWith('meshgate.dev/job=')) {
      const job = selector.split('=')[1];
      const size = readState('jobs', {})[job] ?? 1;
      const items = Array.from({ length: size }, (_, i) => ({
        metadata: { name: `${job}-${i}-x${i}z`, annotations: { 'batch.kubernetes.io/job-completion-index': String(i) } },
        status: { phase: 'Succeeded' },
      }));
      return out(a.includes('json') ? JSON.stringify({ items: items.reverse() }) : items.map((p) => p.metadata.name).join('\n'));
    }
    // Control planes: on the control-plane node here, so their scrapes are their own.
    const series = containerModel(process.env.STANDIN_FIXTURES);
    const fixturePod = (name, nodeName) => {
      const { uid, containerStatuses } = podStatus(series, name);
      return { metadata: { name, ...(uid ? { uid } : {}) }, spec: { nodeName }, status: { phase: 'Running', containerStatuses } };
    };
    if (ns === 'linkerd')
      return out(JSON.stringify({ items: ['linkerd-destination-7c9f8d-abcde', 'linkerd-identity-5d8b7c-fghij', 'linkerd-proxy-injector-6f7d8c-klmno'].map((name) => fixturePod(name, 'meshgate-control-plane')) }));
    if (ns !== 'istio-system') writeState('namespace', ns);
    return out(JSON.stringify({ items: [
      fixturePod('sample-head-6f7c9d9b8-x2x7k', 'meshgate-worker'),
      fixturePod('sample-head-7d4b8c-q9z2m', 'meshgate-worker'),
      ...(ns === 'istio-system' ? [fixturePod('ztunnel-4kq9p', 'meshgate-worker'), fixturePod('istiod-5d4f8b9c7-q2w3e', 'meshgate-control-plane')] : []),
    ] }));
  }
  return undefined;
}

/** Pods a test says are crash-looping (STANDIN_UNWELL). */
function unwell() {
  return JSON.parse(process.env.STANDIN_UNWELL ?? '[]');
}

/** The installed Istio's version, or undefined when Istio (and so its CRDs) is not installed. */
function istioVersion() {
  if (JSON.parse(process.env.STANDIN_EXISTING ?? '[]').includes('deployment/istiod')) return istioRelease;
  return readState('istio-version', undefined);
}

/** What the injector of the namespace's mesh reads from a pod template's annotations (state "proxies"). */
function recordInjection(object, namespace) {
  const nsLabels = readState('namespace-labels', {})[namespace] ?? {};
  const nsAnnotations = readState('namespaces', {})[namespace] ?? {};
  const pod = object.spec.template.metadata ?? {};
  const podAnnotations = pod.annotations ?? {};
  let mesh;
  if (nsLabels['istio-injection'] === 'enabled' && pod.labels?.['sidecar.istio.io/inject'] !== 'false' && istioVersion()) mesh = ['istio', istioVersion()];
  const linkerdInject = podAnnotations['linkerd.io/inject'] ?? nsAnnotations['linkerd.io/inject'];
  if (linkerdInject === 'enabled' && readState('linkerd-version', undefined)) mesh = ['linkerd', readState('linkerd-version', undefined)];
  if (!mesh) return;
  const proxies = readState('proxies', {});
  proxies[`${namespace}/${object.metadata.name}`] = injectedProxy(mesh[0], mesh[1], podAnnotations, nsAnnotations);
  writeState('proxies', proxies);
}

// The Linkerd version the linkerd stand-in is (and installs); an existing control plane runs it too.
if (JSON.parse(process.env.STANDIN_EXISTING ?? '[]').includes('deployment/linkerd-destination')) writeState('linkerd-version', linkerdVersion);

/** Images Docker has: built earlier (STANDIN_DOCKER_IMAGES) or pulled. */
const dockerImages = () => [...JSON.parse(process.env.STANDIN_DOCKER_IMAGES ?? '[]'), ...readState('docker-pulled', [])];
/** Multi-platform images (all of them unless told otherwise: what registries serve today). */
const multiPlatform = JSON.parse(process.env.STANDIN_DOCKER_MULTIPLATFORM ?? '[]');

switch (tool) {
  case 'kubectl':
    await kubectl(kubectlArgs);
    break;
  case 'kind':
    if (args[0] === 'create') writeState('cluster.json', { name: flag('--name') });
    if (args[0] === 'delete') {
      deletePods(state, listPods(state));
      // `kind delete cluster` of a cluster that does not exist (yet) succeeds and deletes nothing.
      if (readState('cluster.json', undefined)?.name === flag('--name')) rmSync(join(state, 'cluster.json'), { force: true });
    }
    if (args[0] === 'create') out(`Creating cluster "${flag('--name')}" ...\n ✓ Ready after 31s 💚`);
    else if (args[0] === 'load') {
      // Docker's containerd image store holds one platform of a multi-platform image; exporting it
      // whole fails (kubernetes-sigs/kind#3795, #4066).
      if (args[1] === 'docker-image' && multiPlatform.includes(args[2]))
        fail(1, `ERROR: failed to load image: command "docker save -o /tmp/images.tar ${args[2]}" failed with error: exit status 1\nCommand Output: Error response from daemon: unable to create manifests file: NotFound: content digest sha256:1111: not found`);
      let image = args[2];
      if (args[1] === 'image-archive') {
        if (!existsSync(args[2])) fail(1, `ERROR: failed to load image: open ${args[2]}: no such file or directory`);
        image = readFileSync(args[2], 'utf8').trim();
      }
      writeState('loaded-images', [...readState('loaded-images', []), image]);
      out(`Image: "${image}" loaded`);
    }
    else if (args[0] === 'delete') out(`Deleting cluster "${flag('--name')}" ...`);
    else if (args[0] === 'version') out(`kind ${pinned('kind')} go1.24.2 linux/amd64`);
    else if (args[0] === 'export' && args[1] === 'logs') {
      // What kind writes: per node its journal, kubelet and containerd logs, and kind's version.
      const dir = args[2];
      const name = flag('--name');
      if (readState('cluster.json', undefined)?.name !== name) fail(1, `ERROR: unknown cluster "${name}"`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'kind-version.txt'), `kind ${pinned('kind')} go1.24.2 linux/amd64\n`);
      writeFileSync(join(dir, 'docker-info.txt'), 'Server Version: 28.0.4\n');
      for (const node of [`${name}-control-plane`, `${name}-worker`, `${name}-worker2`]) {
        mkdirSync(join(dir, node), { recursive: true });
        writeFileSync(join(dir, node, 'kubelet.log'), `kubelet on ${node}\n`);
        writeFileSync(join(dir, node, 'containerd.log'), `containerd on ${node}\n`);
        writeFileSync(join(dir, node, 'journal.log'), 'j'.repeat(Number(process.env.STANDIN_KIND_LOG_BYTES ?? 2048)));
      }
      out(`Exporting logs for cluster "${name}" to:\n${dir}`);
    }
    break;
  case 'istioctl':
    if (args[0] === 'version') out(`client version: ${istioRelease}`);
    else if (args[0] === 'analyze') out('✔ No validation issues found when analyzing namespace: default.');
    else if (args[0] === 'install') {
      // istioctl reads -f as an IstioOperator before installing anything.
      const file = flag('-f');
      if (file) {
        if (!existsSync(file)) fail(1, `Error: failed to read ${file}: open ${file}: no such file or directory`);
        const document = parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS();
        if (document?.kind !== 'IstioOperator') fail(1, `Error: could not parse ${file}: expected an IstioOperator, found kind ${document?.kind}`);
      }
      writeState('istio-version', istioRelease);
      // What the install creates in istio-system, so that `kubectl rollout status` finds it (its
      // images are not Node images: in run-pods mode their pods are Running with no process).
      const ambient = args.includes('profile=ambient');
      const workload = (kind, name, image) => ({
        apiVersion: 'apps/v1',
        kind,
        metadata: { name, namespace: 'istio-system' },
        spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: name === 'ztunnel' ? 'istio-proxy' : 'discovery', image }] } } },
      });
      const installed = [
        workload('Deployment', 'istiod', `docker.io/istio/pilot:${istioRelease}`),
        ...(ambient ? [workload('DaemonSet', 'istio-cni-node', `docker.io/istio/install-cni:${istioRelease}`), workload('DaemonSet', 'ztunnel', `docker.io/istio/ztunnel:${istioRelease}`)] : []),
      ];
      for (const object of installed) {
        putObject(state, object, 'istio-system');
        if (runPods() && podsOf(state, 'istio-system', object.kind, object.metadata.name).length === 0) podsFor(state, object.kind, 'istio-system', object);
      }
      out('✔ Istio core installed ⛵️\n✔ Installation complete');
    }
    else if (args[0] === 'uninstall') {
      rmSync(join(state, 'istio-version'), { force: true });
      out('✅ Uninstall complete');
    }
    break;
  case 'linkerd':
    if (args[0] === 'version') out(linkerdVersion);
    else if (args[0] === 'install' && args.includes('--crds')) out('---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: servers.policy.linkerd.io\n');
    else if (args[0] === 'install') {
      const values = flag('--values');
      if (values && !existsSync(values)) fail(1, `Error: open ${values}: no such file or directory`);
      writeState('linkerd-version', linkerdVersion);
      out('---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: linkerd\n');
    }
    else if (args[0] === 'check') out('Status check results are √');
    else if (args[0] === 'uninstall') out('---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: linkerd\n');
    break;
  case 'docker':
    if (args[0] === 'exec') {
      // Inside a kind node container: the pods' cgroup files (node-metrics.mjs).
      const [, node, command, ...rest] = args;
      if (!/^[a-z0-9.-]+$/.test(node ?? '')) fail(1, `Error response from daemon: No such container: ${node}`);
      const series = containerModel(process.env.STANDIN_FIXTURES);
      if (command === 'find') {
        const names = rest.flatMap((arg, i) => (rest[i - 1] === '-name' ? [arg] : []));
        out(findScopes(series, names).join('\n'));
      } else if (command === 'grep' && rest[0] === '-H' && rest[1] === '^') {
        const { text, missing } = grepFiles(series, bootMs(state), rest.slice(2));
        if (text) out(text);
        if (missing) fail(2, `grep: ${missing}: No such file or directory`);
      } else fail(126, `OCI runtime exec failed: exec: "${command}": not what the stand-in answers`);
    } else if (args[0] === 'image' && args[1] === 'save') {
      const image = args.at(-1);
      if (!dockerImages().includes(image)) fail(1, `Error response from daemon: reference does not exist: ${image}`);
      if (multiPlatform.includes(image) && !flag('--platform')) fail(1, 'Error response from daemon: unable to create manifests file: NotFound: content digest sha256:1111: not found');
      writeFileSync(flag('-o'), `${image}\n`); // the archive: the stand-in's kind reads the name back
    } else if (args[0] === 'pull') {
      writeState('docker-pulled', [...readState('docker-pulled', []), args.at(-1)]);
      out(`${args.at(-1)}: Pulling from library`);
    } else if (args[0] === 'image' && !dockerImages().includes(args.at(-1))) fail(1, `Error: No such image: ${args.at(-1)}`);
    else if (args[0] === 'version') out('28.0.4 / server 28.0.4');
    else out('sha256:0000');
    break;
  default:
    fail(127, `unknown stand-in ${tool}`);
}
