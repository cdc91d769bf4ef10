/**
 * From a pod's UID and a container's id to the host PIDs of that container's processes, through
 * the cgroup tree this machine sees (cgroup v2, mounted at `root`). On kind the nodes are Docker
 * containers on this host, so the pods' cgroups sit below the node container's own cgroup, e.g.
 *   /sys/fs/cgroup/system.slice/docker-<node id>.scope/kubelet.slice/kubelet-kubepods.slice/
 *     kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod<uid, '-' as '_'>.slice/
 *     cri-containerd-<container id>.scope/cgroup.procs
 * (kind's kubelet: cgroupDriver systemd, cgroupRoot /kubelet; guaranteed pods have no QoS slice).
 * Layouts accepted, for containerd (the `containerd://` ids kind reports):
 * - systemd driver: a pod directory named `…-pod<uid with '_' for '-'>.slice`, the container's
 *   `cri-containerd-<id>.scope` inside it;
 * - cgroupfs driver: a pod directory `pod<uid>`, the container's directory `<id>` inside it.
 * cgroup.procs lists PIDs as the reader's PID namespace sees them: read from the host, they are
 * the host PIDs `perf stat -p` needs (read inside the node, `docker exec`, they would not be).
 * A pod found nowhere under `root` runs on another machine (or in a VM, as with Docker Desktop).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HOST_CGROUP_ROOT = '/sys/fs/cgroup';
/** The pods sit ~8 levels down (system.slice/docker-….scope/kubelet.slice/…); bounded walk. */
const MAX_DEPTH = 12;
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONTAINERD_ID = /^containerd:\/\/([0-9a-f]{64})$/;

/** The id of a `containerd://<64 hex>` container id; undefined for any other runtime or shape. */
export function containerdId(containerID: string | undefined): string | undefined {
  return CONTAINERD_ID.exec(containerID ?? '')?.[1];
}

export class CgroupLookupError extends Error {
  /** `elsewhere`: the pod's node is not this machine (no later window will find it either). */
  constructor(
    message: string,
    readonly elsewhere = false,
  ) {
    super(message);
  }
}

/** Directory names a pod's cgroup may carry (systemd and cgroupfs drivers). */
function podDirMatches(name: string, uid: string): boolean {
  return name === `pod${uid}` || name.endsWith(`-pod${uid.replaceAll('-', '_')}.slice`);
}

/** Every directory under `root` (breadth first, bounded depth) that is the pod `uid`'s cgroup. */
export async function findPodCgroups(root: string, uids: readonly string[]): Promise<Map<string, string>> {
  for (const uid of uids) if (!UID.test(uid)) throw new CgroupLookupError(`pod UID "${uid}" is not a UID`);
  const found = new Map<string, string>();
  let level = [root];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && found.size < uids.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // gone meanwhile, or not ours to read
      }
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const uid = uids.find((u) => podDirMatches(entry.name, u));
        if (uid) {
          if (found.has(uid))
            throw new CgroupLookupError(
              `pod ${uid} has two cgroups (${found.get(uid)} and ${join(dir, entry.name)})`,
            );
          found.set(uid, join(dir, entry.name));
        } else next.push(join(dir, entry.name));
      }
    }
    level = next;
  }
  return found;
}

/** The container `id`'s directory inside its pod's cgroup (either driver's name). */
export async function containerCgroup(podDir: string, id: string): Promise<string | undefined> {
  const entries = await readdir(podDir, { withFileTypes: true }).catch(() => []);
  const match = entries.find(
    (e) => e.isDirectory() && (e.name === `cri-containerd-${id}.scope` || e.name === id),
  );
  return match ? join(podDir, match.name) : undefined;
}

/** PIDs in `dir`'s cgroup.procs and in those of its descendants (a leaf in cgroup v2, usually). */
export async function cgroupPids(dir: string): Promise<number[]> {
  const pids: number[] = [];
  const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => {
    throw new CgroupLookupError(`cannot read ${join(dir, 'cgroup.procs')}: the container has exited`);
  });
  for (const line of procs.split('\n')) {
    if (line.trim() === '') continue;
    const pid = Number(line);
    if (!Number.isInteger(pid) || pid <= 0)
      throw new CgroupLookupError(`${join(dir, 'cgroup.procs')}: "${line.slice(0, 40)}" is not a PID`);
    pids.push(pid);
  }
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isDirectory()) pids.push(...(await cgroupPids(join(dir, entry.name))));
  return pids;
}

export interface PodContainer {
  /** For messages: "<namespace>/<pod>". */
  pod: string;
  uid: string;
  container: string;
  /** The status's containerID, `containerd://<id>`. */
  containerID?: string;
}

/**
 * The host PIDs of each container, by pod UID → pod cgroup → container cgroup → cgroup.procs.
 * Throws, naming the pod, when a container cannot be found on this host.
 */
export async function containerPids(
  root: string,
  containers: readonly PodContainer[],
): Promise<{ container: PodContainer; dir: string; pids: number[] }[]> {
  const pods = await findPodCgroups(root, [...new Set(containers.map((c) => c.uid))]);
  const out = [];
  for (const c of containers) {
    const id = containerdId(c.containerID);
    if (!id)
      throw new CgroupLookupError(
        `${c.pod} container ${c.container}: id "${(c.containerID ?? 'none').slice(0, 80)}" is not containerd's (containerd://<64 hex>); only containerd nodes are looked up`,
      );
    const podDir = pods.get(c.uid);
    if (!podDir)
      throw new CgroupLookupError(
        `${c.pod} (uid ${c.uid}) has no cgroup under ${root}: its node is not this machine (or runs in a VM)`,
        true,
      );
    const dir = await containerCgroup(podDir, id);
    if (!dir)
      throw new CgroupLookupError(
        `${c.pod} container ${c.container}: no cgroup for ${id.slice(0, 12)} in ${podDir}`,
      );
    out.push({ container: c, dir, pids: await cgroupPids(dir) });
  }
  return out;
}
