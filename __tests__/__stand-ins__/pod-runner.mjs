// Runs one stand-in pod (tests only): usage `node pod-runner.mjs <pod dir>`, started detached by
// pods.mjs. Lays out the pod's ConfigMap files, starts every container as a local process (the
// local `node` for Node images), writes each container's output to <container>.log (stdout and
// stderr together, as the container runtime's log holds both), and the pod's phase to
// status.json: Pending → Running → Succeeded | Failed, as the kubelet reports it.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
const pod = JSON.parse(readFileSync(join(dir, 'pod.json'), 'utf8'));
pod.mounts = JSON.parse(readFileSync(join(dir, 'mounts.json'), 'utf8'));
const root = join(dir, 'root');
/** Replaced whole (written aside, then renamed), so that a kubectl call never reads half of it. */
const status = (value) => {
  writeFileSync(join(dir, 'status.json.new'), JSON.stringify(value));
  renameSync(join(dir, 'status.json.new'), join(dir, 'status.json'));
};

/** A Node image runs with the local node; anything else has no process here. */
const isNodeImage = (image) => /^(?:docker\.io\/)?(?:library\/)?node(?::|@|$)/.test(String(image ?? ''));

/** A path inside the pod's file system, as seen from this machine (mounts live under root/). */
const podPath = (path) =>
  typeof path === 'string' && pod.mounts.some((mount) => path === mount.mountPath || path.startsWith(`${mount.mountPath}/`))
    ? join(root, path)
    : path;

function containerEnv(container) {
  const env = {
    PATH: process.env.PATH,
    HOSTNAME: pod.name,
    HOME: root,
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    ...(pod.index === undefined ? {} : { JOB_COMPLETION_INDEX: String(pod.index) }),
    // The pod's view of the network (pod-network.cjs): Service names and this pod's own ports.
    STANDIN_POD_NETWORK: join(dir, 'network.json'),
  };
  for (const variable of container.env ?? []) {
    if ('value' in variable) env[variable.name] = String(variable.value);
    else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.name') env[variable.name] = pod.name;
    else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[variable.name] = pod.namespace;
    else throw new Error(`CreateContainerConfigError: env ${variable.name}: only value and metadata fieldRefs run in the stand-in`);
  }
  return env;
}

function startContainer(container) {
  const command = [...(container.command ?? []), ...(container.args ?? [])];
  // The Node image's entrypoint runs `node` when no command is given.
  if (!container.command) command.unshift('node');
  if (command[0] !== 'node') throw new Error(`container ${container.name}: only \`node\` commands run in the stand-in, got ${command[0]}`);
  const log = createWriteStream(join(dir, `${container.name}.log`));
  const child = spawn(process.execPath, ['--require', join(here, 'pod-network.cjs'), ...command.slice(1).map(podPath)], {
    cwd: container.workingDir ? podPath(container.workingDir) : root,
    env: containerEnv(container),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      log.end();
      resolve(code ?? (signal ? 128 + 9 : 1));
    }),
  );
}

async function main() {
  if (pod.mountError) return status({ phase: 'Pending', reason: 'FailedMount', message: pod.mountError });
  mkdirSync(root, { recursive: true });
  for (const mount of pod.mounts)
    for (const [path, content] of Object.entries(mount.files)) {
      const file = join(root, mount.mountPath, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  writeFileSync(join(dir, 'network.json'), JSON.stringify({ services: pod.services, portsFile: join(dir, 'ports.json') }));
  if (pod.pullMs > 0) await new Promise((resolve) => setTimeout(resolve, pod.pullMs));
  const containers = pod.spec.containers ?? [];
  if (!containers.every((container) => isNodeImage(container.image))) return status({ phase: 'Running', process: false, startedAt: Date.now() });
  let exits;
  try {
    const started = containers.map(startContainer);
    status({ phase: 'Running', process: true, startedAt: Date.now() });
    if (pod.activeDeadlineS)
      setTimeout(() => {
        status({ phase: 'Failed', reason: 'DeadlineExceeded' });
        process.kill(-process.pid, 'SIGKILL');
      }, pod.activeDeadlineS * 1000).unref();
    exits = await Promise.all(started);
  } catch (error) {
    return status({ phase: 'Failed', reason: 'CreateContainerConfigError', message: error.message });
  }
  const exitCodes = Object.fromEntries(containers.map((container, i) => [container.name, exits[i]]));
  status({ phase: exits.every((code) => code === 0) ? 'Succeeded' : 'Failed', exitCodes, finishedAt: Date.now() });
}

main().catch((error) => status({ phase: 'Failed', reason: 'StandInError', message: String(error?.message ?? error) }));
