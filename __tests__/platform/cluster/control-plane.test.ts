// The control plane's CPU and memory from real-shaped cAdvisor text: the series of istiod's and
// Linkerd's pods as a kubelet reports them (pod-level series with container="" beside each
// container's), at the start and the end of a 15-second trial.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePrometheusText, podGroupUsage } from '../../../src/platform/cluster/cadvisor.js';
import { controlPlaneUse } from '../../../src/platform/cluster/control-plane.js';
import { IstioMesh } from '../../../src/platform/cluster/meshes/istio.js';
import { LinkerdMesh } from '../../../src/platform/cluster/meshes/linkerd.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../__stand-ins__/fixtures');
/** One node's whole scrape: the data-plane fixture with the control plane's series after it. */
const scrape = (phase: 1 | 2) => ({
  samples: parsePrometheusText(
    readFileSync(join(fixtures, `cadvisor-${phase}.txt`), 'utf8') + readFileSync(join(fixtures, `cadvisor-control-plane-${phase}.txt`), 'utf8'),
  ),
  wallMs: phase === 1 ? 0 : 99_000, // ignored: both scrapes carry cAdvisor timestamps 15 s apart
});

describe('control-plane usage from cAdvisor', () => {
  test('a component is every container of its pods, without the pod-level series', () => {
    const usage = podGroupUsage(scrape(1).samples, { namespace: 'linkerd', podPrefix: 'linkerd-destination-' });
    expect(usage.pods).toBe(1);
    expect(usage.containers).toBe(4); // destination, sp-validator, policy, linkerd-proxy
    expect(usage.cpuSeconds).toBeCloseTo(30 + 2 + 10 + 5, 6);
    expect(usage.memoryBytes / 1048576).toBeCloseTo(40 + 10 + 20 + 12, 3);
  });

  test('istiod over a trial: 0.45 CPU-seconds in 15 s is 30 millicores; istio-cni-node absent, so not reported', () => {
    expect(controlPlaneUse(new IstioMesh().controlPlane, scrape(1), scrape(2))).toEqual([
      { component: 'istiod', namespace: 'istio-system', pods: 1, cpuMillicores: 30, memoryMibMean: 87.5, memoryMibPeak: 90 },
    ]);
  });

  test("Linkerd's components, each with its own proxy's share", () => {
    const uses = controlPlaneUse(new LinkerdMesh().controlPlane, scrape(1), scrape(2));
    expect(uses.map((u) => u.component)).toEqual(['linkerd-destination', 'linkerd-identity', 'linkerd-proxy-injector']);
    expect(uses[0].cpuMillicores).toBeCloseTo(36, 3); // (0.3 + 0.015 + 0.15 + 0.075) s / 15 s
    expect(uses[0].memoryMibMean).toBeCloseTo(83, 3);
    expect(uses[1].cpuMillicores).toBeCloseTo(2, 3);
    expect(uses[2].cpuMillicores).toBeCloseTo(10, 3);
    expect(uses[2].memoryMibPeak).toBeCloseTo(39, 3);
  });

  test('the data plane of the same scrape is unchanged by the control plane beside it', async () => {
    const { containerUsage } = await import('../../../src/platform/cluster/cadvisor.js');
    const proxies = containerUsage(scrape(1).samples, { container: 'linkerd-proxy', namespace: '__NAMESPACE__' });
    expect(proxies.containers).toBe(1); // the workload's sidecar, not the control plane's proxies
  });
});
