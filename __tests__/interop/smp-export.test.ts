// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { smpDocument, SMP_EXPORT_FORMAT } from '../../src/interop/smp-export.js';
import { decodeHistogram, mergeEncoded, summarize } from '../../src/load/histogram.js';
import { makeBigResults } from '../__fixtures__/big-results.js';

/**
 * Field names of the SMP messages, derived from service-mesh-performance/service-mesh-performance
 * at commit 6ecbce7985dddb5577509f25a1ab67959da8ca68 (2026-04-20): protos/service_mesh_performance.proto
 * and protos/service_mesh.proto, last changed in 69125ea8 (2023-07-18), and the generated
 * spec/service_mesh_performance.pb.go's json tags (the same snake_case names).
 * Each message: its fields and, for nested messages, the message each field holds.
 */
type Message = Record<string, string | null>;
const SMP: Record<string, Message> = {
  PerformanceTestResult: {
    smp_version: null, id: null, labels: 'map', start_time: 'Timestamp', end_time: 'Timestamp',
    latencies_ms: 'Latency', actual_qps: 'double', details_uri: null, test_id: null, mesh_config_id: null, env_id: null,
  },
  Latency: { min: 'double', average: 'double', p50: 'double', p90: 'double', p99: 'double', max: 'double' },
  PerformanceTestConfig: { smp_version: null, id: null, name: null, labels: 'map', clients: 'Client[]', duration: null },
  Client: {
    internal: null, load_generator: null, protocol: 'enum', connections: 'int32', rps: 'int64', headers: 'map',
    cookies: 'map', body: null, content_type: null, endpoint_urls: null, ssl_certificate: null, additional_options: null,
  },
  ServiceMeshConfig: {
    smp_version: null, id: null, labels: 'map', ingress_gateway: null, sidecar: 'Sidecar', mesh_telemetry: null,
    mesh_policy: null, mesh_control_plane: null, mesh_policy_enabled: null, mesh_telemetry_enabled: null,
    mtls_enabled: null, proxy_concurrency: 'int32', mesh_build: null, proxy_build: null, exp_group_uuid: null,
    exp_uuid: null, profile: null, mesh_type: 'ServiceMesh', application_metadata: null,
  },
  Sidecar: { count: 'int32', cpu_mcores: 'int32', mem_mb: 'int32', rps: 'int32', bps: 'int32' },
  ServiceMesh: { type: 'enum', version: null, labels: 'map', annotations: 'map' },
  EnvironmentConfig: {
    smp_version: null, id: null, labels: 'map', kubernetes_version: null, nodes: 'Node[]',
    individual_workloads: null, traffic_metadata: null,
  },
  Node: { type: null, cores: 'int32', mem_mb: 'int64' },
};

/** Every key of `value` is a field of `message`, with the proto's JSON type; returns the paths checked. */
function conforms(value: Record<string, unknown>, message: string, path: string, seen: string[]): void {
  const fields = SMP[message];
  for (const [key, field] of Object.entries(value)) {
    const where = `${path}.${key}`;
    expect([where, key in fields]).toEqual([where, true]);
    seen.push(`${message}.${key}`);
    const kind = fields[key];
    if (kind === 'Timestamp') expect(new Date(field as string).toISOString()).toBe(field);
    else if (kind === 'double') expect(typeof field).toBe('number');
    else if (kind === 'int32' || kind === 'int64' || kind === 'enum') expect(Number.isInteger(field)).toBe(true);
    else if (kind === 'map')
      expect(Object.values(field as object).every((v) => typeof v === 'string')).toBe(true);
    else if (kind?.endsWith('[]'))
      (field as Record<string, unknown>[]).forEach((item, i) => conforms(item, kind.slice(0, -2), `${where}[${i}]`, seen));
    else if (kind && kind in SMP) conforms(field as Record<string, unknown>, kind, where, seen);
  }
}

function exampleResults() {
  const results = makeBigResults({ trials: 2, secondsPerTrial: 2, meshes: ['none', 'istio'] });
  Object.assign(results.profile, {
    mesh: [
      { id: 'none', name: 'none', mtls: false },
      { id: 'istio', name: 'istio', mtls: true, version: '1.24.2', concurrency: 2 },
    ],
    load: { rps: 200, connections: 8, durationS: 2, protocol: 'http1', request: { method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: '{}' } },
  });
  return results;
}

describe('meshgate export --smp', () => {
  test('every SMP object holds only the protos’ fields, with their JSON types', () => {
    const document = smpDocument(exampleResults()) as Record<string, any>;
    expect(document.format).toBe(SMP_EXPORT_FORMAT);
    const seen: string[] = [];
    conforms(document.performance_test_config, 'PerformanceTestConfig', 'performance_test_config', seen);
    conforms(document.environment_config, 'EnvironmentConfig', 'environment_config', seen);
    expect(document.results).toHaveLength(4);
    document.results.forEach((entry: Record<string, any>, i: number) => {
      expect(Object.keys(entry).sort()).toEqual(['meshgate_extensions', 'performance_test_result', 'service_mesh_config', 'variant']);
      conforms(entry.performance_test_result, 'PerformanceTestResult', `results[${i}].performance_test_result`, seen);
      conforms(entry.service_mesh_config, 'ServiceMeshConfig', `results[${i}].service_mesh_config`, seen);
    });
    // The fields the brief of SMP requires are all there.
    for (const field of ['latencies_ms', 'actual_qps', 'start_time', 'end_time'])
      expect(seen).toContain(`PerformanceTestResult.${field}`);
    for (const field of ['min', 'average', 'p50', 'p90', 'p99', 'max']) expect(seen).toContain(`Latency.${field}`);
  });

  test('units: latencies in ms from the merged histogram, memory MiB → MB, mesh and protocol enums', () => {
    const results = exampleResults();
    const document = smpDocument(results) as Record<string, any>;
    const istio = document.results.find((r: { variant: string }) => r.variant === 'head/istio');
    const variant = results.variants.find((v) => v.id === 'head/istio')!;
    const merged = summarize(mergeEncoded(variant.trials.map((t) => t.histogram)));
    expect(istio.performance_test_result.latencies_ms.p99).toBeCloseTo(merged.p99, 6);
    expect(istio.performance_test_result.latencies_ms.average).toBeCloseTo(merged.mean, 6);
    expect(istio.performance_test_result.latencies_ms.p50).toBeGreaterThan(1); // ms, not seconds
    expect(istio.service_mesh_config.mesh_type).toMatchObject({ type: 3, version: '1.24.2' });
    expect(istio.service_mesh_config.mtls_enabled).toBe(true);
    expect(istio.service_mesh_config.proxy_concurrency).toBe(2);
    const peakMib = Math.max(...variant.trials.map((t) => t.resources!.memoryMibPeak));
    expect(istio.service_mesh_config.sidecar.mem_mb).toBe(Math.round(peakMib * 1.048576));
    expect(document.environment_config.nodes[0].mem_mb).toBe(Math.round(4096 * 1.048576));
    const client = document.performance_test_config.clients[0];
    expect(client).toMatchObject({ protocol: 1, rps: 200, connections: 8, content_type: 'application/json' });
    expect(document.performance_test_config.duration).toBe('2s');
    // Extensions: p99.9, every trial with its histogram and intervals.
    const ext = istio.meshgate_extensions;
    expect(ext.p999_ms).toBe(merged.p999);
    expect(ext.trials).toHaveLength(2);
    expect(decodeHistogram(ext.trials[0].histogram_us_hdr_v2_base64).totalCount).toBe(variant.trials[0].requests);
    expect(ext.trials[0].intervals).toHaveLength(2);
  });

  test('the same results export the same document', () => {
    expect(JSON.stringify(smpDocument(exampleResults()))).toBe(JSON.stringify(smpDocument(exampleResults())));
  });
});
