import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CPU_METRIC,
  MEMORY_METRIC,
  containerUsage,
  parsePrometheusText,
  sumUsage,
  usageBetween,
} from '../../../src/platform/cluster/cadvisor.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '__stand-ins__', 'fixtures');
const scrape = (n: number) =>
  readFileSync(join(fixtures, `cadvisor-${n}.txt`), 'utf8').replaceAll('__NAMESPACE__', 'mg-run-head-istio');

describe('parsePrometheusText', () => {
  test('reads names, labels, values and timestamps of realistic cAdvisor text, skipping comments', () => {
    const samples = parsePrometheusText(scrape(1));
    expect(samples).toHaveLength(14);
    const proxy = samples.find(
      (s) =>
        s.name === CPU_METRIC &&
        s.labels.container === 'istio-proxy' &&
        s.labels.namespace === 'mg-run-head-istio',
    )!;
    expect(proxy.value).toBe(10.5);
    expect(proxy.timestampMs).toBe(1732350000000);
    expect(proxy.labels.image).toBe('docker.io/istio/proxyv2:1.27.1');
    expect(samples.find((s) => s.name === MEMORY_METRIC && s.labels.container === '')!.value).toBe(1.2e8);
  });

  test('unescapes label values and filters by name', () => {
    const odd = parsePrometheusText(scrape(1)).find((s) => s.labels.container === 'odd')!;
    expect(odd.labels.image).toBe('quote"in\\label');
    expect(parsePrometheusText(scrape(1), new Set(['machine_cpu_cores']))).toEqual([
      {
        name: 'machine_cpu_cores',
        labels: { boot_id: '0f1e', machine_id: '', system_uuid: 'ec2b' },
        value: 4,
      },
    ]);
  });

  test.each([
    ['no labels', 'up 1', { name: 'up', labels: {}, value: 1 }],
    ['special values', 'x{a="b"} +Inf', { name: 'x', labels: { a: 'b' }, value: Infinity }],
    ['NaN', 'x NaN 5', { name: 'x', labels: {}, value: NaN, timestampMs: 5 }],
  ])('%s', (_, line, expected) => {
    expect(parsePrometheusText(line)).toEqual([expected]);
  });

  test('skips malformed lines', () => {
    expect(parsePrometheusText('x{a="b} 1\n{a="b"} 2\nx{a="b"}\n')).toEqual([]);
  });
});

describe('proxy usage from two scrapes', () => {
  const filter = { container: 'istio-proxy', namespace: 'mg-run-head-istio' };
  const at = (n: number, wallMs: number) => ({
    ...containerUsage(parsePrometheusText(scrape(n)), filter),
    wallMs,
  });

  test('sidecars: millicores over the cAdvisor interval, CPU per 1k requests, memory mean and peak in MiB', () => {
    const first = at(1, 0);
    expect(first).toMatchObject({
      cpuSeconds: 10.5,
      memoryBytes: 41943040,
      containers: 1,
      timestampMs: 1732350000000,
    });
    expect(usageBetween(first, at(2, 99_000), 6000, 'istio-proxy sidecars')).toEqual({
      cpuMillicores: 200, // 3 s over 15 s of cAdvisor time (not the 99 s of wall clock)
      cpuMsPer1kRequests: 500,
      memoryMibMean: 45,
      memoryMibPeak: 50,
      source: 'istio-proxy sidecars',
    });
  });

  test('node proxies: ztunnel pods in istio-system only', () => {
    const z = { container: 'istio-proxy', namespace: 'istio-system', podPrefix: 'ztunnel-' };
    const use = (n: number) => ({ ...containerUsage(parsePrometheusText(scrape(n)), z), wallMs: 0 });
    expect(usageBetween(use(1), use(2), 0, 'ztunnel')).toMatchObject({
      cpuMillicores: 50,
      cpuMsPer1kRequests: 0,
      memoryMibPeak: 20,
    });
  });

  test('falls back to the wall clock without timestamps, and a restarted container counts as no CPU', () => {
    const a = { cpuSeconds: 5, memoryBytes: 0, containers: 1, wallMs: 1000 };
    expect(usageBetween(a, { ...a, cpuSeconds: 6, wallMs: 3000 }, 0, 's').cpuMillicores).toBe(500);
    expect(usageBetween(a, { ...a, cpuSeconds: 1, wallMs: 3000 }, 10, 's').cpuMillicores).toBe(0);
  });

  test('sums several nodes', () => {
    const u = { cpuSeconds: 1, memoryBytes: 2, containers: 1, timestampMs: 5 };
    expect(sumUsage([u, { ...u, timestampMs: 9 }])).toEqual({
      cpuSeconds: 2,
      memoryBytes: 4,
      containers: 2,
      timestampMs: 9,
    });
  });
});
