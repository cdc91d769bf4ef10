// test-group: unit
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

  test('falls back to the wall clock without timestamps, and a counter that went down counts as no CPU', () => {
    const at = (cpu: number, wallMs: number) => ({ cpuSeconds: cpu, memoryBytes: 0, containers: 1, wallMs, cpuBySeries: { 'n/p/c/1': cpu } });
    expect(usageBetween(at(5, 1000), at(6, 3000), 0, 's').cpuMillicores).toBe(500);
    expect(usageBetween(at(5, 1000), at(1, 3000), 10, 's').cpuMillicores).toBe(0);
  });

  test('CPU is differenced per series: a container that appeared counts its counter, one that left counts nothing', () => {
    const line = (pod: string, id: string, cpu: number) =>
      `container_cpu_usage_seconds_total{container="istio-proxy",id="${id}",namespace="ns",pod="${pod}"} ${cpu}`;
    const filter = { container: 'istio-proxy', namespace: 'ns', excludePodPrefix: 'load-' };
    const first = containerUsage(parsePrometheusText([line('app-1', 'a', 10), line('app-2', 'b', 50)].join('\n')), filter);
    // app-2 went away (rescheduled: 50 s of earlier CPU must not be "given back"), app-3 appeared
    // with 1 s, and a generator pod's proxy (mTLS variants) is not the workload's.
    const second = containerUsage(
      parsePrometheusText([line('app-1', 'a', 12), line('app-3', 'c', 1), line('load-x-1-0-abc', 'g', 30)].join('\n')),
      filter,
    );
    expect(second.containers).toBe(2);
    const use = usageBetween({ ...first, wallMs: 0 }, { ...second, wallMs: 1000 }, 0, 's');
    expect(use.cpuMillicores).toBe(3000); // (12 - 10) + 1 seconds over 1 s; totals would say 0
  });

  test('sums several nodes', () => {
    const u = { cpuSeconds: 1, memoryBytes: 2, containers: 1, timestampMs: 5, cpuBySeries: { a: 1 } };
    expect(sumUsage([u, { ...u, timestampMs: 9, cpuBySeries: { b: 1 } }])).toEqual({
      cpuSeconds: 2,
      memoryBytes: 4,
      containers: 2,
      timestampMs: 9,
      cpuBySeries: { a: 1, b: 1 },
    });
  });
});
