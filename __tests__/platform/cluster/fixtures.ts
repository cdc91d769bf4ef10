/** Shared fixtures for the cluster platform tests: profiles, generator trials, a fake dist/. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, encodeHistogram, recordUs, summarize } from '../../../src/load/histogram.js';
import type { LoadJob, LoadTrial } from '../../../src/load/types.js';
import type { BuildSpec, MeshSpec, Profile } from '../../../src/profile/types.js';

export function meshSpec(name: MeshSpec['name'], extra: Partial<MeshSpec> = {}): MeshSpec {
  const id = extra.mode === 'ambient' ? `${name}-ambient` : name;
  return {
    id,
    name,
    mtls: false,
    tls: false,
    accessLog: false,
    hops: 1,
    upstreamProtocol: 'http1',
    ...extra,
  };
}

export const SAMPLE: BuildSpec = {
  kind: 'sample',
  sample: 'echo',
  delayMs: 1,
  jitterMs: 0,
  responseBytes: 64,
};

export function clusterProfile(options: {
  platform?: Profile['platform'];
  mesh?: MeshSpec[];
  builds?: Profile['workload']['builds'];
  generators?: number;
}): Profile {
  return {
    name: 'cluster-test',
    platform: options.platform ?? 'kind',
    workload: { builds: options.builds ?? { head: SAMPLE }, manifests: [] },
    mesh: options.mesh ?? [meshSpec('none')],
    load: {
      rps: 300,
      connections: 8,
      durationS: 10,
      warmupS: 2,
      generators: options.generators ?? 1,
      threads: 2,
      protocol: 'http1',
      request: { method: 'GET', path: '/', headers: {}, body: '' },
      timeoutMs: 5000,
    },
    trials: 2,
    maxTrials: 2,
    order: 'balanced',
    seed: 1,
    gate: { latency: {}, overhead: {}, errorRate: { max: 0.001 }, confidence: 0.95 },
    isolation: 'none',
    cpuPinning: false,
  };
}

export function jobFor(profile: Profile): LoadJob {
  const { rps, connections, durationS, warmupS, threads, protocol, request, timeoutMs } = profile.load;
  return {
    url: 'http://placeholder',
    rps,
    connections,
    durationS,
    warmupS,
    threads,
    protocol,
    request,
    timeoutMs,
  };
}

/** A generator's trial whose histograms hold exactly `valuesUs`. */
export function generatorTrial(
  valuesUs: number[],
  startIso: string,
  extra: Partial<LoadTrial> = {},
): LoadTrial {
  const histogram = createHistogram();
  for (const value of valuesUs) recordUs(histogram, value);
  const encoded = encodeHistogram(histogram);
  const start = Date.parse(startIso);
  return {
    startTime: new Date(start).toISOString(),
    endTime: new Date(start + 10_000).toISOString(),
    durationS: 10,
    requestedRps: 100,
    actualRps: valuesUs.length / 10,
    requests: valuesUs.length,
    errors: 0,
    errorsByKind: {},
    statusCodes: { '200': valuesUs.length },
    latencyMs: summarize(histogram),
    uncorrectedLatencyMs: summarize(histogram),
    scheduleLagMs: { p50: 0.1, p99: 0.5, max: 1 },
    histogram: encoded,
    uncorrectedHistogram: encoded,
    generators: 1,
    ...extra,
  };
}

/** A dist/ folder with tiny stand-in bundles. */
export function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-dist-'));
  for (const entry of ['loadgen', 'load-worker', 'sample-server']) {
    mkdirSync(join(dir, entry));
    writeFileSync(join(dir, entry, 'index.js'), `// ${entry} bundle\nconsole.log('${entry}');\n`);
  }
  return dir;
}
