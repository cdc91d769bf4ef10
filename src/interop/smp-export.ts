/**
 * results.json → an SMP document: messages of the Service Mesh Performance protos
 * (service-mesh-performance/service-mesh-performance, protos/service_mesh_performance.proto,
 * service_mesh.proto; unchanged since 2023-07-18) in their JSON form, one
 * `PerformanceTestResult` and `ServiceMeshConfig` per variant, sharing one
 * `PerformanceTestConfig` and `EnvironmentConfig`.
 *
 * Choices, and why:
 * - Every SMP object holds only the proto's own fields, spelt as the proto spells them
 *   (`latencies_ms`, `actual_qps`): strict protobuf JSON parsers reject unknown fields, so
 *   meshgate's extras (trials, intervals, p99.9, histograms, status codes) sit beside each result
 *   in `meshgate_extensions`, never inside an SMP message.
 * - Units as the protos state them: latencies in milliseconds (SMP's own example result,
 *   docs/assets/spec/readme/…result.yaml, shows fortio's seconds under `latencies_ms` — the
 *   mislabelling this export does not repeat), memory in MB (10^6 bytes; meshgate measures MiB),
 *   CPU in millicores, times as RFC 3339 UTC strings (google.protobuf.Timestamp's JSON form).
 * - Enums as numbers (ServiceMesh.Type, Client.Protocol): protobuf JSON parsers accept numbers
 *   and names, Go's encoding/json (which Meshery's files go through) only numbers.
 * - The SMP figures are recomputed from the trials' histograms (as results.json's `smp` block
 *   is made), not copied, so a hand-edited or older block cannot disagree with the histograms.
 * - Ids are derived from the profile name and the results' creation time, so the same results
 *   always export the same document.
 */
import { LOAD_PROTOCOLS } from '../load/protocols/registry.js';
import type { WireProtocol } from '../load/protocols/types.js';
import { buildVariant } from '../results/build.js';
import type { Results, Trial, Variant, VariantCost } from '../results/schema.js';
import { batchValues } from '../verdict/cost.js';
import { median } from '../stats/descriptive.js';
import { maxOf } from '../util/extent.js';
import { redactProfile, redactUrl } from '../util/secrets.js';

/** The spec version SMP's own published examples carry. */
export const SMP_VERSION = 'v0.0.1';
export const SMP_EXPORT_FORMAT = 'meshgate/smp-export@1';

/** ServiceMesh.Type (service_mesh.proto); meshgate's local proxies are not meshes SMP names. */
const SMP_MESH_TYPE: Record<string, number> = { istio: 3, linkerd: 5 };
/**
 * PerformanceTestConfig.Client.Protocol of a results file's load section, from the protocol
 * registry (each protocol's smpCode); a results file from elsewhere may name a protocol directly.
 */
function smpProtocol(load: Obj): number {
  const name = String(load.protocol ?? 'http1');
  const carrier = LOAD_PROTOCOLS.find((p) =>
    p.carries({ protocol: name as WireProtocol, grpc: load.grpc || undefined }),
  );
  return (carrier ?? LOAD_PROTOCOLS.find((p) => p.name === name))?.smpCode ?? 1;
}
const MB_PER_MIB = 1.048576;

type Obj = Record<string, unknown>;
const asObject = (value: unknown): Obj => (typeof value === 'object' && value !== null ? (value as Obj) : {});
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const round = (value: number, digits = 6) => Math.round(value * 10 ** digits) / 10 ** digits;

function testConfig(results: Results, testId: string): Obj {
  // A results file written before secrets were redacted (or by another tool) still exports none.
  const profile = asObject(redactProfile(results.profile));
  const load = asObject(profile.load);
  const request = asObject(load.request);
  const headers = Object.fromEntries(
    Object.entries(asObject(request.headers)).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const client: Obj = {
    load_generator: 'meshgate',
    protocol: smpProtocol(load),
    connections: Math.round(num(load.connections) ?? 0),
    rps: Math.round(num(load.rps) ?? 0),
    headers,
    body: typeof request.body === 'string' ? request.body : '',
    endpoint_urls: [...new Set(results.variants.map((v) => redactUrl(v.target)))],
  };
  if (contentType) client.content_type = contentType;
  const durationS = num(load.durationS);
  return {
    smp_version: SMP_VERSION,
    id: testId,
    name: results.profile.name,
    labels: { trials: String(num(profile.trials) ?? maxOf(results.variants.map((v) => v.trials.length))) },
    clients: [client],
    ...(durationS !== undefined ? { duration: `${durationS}s` } : {}),
  };
}

function environmentConfig(results: Results, envId: string): Obj {
  const env = results.environment;
  const labels: Record<string, string> = {
    platform: env.platform,
    runner: env.runner,
    os: env.os,
    kernel: env.kernel,
    node: env.node,
    meshgate: env.meshgate,
  };
  if (env.git?.sha) labels.git_sha = env.git.sha;
  if (env.git?.ref) labels.git_ref = env.git.ref;
  return {
    smp_version: SMP_VERSION,
    id: envId,
    labels,
    ...(env.kubernetesVersion ? { kubernetes_version: env.kubernetesVersion } : {}),
    nodes: [{ type: env.cpuModel, cores: env.cpuCount, mem_mb: Math.round(env.memoryMib * MB_PER_MIB) }],
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function meshConfig(results: Results, variant: Variant, actualQps: number, id: string): Obj {
  const meshes = Array.isArray(asObject(results.profile).mesh)
    ? (asObject(results.profile).mesh as Obj[])
    : [];
  const spec = asObject(meshes.find((m) => asObject(m).id === variant.mesh));
  const name = typeof spec.name === 'string' ? spec.name : variant.mesh;
  const config: Obj = {
    smp_version: SMP_VERSION,
    id,
    labels: { mesh: variant.mesh, build: variant.build },
    mesh_type: {
      type: SMP_MESH_TYPE[name] ?? 0,
      ...(typeof spec.version === 'string' ? { version: spec.version } : {}),
      labels: { 'meshgate.mesh': variant.mesh },
    },
  };
  if (typeof spec.mtls === 'boolean') config.mtls_enabled = spec.mtls;
  if (num(spec.concurrency) !== undefined) config.proxy_concurrency = spec.concurrency;
  const measured = variant.trials.filter((t) => t.resources);
  if (measured.length > 0)
    config.sidecar = {
      // int32 in the proto: whole millicores and MB.
      cpu_mcores: Math.round(mean(measured.map((t) => t.resources!.cpuMillicores))),
      mem_mb: Math.round(maxOf(measured.map((t) => t.resources!.memoryMibPeak)) * MB_PER_MIB),
      rps: Math.round(actualQps),
    };
  return config;
}

function trialExtension(trial: Trial): Obj {
  return {
    index: trial.index,
    sequence: trial.sequence,
    start_time: trial.startTime,
    end_time: trial.endTime,
    duration_s: trial.durationS,
    requested_qps: trial.requestedRps,
    actual_qps: trial.actualRps,
    requests: trial.requests,
    errors: trial.errors,
    errors_by_kind: trial.errorsByKind,
    status_codes: trial.statusCodes,
    latency_ms: trial.latencyMs,
    uncorrected_latency_ms: trial.uncorrectedLatencyMs,
    schedule_lag_ms: trial.scheduleLagMs,
    histogram_us_hdr_v2_base64: trial.histogram,
    ...(trial.intervals
      ? {
          intervals: trial.intervals.map((i) => ({
            start_offset_ms: i.startOffsetMs,
            histogram_us_hdr_v2_base64: i.histogram,
          })),
        }
      : {}),
    ...(trial.resources ? { data_plane: trial.resources } : {}),
  };
}

function costExtension(cost: VariantCost): Obj {
  const values = batchValues(cost);
  return {
    method: cost.method,
    tool: cost.tool,
    components: cost.components,
    instructions_per_request: Math.round(median(values)),
    batches_instructions_per_request: values.map((value) => Math.round(value)),
    idle_instructions: cost.idle.instructions,
    idle_window_ms: cost.idle.windowMs,
  };
}

export function smpDocument(results: Results): Obj {
  const base = `meshgate:${results.profile.name}:${results.createdAt}`;
  const testId = `${base}:test`;
  const envId = `${base}:env`;
  return {
    format: SMP_EXPORT_FORMAT,
    performance_test_config: testConfig(results, testId),
    environment_config: environmentConfig(results, envId),
    results: results.variants.map((variant) => {
      const meshConfigId = `${base}:mesh:${variant.build}/${variant.mesh}`;
      const rebuilt = buildVariant(variant);
      const smp = rebuilt.smp;
      const lat = smp.latencies_ms;
      return {
        variant: variant.id,
        performance_test_result: {
          smp_version: SMP_VERSION,
          id: `${base}:result:${variant.id}`,
          labels: {
            variant: variant.id,
            build: variant.build,
            mesh: variant.mesh,
            trials: String(variant.trials.length),
          },
          start_time: smp.start_time,
          end_time: smp.end_time,
          latencies_ms: {
            min: round(lat.min),
            average: round(lat.average),
            p50: round(lat.p50),
            p90: round(lat.p90),
            p99: round(lat.p99),
            max: round(lat.max),
          },
          actual_qps: smp.actual_qps,
          test_id: testId,
          mesh_config_id: meshConfigId,
          env_id: envId,
        },
        service_mesh_config: meshConfig(results, variant, smp.actual_qps, meshConfigId),
        meshgate_extensions: {
          p999_ms: rebuilt.latencyMs.p999,
          requests: variant.trials.reduce((sum, t) => sum + t.requests, 0),
          errors: variant.trials.reduce((sum, t) => sum + t.errors, 0),
          trials: variant.trials.map(trialExtension),
          // A capacity profile's search: its steps (by trial index) and the capacity at the SLO.
          ...(variant.capacity ? { capacity: variant.capacity } : {}),
          // Profile `cost`: a resource metric counted, not timed (SMP has no field for it).
          ...(variant.cost && variant.cost.batches.length > 0
            ? { data_plane_instructions: costExtension(variant.cost) }
            : {}),
        },
      };
    }),
  };
}
