/**
 * The profile as users write it (YAML, snake_case keys, durations like "15s", percentages like
 * "10%"), validated by zod and transformed into the normalised Profile of types.ts.
 * Unknown keys are errors: a typo must not silently fall back to a default.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import {
  LOAD_LIMITS,
  headersSchema,
  isBaseUrl,
  hasPortZero,
  requestBodySchema,
  requestPathSchema,
} from '../load/job-schema.js';
import { LOAD_PROTOCOL_NAMES, loadProtocolNamed } from '../load/protocols/registry.js';
import {
  CLUSTER_MESH_NAMES,
  LOCAL_PROXY_NAMES,
  MESH_MODE_NAMES,
  PLATFORM_NAMES,
  clusterMeshDescriptor,
  clusterMeshModes,
  modeSuffix,
} from '../platform/catalog/index.js';
import { toolVersionProblem } from '../system/tool-versions.js';
import { capacityGateSchema, capacitySchema, capacityProblems } from './capacity-schema.js';
import { duration, fraction } from './field-schemas.js';
import { costGateSchema, costSchema, costWorkloadProblems } from './cost-schema.js';
import { dataPlaneKeysProblem } from './data-plane-keys.js';
import type { BuildSpec, DataPlaneFiles, MeshSpec, Profile, ThresholdSpec, LatencyMetric } from './types.js';

const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(1, { error: `expected ${what}` });

/**
 * Limits set where the cost is, so that `validate` refuses what a run could not survive. Each is
 * far above any sensible profile and far below what exhausts a runner.
 */
export const PROFILE_LIMITS = {
  /** Trials per variant (trials, max_trials): each is kept in results.json (tens of KB with its intervals). */
  maxTrials: 500,
  /** The sample server's delay and jitter: a latency the histograms track (1 µs … 60 s). */
  maxSampleDelayMs: 60_000,
  /** The sample server's answer, built once and sent with every response. */
  maxResponseBytes: 16 * 1024 * 1024,
  /** Requests in service at once in the sample server (one slot each), as many as connections may be. */
  maxSampleConcurrency: LOAD_LIMITS.maxConnections,
  /** Proxy workers (processes) and load generators. */
  maxWorkers: 256,
  maxArguments: 1000,
} as const;

const argv = z
  .array(
    z.string().refine((arg) => !arg.includes('\0'), { error: 'an argument cannot hold a NUL character' }),
    {
      error: 'expected a list of arguments, like ["./server", "--port", "{port}"]',
    },
  )
  .min(1, { error: 'expected at least the program to run' })
  .max(PROFILE_LIMITS.maxArguments, { error: `expected at most ${PROFILE_LIMITS.maxArguments} arguments` })
  // spawn("") throws before any process exists; say which field instead.
  .refine((args) => args[0].trim() !== '', { error: 'the program (the first element) is empty', path: [0] });

const sampleDelay = duration.refine((ms) => ms <= PROFILE_LIMITS.maxSampleDelayMs, {
  error: `expected a duration of at most ${PROFILE_LIMITS.maxSampleDelayMs / 1000}s (the longest latency the histograms track)`,
});

const sampleFields = {
  sample: z.literal('echo', { error: 'expected "echo" (the built-in sample server)' }),
  delay: sampleDelay.optional(),
  jitter: sampleDelay.optional(),
  response_size: z
    .number({ error: 'expected a whole number of bytes ≥ 0' })
    .int({ error: 'expected a whole number of bytes ≥ 0' })
    .min(0, { error: 'expected a whole number of bytes ≥ 0' })
    .max(PROFILE_LIMITS.maxResponseBytes, {
      error: `expected at most ${PROFILE_LIMITS.maxResponseBytes} bytes (16 MiB)`,
    })
    .optional(),
  /** Requests in service at once (1 serialises them): a server with a known capacity, concurrency / delay. */
  concurrency: positiveInt('a whole number of requests in service at once ≥ 1')
    .max(PROFILE_LIMITS.maxSampleConcurrency, {
      error: `expected at most ${PROFILE_LIMITS.maxSampleConcurrency} requests in service at once (the most connections a load may open)`,
    })
    .optional(),
};

const build = z
  .strictObject({
    ...Object.fromEntries(Object.entries(sampleFields).map(([k, v]) => [k, v.optional()])),
    command: argv.optional(),
    env: z.record(z.string(), z.string()).optional(),
    ready_path: z.string().startsWith('/', { error: 'expected a path starting with /' }).optional(),
    // The load engine aims at a base URL (job-schema.ts): a path goes in load.request.path.
    url: z
      .string()
      .refine((url) => !hasPortZero(url), {
        error: 'port 0 is no port a server listens on (the load would go to port 80)',
        abort: true,
      })
      .refine(isBaseUrl, {
        error: 'expected an http:// or https:// base URL without a path, like http://127.0.0.1:8080',
      })
      .optional(),
    image: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535, { error: 'expected a port 1..65535' }).optional(),
  })
  .transform((raw, ctx): BuildSpec => {
    const input = raw as Record<string, unknown> & {
      sample?: 'echo';
      delay?: number;
      jitter?: number;
      response_size?: number;
      concurrency?: number;
      command?: string[];
      env?: Record<string, string>;
      ready_path?: string;
      url?: string;
      image?: string;
      port?: number;
    };
    const sources = (['sample', 'command', 'url', 'image'] as const).filter(
      (key) => input[key] !== undefined,
    );
    if (sources.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a build has exactly one of sample, command, url or image; found ${sources.join(' and ')}`,
      });
      return z.NEVER;
    }
    const source = sources[0] ?? 'sample';
    const stray = (keys: string[]) => keys.filter((key) => input[key] !== undefined);
    const misplaced =
      source === 'sample'
        ? stray(['env', 'ready_path', 'port'])
        : stray([
            'delay',
            'jitter',
            'response_size',
            'concurrency',
            ...(source === 'command' ? [] : ['env', 'ready_path']),
          ]);
    if (source === 'url') misplaced.push(...stray(['port']));
    if (misplaced.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${misplaced.join(', ')} does not apply to a ${source} build`,
      });
      return z.NEVER;
    }
    switch (source) {
      case 'sample':
        if (input.concurrency !== undefined && !(input.delay ?? 0) && !(input.jitter ?? 0)) {
          ctx.addIssue({
            code: 'custom',
            path: ['concurrency'],
            message: 'concurrency needs a delay (the time each request is in service), like delay: 2ms',
          });
          return z.NEVER;
        }
        return {
          kind: 'sample',
          sample: 'echo',
          delayMs: input.delay ?? 0,
          jitterMs: input.jitter ?? 0,
          responseBytes: input.response_size ?? 64,
          ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
        };
      case 'command':
        return {
          kind: 'command',
          command: input.command!,
          env: input.env ?? {},
          readyPath: input.ready_path ?? '/',
        };
      case 'url':
        return { kind: 'url', url: input.url!.replace(/\/+$/, '') };
      case 'image':
        return { kind: 'image', image: input.image!, port: input.port ?? 8080 };
    }
  });

// Lists of names come from the catalog of descriptors (platform/catalog/), so that adding a mesh or
// a proxy does not touch the profile, and parsing one loads no platform implementation.
const LOCAL_PROXIES: readonly string[] = LOCAL_PROXY_NAMES;
const CLUSTER_MESHES: readonly string[] = CLUSTER_MESH_NAMES.filter((name) => name !== 'none');
const MESH_NAMES: readonly string[] = ['none', ...CLUSTER_MESHES, ...LOCAL_PROXIES];
/** "a, b and c" */
const listed = (names: readonly string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
/** "a, b or c" */
const orList = (names: readonly string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;

const filePath = z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' });

/**
 * A user's data-plane configuration. Local proxies: a full config, or fragments added to
 * meshgate's (not both). Cluster meshes: per-namespace manifests and proxy annotations
 * (data-plane-keys.ts says which mesh takes which).
 */
const dataPlaneFields = {
  config: filePath.optional(),
  include: filePath.optional(),
  global_include: filePath.optional(),
  manifests: z
    .array(filePath)
    .min(1, { error: 'expected at least one manifest file' })
    .max(16, { error: 'expected at most 16 manifest files' })
    .optional(),
  // Values are checked in the mesh entry's transform: an error inside this union's object branch
  // would otherwise be reported as the whole entry being "not a valid value".
  proxy_annotations: z
    .record(
      z.string().min(1).max(253, { error: 'expected an annotation name of at most 253 characters' }),
      z.unknown(),
    )
    .optional(),
};
type DataPlaneInput = {
  config?: string;
  include?: string;
  global_include?: string;
  manifests?: string[];
  proxy_annotations?: Record<string, unknown>;
};

/** Kubernetes annotation values are strings; a YAML 1 or true would be refused by the API server. */
function annotationValueIssue(input: DataPlaneInput): { key: string; message: string } | undefined {
  for (const [key, value] of Object.entries(input.proxy_annotations ?? {})) {
    if (typeof value !== 'string')
      return {
        key,
        message: `annotation values are strings: quote numbers and booleans ("${String(value)}"), got ${JSON.stringify(value)}`,
      };
    if (value.length > 65_536)
      return { key, message: 'expected an annotation value of at most 65536 characters' };
  }
  return undefined;
}
const dataPlaneBuild = z.strictObject(dataPlaneFields);

/** Problem with a data-plane build's combination of files, or undefined. */
function dataPlaneProblem(input: DataPlaneInput): string | undefined {
  if (input.config !== undefined && (input.include !== undefined || input.global_include !== undefined))
    return "give either config (a full proxy config) or include/global_include (fragments added to meshgate's config), not both";
  return undefined;
}

/** Relative paths as written; the profile loader resolves them and fills in `field`. */
const dataPlaneFiles = (input: DataPlaneInput): DataPlaneFiles => ({
  ...(input.config !== undefined ? { config: input.config } : {}),
  ...(input.include !== undefined ? { include: input.include } : {}),
  ...(input.global_include !== undefined ? { globalInclude: input.global_include } : {}),
  ...(input.manifests !== undefined ? { manifests: input.manifests } : {}),
  ...(input.proxy_annotations !== undefined
    ? { proxyAnnotations: input.proxy_annotations as Record<string, string> }
    : {}),
  field: '',
});

const presentKeys = (input: DataPlaneInput): string[] =>
  Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);

const meshEntry = z
  .union([
    z.string(),
    z.strictObject({
      name: z.string(),
      /** The variant's name when one proxy appears more than once (nginx-native, nginx-njs). */
      label: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected lowercase letters, digits and dashes' })
        .optional(),
      mode: z
        .enum(MESH_MODE_NAMES as [string, ...string[]], { error: `expected ${orList(MESH_MODE_NAMES)}` })
        .optional(),
      mtls: z.boolean().optional(),
      tls: z.boolean().optional(),
      concurrency: positiveInt('a whole number of proxy workers ≥ 1')
        .max(PROFILE_LIMITS.maxWorkers, {
          error: `expected at most ${PROFILE_LIMITS.maxWorkers} proxy workers`,
        })
        .optional(),
      access_log: z.boolean().optional(),
      hops: z.union([z.literal(1), z.literal(2)], { error: 'expected 1 or 2' }).optional(),
      upstream_protocol: z.enum(['http1', 'http2'], { error: 'expected http1 or http2' }).optional(),
      binary: z.string().min(1).optional(),
      version: z.string().min(1).optional(),
      /** Cluster meshes: a mesh-wide install file (IstioOperator, Linkerd Helm values). */
      install_values: filePath.optional(),
      ...dataPlaneFields,
      builds: z.strictObject({ base: dataPlaneBuild, head: dataPlaneBuild }).optional(),
    }),
  ])
  .transform((entry, ctx): MeshSpec => {
    const raw = typeof entry === 'string' ? { name: entry } : entry;
    if (!MESH_NAMES.includes(raw.name)) {
      ctx.addIssue({ code: 'custom', message: `unknown mesh; expected one of ${MESH_NAMES.join(', ')}` });
      return z.NEVER;
    }
    const name = raw.name as MeshSpec['name'];
    const spec = raw as Exclude<typeof entry, string>;
    const modes = clusterMeshModes(name);
    if (spec.mode && !modes?.includes(spec.mode)) {
      const withModes = CLUSTER_MESHES.filter((mesh) => clusterMeshModes(mesh));
      ctx.addIssue({ code: 'custom', message: `mode applies to ${listed(withModes)} only, not ${name}` });
      return z.NEVER;
    }
    const localOnly = (['hops', 'tls', 'access_log', 'binary', 'upstream_protocol'] as const).filter(
      (key) => spec[key] !== undefined,
    );
    if (localOnly.length > 0 && !LOCAL_PROXIES.includes(name)) {
      ctx.addIssue({
        code: 'custom',
        message: `${localOnly.join(', ')} applies to ${listed(LOCAL_PROXIES)} only`,
      });
      return z.NEVER;
    }
    if (spec.version !== undefined && !CLUSTER_MESHES.includes(name)) {
      ctx.addIssue({ code: 'custom', message: `version applies to ${listed(CLUSTER_MESHES)} only` });
      return z.NEVER;
    }
    const cli = spec.version !== undefined ? clusterMeshDescriptor(name)?.cli : undefined;
    const versionProblem = cli && toolVersionProblem(cli, spec.version!);
    if (versionProblem) {
      // The version names the release meshgate downloads: only a release tag goes into that URL.
      ctx.addIssue({ code: 'custom', path: ['version'], message: versionProblem });
      return z.NEVER;
    }
    if (spec.label !== undefined && name === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['label'],
        message: 'none keeps its name: comparisons look for the none variant by it',
      });
      return z.NEVER;
    }
    if (spec.builds !== undefined && name === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['builds'],
        message: 'none has no data plane to build; compare application builds with workload.builds',
      });
      return z.NEVER;
    }
    if (
      spec.install_values !== undefined &&
      (!CLUSTER_MESHES.includes(name) || !clusterMeshDescriptor(name)?.dataPlane)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['install_values'],
        message: `install_values applies to ${listed(CLUSTER_MESHES)} only`,
      });
      return z.NEVER;
    }
    const own: DataPlaneInput =
      typeof entry === 'string'
        ? {}
        : {
            config: spec.config,
            include: spec.include,
            global_include: spec.global_include,
            manifests: spec.manifests,
            proxy_annotations: spec.proxy_annotations,
          };
    const hasOwn = Object.values(own).some((value) => value !== undefined);
    if (hasOwn && spec.builds) {
      ctx.addIssue({
        code: 'custom',
        message: "give the data plane's files either directly or in builds.base and builds.head, not both",
      });
      return z.NEVER;
    }
    for (const [path, files] of [
      [[], own],
      [['builds', 'base'], spec.builds?.base ?? {}],
      [['builds', 'head'], spec.builds?.head ?? {}],
    ] as const) {
      const issue = annotationValueIssue(files);
      if (issue) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'proxy_annotations', issue.key],
          message: issue.message,
        });
        return z.NEVER;
      }
    }
    for (const [where, files] of [
      ['', own],
      ['builds.base: ', spec.builds?.base ?? {}],
      ['builds.head: ', spec.builds?.head ?? {}],
    ] as const) {
      const problem =
        dataPlaneKeysProblem(name, presentKeys(files), LOCAL_PROXIES, CLUSTER_MESHES) ??
        dataPlaneProblem(files);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `${where}${problem}` });
        return z.NEVER;
      }
    }
    const mode = (modes ? (spec.mode ?? modes[0]) : undefined) as MeshSpec['mode'];
    const mtls = spec.mtls ?? false;
    const suffixes = [
      modeSuffix(name, mode),
      spec.hops === 2 ? '2hop' : '',
      mtls ? 'mtls' : spec.tls ? 'tls' : '',
    ];
    return {
      id: spec.label ?? [name, ...suffixes.filter(Boolean)].join('-'),
      name,
      mode,
      mtls,
      tls: spec.tls ?? false,
      concurrency: spec.concurrency,
      accessLog: spec.access_log ?? false,
      hops: spec.hops ?? 1,
      upstreamProtocol: spec.upstream_protocol ?? 'http1',
      binary: spec.binary,
      version: spec.version,
      ...(spec.install_values !== undefined ? { installValues: spec.install_values } : {}),
      ...(hasOwn ? { dataPlane: dataPlaneFiles(own) } : {}),
      ...(spec.builds
        ? { builds: { base: dataPlaneFiles(spec.builds.base), head: dataPlaneFiles(spec.builds.head) } }
        : {}),
    };
  });

const threshold = z
  .strictObject({ max_increase: fraction, min_delta: duration.optional() })
  .transform((t): ThresholdSpec => ({
    maxIncrease: t.max_increase,
    ...(t.min_delta !== undefined ? { minDeltaMs: t.min_delta } : {}),
  }));

/** "64MiB", "1GiB", "512KiB" or a number of MiB. */
const mebibytes = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB)\s*$/.exec(value) : null;
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'expected an amount of memory like 64MiB, 512KiB or 1GiB' });
    return z.NEVER;
  }
  return Number(match[1]) * { KiB: 1 / 1024, MiB: 1, GiB: 1024 }[match[2] as 'KiB' | 'MiB' | 'GiB'];
});

/** Proxy CPU is judged per 1,000 requests, so its amounts are durations (CPU time): "20ms". */
const cpuThreshold = z
  .strictObject({ max_increase: fraction, min_delta: duration.optional() })
  .transform((t) => ({ maxIncrease: t.max_increase, minDelta: t.min_delta ?? 0 }));
const memoryThreshold = z
  .strictObject({ max_increase: fraction, min_delta: mebibytes.optional() })
  .transform((t) => ({ maxIncrease: t.max_increase, minDelta: t.min_delta ?? 0 }));

const latencyThresholds = {
  p50: threshold.optional(),
  p90: threshold.optional(),
  p99: threshold.optional(),
  p999: threshold.optional(),
};

function pickLatency(input: Partial<Record<LatencyMetric, ThresholdSpec | undefined>>) {
  const out: Partial<Record<LatencyMetric, ThresholdSpec>> = {};
  for (const metric of ['p50', 'p90', 'p99', 'p999'] as const) if (input[metric]) out[metric] = input[metric];
  return out;
}

const gate = z
  .strictObject({
    ...latencyThresholds,
    overhead: z
      .strictObject({
        ...latencyThresholds,
        /** CPU time per 1,000 requests the data plane may spend, e.g. "40ms". */
        cpu: z
          .strictObject({
            max: duration.refine((ms) => ms > 0, { error: 'expected a CPU time > 0, like 40ms' }),
          })
          .optional(),
        memory: z
          .strictObject({
            max: mebibytes.refine((mib) => mib > 0, { error: 'expected an amount > 0, like 64MiB' }),
          })
          .optional(),
        /** Capacity mode: the share of the capacity without a mesh that a mesh may cost. */
        capacity: capacityGateSchema.optional(),
      })
      .optional(),
    /** Capacity mode: the drop in capacity at the SLO, head vs base, that fails. */
    capacity: capacityGateSchema.optional(),
    dataplane: z
      .strictObject({ cpu: cpuThreshold.optional(), memory: memoryThreshold.optional() })
      .optional(),
    throughput: z.strictObject({ max_decrease: fraction }).optional(),
    /** Instructions per request, head vs base (needs the profile's `cost` section). */
    cost: costGateSchema.optional(),
    error_rate: z.strictObject({ max: fraction }).optional(),
    confidence: fraction
      .refine((value) => value > 0.5 && value < 1, {
        error: 'expected a confidence level between 50% and 100%',
      })
      .optional(),
  })
  .transform((g) => {
    const latency = pickLatency(g);
    const ceilings = {
      ...(g.overhead?.cpu ? { cpu: g.overhead.cpu } : {}),
      ...(g.overhead?.memory ? { memory: g.overhead.memory } : {}),
    };
    return {
      latency: Object.keys(latency).length > 0 ? latency : { p99: { maxIncrease: 0.1 } },
      overhead: pickLatency(g.overhead ?? {}),
      ...(Object.keys(ceilings).length > 0 ? { overheadResources: ceilings } : {}),
      ...(g.dataplane ? { dataPlane: g.dataplane } : {}),
      ...(g.capacity ? { capacity: g.capacity } : {}),
      ...(g.cost ? { cost: g.cost } : {}),
      ...(g.overhead?.capacity ? { overheadCapacity: g.overhead.capacity } : {}),
      throughput: g.throughput ? { maxDecrease: g.throughput.max_decrease } : undefined,
      errorRate: { max: g.error_rate?.max ?? 0.001 },
      confidence: g.confidence ?? 0.95,
    };
  });

// Paths, headers and bodies use the load engine's own schemas (src/load/job-schema.ts): one set of
// limits, so a profile `validate` accepts is one every trial accepts.
const request = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Z]+$/, { error: 'expected an HTTP method in capitals, like GET or POST' })
    .default('GET'),
  path: requestPathSchema.default('/'),
  headers: headersSchema.default({}),
  body: requestBodySchema.default(''),
});

/** A unary gRPC call (load.protocol grpc): the method path and the protobuf request message. */
const grpcCall = z.strictObject({
  method: z.string().regex(/^\/[A-Za-z_][\w.]*\/[A-Za-z_]\w*$/, {
    error: 'expected a method path like /package.Service/Method',
  }),
  message: z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'expected the protobuf request message in base64' })
    .refine((text) => text.length <= LOAD_LIMITS.maxBodyBytes, {
      error: `expected at most ${LOAD_LIMITS.maxBodyBytes} characters of base64`,
    })
    .optional(),
  message_file: z.string().min(1).optional(),
});

/** Results of another tool to gate instead of running load (interop/import-results.ts). */
const variantId = z
  .string()
  .regex(/^(base|head)\/[a-z0-9][a-z0-9-]*$/, { error: 'expected base/MESH or head/MESH, like head/none' });
const importEntry = z.strictObject({
  file: z.string().min(1, { error: 'expected a file path' }),
  variant: variantId.optional(),
  variants: z.record(z.string(), variantId).optional(),
});

/** A duration within the engine's bounds (ms in, ms out); `positive` refuses 0. */
const boundedDuration = (maxMs: number, positive: boolean) =>
  duration.refine((ms) => (positive ? ms > 0 : ms >= 0) && ms <= maxMs, {
    error: `expected a duration ${positive ? 'above 0' : '≥ 0'} and at most ${maxMs >= 3_600_000 ? `${maxMs / 3_600_000}h` : `${maxMs / 1000}s`}`,
  });

const load = z.strictObject({
  rps: z
    .number({ error: 'expected a number ≥ 0' })
    .min(0, { error: 'expected a number ≥ 0' })
    .max(LOAD_LIMITS.maxRps, { error: `expected at most ${LOAD_LIMITS.maxRps} requests per second` })
    .default(500),
  connections: positiveInt('a whole number ≥ 1')
    .max(LOAD_LIMITS.maxConnections, { error: `expected at most ${LOAD_LIMITS.maxConnections} connections` })
    .optional(),
  duration: boundedDuration(LOAD_LIMITS.maxDurationS * 1000, true).default(5_000),
  warmup: boundedDuration(LOAD_LIMITS.maxDurationS * 1000, false).default(1_000),
  generators: positiveInt('a whole number ≥ 1')
    .max(PROFILE_LIMITS.maxWorkers, { error: `expected at most ${PROFILE_LIMITS.maxWorkers} generators` })
    .default(1),
  threads: positiveInt('a whole number ≥ 1')
    .max(LOAD_LIMITS.maxThreads, { error: `expected at most ${LOAD_LIMITS.maxThreads} threads` })
    .optional(),
  protocol: z
    .enum(LOAD_PROTOCOL_NAMES, {
      error: `expected ${LOAD_PROTOCOL_NAMES.slice(0, -1).join(', ')} or ${LOAD_PROTOCOL_NAMES.at(-1)}`,
    })
    .default('http1'),
  timeout: boundedDuration(LOAD_LIMITS.maxTimeoutMs, true).default(5_000),
  request: request.prefault({}),
  grpc: grpcCall.optional(),
  capacity: capacitySchema.optional(),
});

// The direct build fields are checked by `build` in the profile's transform (one parse, one message).
const directBuildField = z.unknown().optional();
const workload = z.strictObject({
  sample: directBuildField,
  delay: directBuildField,
  jitter: directBuildField,
  response_size: directBuildField,
  concurrency: directBuildField,
  command: directBuildField,
  env: directBuildField,
  ready_path: directBuildField,
  url: directBuildField,
  image: directBuildField,
  port: directBuildField,
  manifests: z.array(z.string()).optional(),
  service: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?:\d+$/, { error: 'expected name:port, like echo:8080' })
    .optional(),
  builds: z.strictObject({ base: build, head: build }).optional(),
});

export const ProfileInputSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9-]+$/, { error: 'expected lowercase letters, digits and dashes ([a-z0-9-]+)' }),
    description: z.string().optional(),
    platform: z.enum(PLATFORM_NAMES, { error: `expected ${PLATFORM_NAMES.join(', ')}` }).default('local'),
    workload: workload.prefault({}),
    mesh: z
      .array(meshEntry)
      .min(1, { error: 'expected at least one mesh (use [none] for no mesh)' })
      .prefault(['none']),
    load: load.prefault({}),
    trials: positiveInt('a whole number of trials ≥ 1')
      .max(PROFILE_LIMITS.maxTrials, {
        error: `expected at most ${PROFILE_LIMITS.maxTrials} trials per variant`,
      })
      .default(6),
    max_trials: positiveInt('a whole number ≥ 1')
      .max(PROFILE_LIMITS.maxTrials, {
        error: `expected at most ${PROFILE_LIMITS.maxTrials} trials per variant`,
      })
      .optional(),
    order: z.enum(['balanced', 'random'], { error: 'expected balanced or random' }).default('balanced'),
    seed: z.number().int().default(1),
    gate: gate.prefault({}),
    isolation: z.enum(['none', 'netns'], { error: 'expected none or netns' }).default('none'),
    cpu_pinning: z.boolean().default(false),
    cost: costSchema.optional(),
    import_results: z
      .array(importEntry)
      .min(1, { error: 'expected at least one { file, variant }' })
      .optional(),
  })
  .superRefine((p, ctx) => {
    const ids = p.mesh.map((m) => m.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate)
      ctx.addIssue({
        code: 'custom',
        path: ['mesh'],
        message: `mesh variant "${duplicate}" is listed twice`,
      });
    if (p.max_trials !== undefined && p.max_trials < p.trials)
      ctx.addIssue({ code: 'custom', path: ['max_trials'], message: `must be ≥ trials (${p.trials})` });
    const withBuilds = p.mesh.findIndex((m) => m.builds);
    if (withBuilds >= 0 && p.workload.builds)
      ctx.addIssue({
        code: 'custom',
        path: ['mesh', withBuilds, 'builds'],
        message:
          'a profile compares either two application builds (workload.builds) or two data planes (mesh builds), not both',
      });
    if (p.cost && p.load.capacity)
      ctx.addIssue({
        code: 'custom',
        path: ['cost'],
        message:
          'a capacity search is not followed by a cost phase; count instructions in a profile without load.capacity',
      });
    if (p.cost && p.load.protocol !== 'http1')
      ctx.addIssue({
        code: 'custom',
        path: ['cost'],
        message: `the cost phase counts HTTP/1.1 requests; load.protocol ${p.load.protocol} is not counted yet (use http1, or remove cost)`,
      });
    for (const [path, message] of costWorkloadProblems(p))
      ctx.addIssue({ code: 'custom', path: path.map(String), message });
    if (p.gate.cost && !p.cost)
      ctx.addIssue({
        code: 'custom',
        path: ['gate', 'cost'],
        message: 'gate.cost needs a cost section (cost: { requests: 1000, batches: 5 }) to count with',
      });
    if (p.load.protocol === 'grpc' && !p.load.grpc)
      ctx.addIssue({
        code: 'custom',
        path: ['load', 'grpc'],
        message: 'load.protocol grpc needs load.grpc with method (and message or message_file)',
      });
    if (p.load.grpc && p.load.protocol !== 'grpc')
      ctx.addIssue({
        code: 'custom',
        path: ['load', 'protocol'],
        message: `load.grpc is set: expected grpc, got ${p.load.protocol}`,
      });
    if (p.load.grpc?.message !== undefined && p.load.grpc.message_file !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['load', 'grpc', 'message_file'],
        message: 'give message or message_file, not both',
      });
    for (const [path, message] of capacityProblems(p))
      ctx.addIssue({ code: 'custom', path: path.map(String), message });
    const direct = (['sample', 'command', 'url', 'image'] as const).filter(
      (k) => p.workload[k] !== undefined,
    );
    if (p.workload.builds && direct.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['workload', direct[0]],
        message: 'give either one build directly or workload.builds with base and head, not both',
      });
  })
  .transform((p, ctx): Profile => {
    let head: BuildSpec;
    if (p.workload.builds) {
      head = p.workload.builds.head;
    } else {
      const { manifests: _m, service: _s, builds: _b, ...direct } = p.workload;
      const parsed = build.safeParse(direct);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({
            code: 'custom',
            path: ['workload', ...issue.path.map(String)],
            message: issue.message,
          });
        return z.NEVER;
      }
      head = parsed.data;
    }
    const cpus = availableParallelism();
    // Default: enough connections for replies up to ~100 ms at the open-loop rate (at least 16),
    // so a slow app is not measured through the generator's own queue. A capacity search sizes
    // them for replies of twice the SLO's slowest ceiling at max_rps: a step slower than that
    // misses the SLO anyway, and waiting for a connection is then charged to the server.
    const capacity = p.load.capacity;
    const inFlight = capacity
      ? capacity.maxRps * 2 * (Math.max(...(Object.values(capacity.slo.latencyMs) as number[])) / 1000)
      : p.load.rps * 0.1;
    const connections =
      p.load.connections ?? Math.min(LOAD_LIMITS.maxConnections, Math.max(16, Math.ceil(inFlight)));
    return {
      name: p.name,
      description: p.description,
      platform: p.platform,
      workload: {
        builds: p.workload.builds ? { base: p.workload.builds.base, head } : { head },
        manifests: p.workload.manifests ?? [],
        service: p.workload.service,
      },
      mesh: p.mesh.map((mesh, i) => ({
        ...mesh,
        ...(mesh.dataPlane ? { dataPlane: { ...mesh.dataPlane, field: `mesh[${i}]` } } : {}),
        ...(mesh.builds
          ? {
              builds: {
                base: { ...mesh.builds.base, field: `mesh[${i}].builds.base` },
                head: { ...mesh.builds.head, field: `mesh[${i}].builds.head` },
              },
            }
          : {}),
      })),
      load: {
        rps: p.load.rps,
        connections,
        durationS: p.load.duration / 1000,
        warmupS: p.load.warmup / 1000,
        generators: p.load.generators,
        threads: p.load.threads ?? Math.min(cpus, connections, LOAD_LIMITS.maxThreads),
        // gRPC is HTTP/2 with a gRPC request (load/grpc.ts); the request's headers are its metadata.
        protocol: loadProtocolNamed(p.load.protocol).wire,
        request: p.load.grpc
          ? {
              method: 'POST',
              path: p.load.grpc.method,
              headers: { ...p.load.request.headers, 'content-type': 'application/grpc', te: 'trailers' },
              body: p.load.grpc.message ?? '',
            }
          : p.load.request,
        ...(p.load.grpc
          ? {
              grpc: {
                method: p.load.grpc.method,
                ...(p.load.grpc.message_file ? { messageFile: p.load.grpc.message_file } : {}),
              },
            }
          : {}),
        timeoutMs: p.load.timeout,
        ...(p.load.capacity ? { capacity: p.load.capacity } : {}),
      },
      trials: p.trials,
      // Default: room for two extensions (6 → 9 → 12) when a verdict is inconclusive.
      maxTrials: p.max_trials ?? Math.max(p.trials, Math.min(p.trials * 2, PROFILE_LIMITS.maxTrials)),
      order: p.order,
      seed: p.seed,
      gate: p.gate,
      isolation: p.isolation,
      cpuPinning: p.cpu_pinning,
      ...(p.cost ? { cost: p.cost } : {}),
      ...(p.import_results ? { importResults: p.import_results } : {}),
    };
  });
