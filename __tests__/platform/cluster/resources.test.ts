// Proxy resources are read at the edges of a trial's measured window (after the warm-up, and at
// the end of the measured part), not around the whole Job: the CPU then belongs to the requests
// the trial counts.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProxySampler } from '../../../src/platform/cluster/resources.js';
import type { Kubectl } from '../../../src/system/kubectl.js';
import { memoryLogger } from '../../../src/util/log.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '__stand-ins__', 'fixtures');
const fixture = (n: number) =>
  readFileSync(join(fixtures, `cadvisor-${n}.txt`), 'utf8').replaceAll('__NAMESPACE__', 'mg-ns');

function fakeKubectl() {
  const scrapedAtMs: number[] = [];
  const kubectl = {
    getJson: async () => ({ items: [{ metadata: { name: 'sample-head-6f7c9d9b8-x2x7k' }, spec: { nodeName: 'worker' } }] }),
    raw: async () => {
      scrapedAtMs.push(Date.now());
      return fixture(scrapedAtMs.length % 2 === 1 ? 1 : 2);
    },
  } as unknown as Kubectl;
  return { kubectl, scrapedAtMs };
}

const sidecars = { container: 'istio-proxy', description: 'istio-proxy sidecars' };

test('scrapes when the measured window starts and ends; a repeated trial’s window replaces the first', async () => {
  const { kubectl, scrapedAtMs } = fakeKubectl();
  const sampler = startProxySampler(kubectl, memoryLogger(), 'mg-ns', sidecars);
  expect(scrapedAtMs).toEqual([]); // nothing before the trial's Job says when its window is
  const now = Date.now();
  sampler.window({ startEpochMs: now + 3000, endEpochMs: now + 4000 }); // a skewed attempt …
  sampler.window({ startEpochMs: now + 300, endEpochMs: now + 900 }); // … repeated
  await sleep(1200);
  const use = await sampler.stop(12_000);
  expect(scrapedAtMs).toHaveLength(2);
  expect(scrapedAtMs[0] - now).toBeGreaterThanOrEqual(295);
  expect(scrapedAtMs[0] - now).toBeLessThan(600);
  expect(scrapedAtMs[1] - now).toBeGreaterThanOrEqual(895);
  expect(scrapedAtMs[1] - now).toBeLessThan(1150);
  expect(use).toMatchObject({ memoryMibPeak: 50 });
  expect(use!.source).toContain('measured window');
  await sleep(50);
  expect(scrapedAtMs).toHaveLength(2); // the replaced window's timers never fire
});

test('a trial that ends before its window closes is scraped at once; no window, no numbers', async () => {
  const { kubectl, scrapedAtMs } = fakeKubectl();
  const sampler = startProxySampler(kubectl, memoryLogger(), 'mg-ns', sidecars);
  expect(await sampler.stop(100)).toBeUndefined();
  expect(scrapedAtMs).toEqual([]);
  const far = Date.now() + 60_000;
  sampler.window({ startEpochMs: far, endEpochMs: far + 1000 });
  const use = await sampler.stop(1000);
  expect(scrapedAtMs).toHaveLength(2);
  expect(use).toBeDefined();
});
