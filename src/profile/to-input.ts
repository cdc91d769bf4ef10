/**
 * The normalised Profile written back in the form users write (snake_case keys, durations with
 * units, percentages with %), every default filled in. `meshgate validate` prints it: what it
 * prints validates again and normalises to the same Profile, so it can be saved as a profile.
 */
import { LOCAL_PROXY_NAMES, modeSuffix } from '../platform/catalog/index.js';
import { formatDurationMs } from '../util/units.js';
import type { BuildSpec, CapacitySpec, DataPlaneFiles, MeshSpec, Profile, ThresholdSpec } from './types.js';

const percent = (fraction: number): string => `${Number((fraction * 100).toPrecision(12))}%`;

function buildInput(build: BuildSpec): Record<string, unknown> {
  switch (build.kind) {
    case 'sample':
      return {
        sample: build.sample,
        delay: formatDurationMs(build.delayMs),
        jitter: formatDurationMs(build.jitterMs),
        response_size: build.responseBytes,
        ...(build.concurrency !== undefined ? { concurrency: build.concurrency } : {}),
      };
    case 'command':
      return { command: build.command, env: build.env, ready_path: build.readyPath };
    case 'url':
      return { url: build.url };
    case 'image':
      return { image: build.image, port: build.port };
  }
}

const LOCAL: readonly string[] = LOCAL_PROXY_NAMES;

/** A data plane's files as written (absolute paths once loaded, so they read back the same). */
const dataPlaneInput = (files: DataPlaneFiles) => ({
  ...(files.config !== undefined ? { config: files.config } : {}),
  ...(files.include !== undefined ? { include: files.include } : {}),
  ...(files.globalInclude !== undefined ? { global_include: files.globalInclude } : {}),
  ...(files.manifests !== undefined ? { manifests: files.manifests } : {}),
  ...(files.proxyAnnotations !== undefined ? { proxy_annotations: files.proxyAnnotations } : {}),
});

const mebibytesInput = (mib: number) => `${mib}MiB`;

function meshInput(mesh: MeshSpec): unknown {
  const local = LOCAL.includes(mesh.name);
  const entry: Record<string, unknown> = { name: mesh.name };
  if (mesh.mode) entry.mode = mesh.mode;
  if (mesh.mtls) entry.mtls = true;
  if (mesh.concurrency !== undefined) entry.concurrency = mesh.concurrency;
  if (local) {
    entry.tls = mesh.tls;
    entry.access_log = mesh.accessLog;
    entry.hops = mesh.hops;
    entry.upstream_protocol = mesh.upstreamProtocol;
    if (mesh.binary) entry.binary = mesh.binary;
    const defaultId = [
      mesh.name,
      modeSuffix(mesh.name, mesh.mode),
      mesh.hops === 2 ? '2hop' : '',
      mesh.mtls ? 'mtls' : mesh.tls ? 'tls' : '',
    ]
      .filter(Boolean)
      .join('-');
    if (mesh.id !== defaultId) entry.label = mesh.id;
    if (mesh.dataPlane) Object.assign(entry, dataPlaneInput(mesh.dataPlane));
    if (mesh.builds)
      entry.builds = { base: dataPlaneInput(mesh.builds.base), head: dataPlaneInput(mesh.builds.head) };
  } else {
    if (mesh.version) entry.version = mesh.version;
    const defaultId = [mesh.name, modeSuffix(mesh.name, mesh.mode), mesh.mtls ? 'mtls' : '']
      .filter(Boolean)
      .join('-');
    if (mesh.id !== defaultId) entry.label = mesh.id;
    if (mesh.installValues) entry.install_values = mesh.installValues;
    if (mesh.dataPlane) Object.assign(entry, dataPlaneInput(mesh.dataPlane));
    if (mesh.builds)
      entry.builds = { base: dataPlaneInput(mesh.builds.base), head: dataPlaneInput(mesh.builds.head) };
  }
  return Object.keys(entry).length === 1 ? mesh.name : entry;
}

// No min_delta when the profile had none: it is derived from what the run can resolve, and must
// stay derived when the printed form is read back.
const thresholdInput = (t: ThresholdSpec) => ({
  max_increase: percent(t.maxIncrease),
  ...(t.minDeltaMs !== undefined ? { min_delta: formatDurationMs(t.minDeltaMs) } : {}),
});

function latencyInput(thresholds: Partial<Record<string, ThresholdSpec>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(thresholds).map(([metric, t]) => [metric, thresholdInput(t!)]));
}

function capacityInput(capacity: CapacitySpec): Record<string, unknown> {
  return {
    slo: {
      ...Object.fromEntries(
        Object.entries(capacity.slo.latencyMs).map(([metric, ms]) => [metric, formatDurationMs(ms!)]),
      ),
      errors: percent(capacity.slo.errorRate),
    },
    min_rps: capacity.minRps,
    max_rps: capacity.maxRps,
    precision: percent(capacity.precision),
    max_time: formatDurationMs(capacity.maxTimeS * 1000),
    borderline: percent(capacity.borderline),
    retries: capacity.retries,
  };
}

export function profileToInput(profile: Profile): Record<string, unknown> {
  const { builds, manifests, service } = profile.workload;
  const workload: Record<string, unknown> = builds.base
    ? { builds: { base: buildInput(builds.base), head: buildInput(builds.head) } }
    : buildInput(builds.head);
  if (manifests.length > 0) workload.manifests = manifests;
  if (service) workload.service = service;
  const { load, gate } = profile;
  return {
    name: profile.name,
    ...(profile.description !== undefined ? { description: profile.description } : {}),
    platform: profile.platform,
    workload,
    mesh: profile.mesh.map(meshInput),
    load: {
      rps: load.rps,
      connections: load.connections,
      duration: formatDurationMs(load.durationS * 1000),
      warmup: formatDurationMs(load.warmupS * 1000),
      generators: load.generators,
      threads: load.threads,
      protocol: load.protocol,
      timeout: formatDurationMs(load.timeoutMs),
      request: load.request,
      ...(load.capacity ? { capacity: capacityInput(load.capacity) } : {}),
    },
    trials: profile.trials,
    max_trials: profile.maxTrials,
    order: profile.order,
    seed: profile.seed,
    gate: {
      ...latencyInput(gate.latency),
      ...(Object.keys(gate.overhead).length > 0 || gate.overheadResources || gate.overheadCapacity
        ? {
            overhead: {
              ...latencyInput(gate.overhead),
              ...(gate.overheadCapacity
                ? { capacity: { max_decrease: percent(gate.overheadCapacity.maxDecrease) } }
                : {}),
              ...(gate.overheadResources?.cpu
                ? { cpu: { max: formatDurationMs(gate.overheadResources.cpu.max) } }
                : {}),
              ...(gate.overheadResources?.memory
                ? { memory: { max: mebibytesInput(gate.overheadResources.memory.max) } }
                : {}),
            },
          }
        : {}),
      ...(gate.dataPlane
        ? {
            dataplane: {
              ...(gate.dataPlane.cpu
                ? {
                    cpu: {
                      max_increase: percent(gate.dataPlane.cpu.maxIncrease),
                      min_delta: formatDurationMs(gate.dataPlane.cpu.minDelta),
                    },
                  }
                : {}),
              ...(gate.dataPlane.memory
                ? {
                    memory: {
                      max_increase: percent(gate.dataPlane.memory.maxIncrease),
                      min_delta: mebibytesInput(gate.dataPlane.memory.minDelta),
                    },
                  }
                : {}),
            },
          }
        : {}),
      ...(gate.capacity ? { capacity: { max_decrease: percent(gate.capacity.maxDecrease) } } : {}),
      ...(gate.throughput ? { throughput: { max_decrease: percent(gate.throughput.maxDecrease) } } : {}),
      ...(gate.cost ? { cost: { max_increase: percent(gate.cost.maxIncrease) } } : {}),
      error_rate: { max: percent(gate.errorRate.max) },
      confidence: percent(gate.confidence),
    },
    isolation: profile.isolation,
    cpu_pinning: profile.cpuPinning,
    ...(profile.cost
      ? {
          cost: {
            method: profile.cost.method,
            requests: profile.cost.requests,
            batches: profile.cost.batches,
            warmup_requests: profile.cost.warmupRequests,
            connections: profile.cost.connections,
            workload: profile.cost.workload,
          },
        }
      : {}),
  };
}
