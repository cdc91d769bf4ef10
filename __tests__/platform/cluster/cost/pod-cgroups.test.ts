/**
 * Pod UID → cgroup → PIDs, on cgroup trees built in a temporary directory in the layouts the
 * lookup accepts: kind seen from the host (the node container's cgroup, kubelet.slice inside,
 * systemd driver, containerd), a guaranteed pod (no QoS slice), and the cgroupfs driver.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CgroupLookupError,
  containerPids,
  findPodCgroups,
} from '../../../../src/platform/cluster/cost/pod-cgroups.js';

const UID_A = '0b6f2f9e-7c1a-4f4e-9a39-1f0d2c3b4a5e';
const UID_B = '5d1c3a2b-1e2f-4a5b-8c9d-0e1f2a3b4c5d';
const UID_C = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const ID_A = 'a'.repeat(64);
const ID_A2 = 'ab'.repeat(32);
const ID_B = 'b'.repeat(64);
const ID_C = 'c'.repeat(64);
let root: string;

async function cgroup(path: string, pids: number[] = []): Promise<string> {
  const dir = join(root, path);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'cgroup.procs'), pids.map((p) => `${p}\n`).join(''));
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'meshgate-cgroups-'));
  // A kind node (Docker, systemd driver) as the host sees it; kubelet cgroupRoot /kubelet.
  const node = 'system.slice/docker-1f2e3d4c5b6a.scope/kubelet.slice/kubelet-kubepods.slice';
  const podA = `${node}/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod${UID_A.replaceAll('-', '_')}.slice`;
  await cgroup(`${podA}/cri-containerd-${ID_A}.scope`, [4101, 4102]);
  await cgroup(`${podA}/cri-containerd-${ID_A2}.scope`, [4200]); // the application next to the sidecar
  // Guaranteed QoS: the pod directly under kubepods.
  await cgroup(
    `${node}/kubelet-kubepods-pod${UID_B.replaceAll('-', '_')}.slice/cri-containerd-${ID_B}.scope`,
    [5001],
  );
  // cgroupfs driver.
  await cgroup(`kubepods/besteffort/pod${UID_C}/${ID_C}`, [6001]);
  await cgroup('system.slice/ssh.service', [1]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('findPodCgroups', () => {
  it('finds pods by UID in the systemd (escaped UID) and cgroupfs layouts', async () => {
    const found = await findPodCgroups(root, [UID_A, UID_B, UID_C]);
    expect(found.get(UID_A)).toMatch(
      /kubelet-kubepods-burstable-pod0b6f2f9e_7c1a_4f4e_9a39_1f0d2c3b4a5e\.slice$/,
    );
    expect(found.get(UID_B)).toMatch(/kubelet-kubepods-pod5d1c3a2b_.*\.slice$/);
    expect(found.get(UID_C)).toBe(join(root, `kubepods/besteffort/pod${UID_C}`));
  });

  it('refuses what is not a UID (it becomes part of a directory name)', async () => {
    await expect(findPodCgroups(root, ['../../etc'])).rejects.toThrow(CgroupLookupError);
  });
});

describe('containerPids', () => {
  it("reads the container's own cgroup.procs: the sidecar's PIDs, not its neighbour's", async () => {
    const found = await containerPids(root, [
      { pod: 'ns/app-1', uid: UID_A, container: 'istio-proxy', containerID: `containerd://${ID_A}` },
      { pod: 'ns/app-2', uid: UID_B, container: 'istio-proxy', containerID: `containerd://${ID_B}` },
      { pod: 'ns/app-3', uid: UID_C, container: 'linkerd-proxy', containerID: `containerd://${ID_C}` },
    ]);
    expect(found.map((f) => f.pids)).toEqual([[4101, 4102], [5001], [6001]]);
  });

  it('says which pod is not on this machine, and refuses other runtimes and bad cgroup.procs', async () => {
    const elsewhere = '11111111-2222-4333-8444-555555555555';
    await expect(
      containerPids(root, [
        { pod: 'ns/far', uid: elsewhere, container: 'istio-proxy', containerID: `containerd://${ID_A}` },
      ]),
    ).rejects.toThrow(/^ns\/far \(uid 11111111-.*\) has no cgroup under .*: its node is not this machine/);
    await expect(
      containerPids(root, [
        { pod: 'ns/app-1', uid: UID_A, container: 'istio-proxy', containerID: `docker://${ID_A}` },
      ]),
    ).rejects.toThrow(/is not containerd's/);
    await expect(
      containerPids(root, [
        { pod: 'ns/app-1', uid: UID_A, container: 'istio-proxy', containerID: `containerd://${ID_B}` },
      ]),
    ).rejects.toThrow(/no cgroup for bbbbbbbbbbbb/);
    const bad = await cgroup(
      `kubepods/burstable/pod${'22222222-3333-4444-8555-666666666666'}/${'d'.repeat(64)}`,
    );
    await writeFile(join(bad, 'cgroup.procs'), '12\n$(reboot)\n');
    await expect(
      containerPids(root, [
        {
          pod: 'ns/odd',
          uid: '22222222-3333-4444-8555-666666666666',
          container: 'c',
          containerID: `containerd://${'d'.repeat(64)}`,
        },
      ]),
    ).rejects.toThrow(/"\$\(reboot\)" is not a PID/);
  });
});
