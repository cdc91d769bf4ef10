/**
 * The cost phase of platform local: each mesh variant's proxies, started again as separate
 * instances (1 worker, 1 thread) under the counting method in front of the same application,
 * count the instructions of a fixed number of requests. Per variant: start, warm-up (not
 * counted: instrumentation is off), instrumentation on, one idle window of a batch's length with
 * no requests; then `batches` rounds in which every variant, in alternating order, is zeroed,
 * sent exactly `requests` requests (closed loop, every answer read) and dumped. Batches measured
 * before a failure are kept (attached to the error, see partialCostOf).
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SetupError, errorMessage } from '../../../errors.js';
import type { RequestSpec } from '../../../load/types.js';
import type { CostSpec, MeshSpec } from '../../../profile/types.js';
import type { VariantCost } from '../../../results/schema.js';
import type { Logger } from '../../../util/log.js';
import { localDataPlane } from '../proxies/registry.js';
import type { ProxyChain } from '../proxies/chain.js';
import { CallgrindProcess, callgrindCommand } from './callgrind.js';
import type { CallgrindDump } from './callgrind-file.js';
import { chooseMethod } from './method.js';
import { PerfProcess } from './perf.js';
import { BatchIncomplete, sendBatch } from './requests.js';

/** Functions kept per component (by self instructions), for "where the change went". */
const FUNCTIONS_KEPT = 150;
/** Under Callgrind nginx serves ~2,000 requests/s; a batch slower than 5 requests/s is stuck. */
const MIN_RATE_PER_S = 5;
const MIN_IDLE_MS = 200;

/** A process the cost phase starts and counts besides the proxies (cost.workload). */
export interface CountedProcess {
  url: string;
  pid: number;
  /** Resolves with a message when it exits unexpectedly. */
  died: Promise<string>;
  stop(): Promise<void>;
}

export interface CostVariant {
  variantId: string;
  mesh: MeshSpec;
  /** The application this variant's proxies forward to. */
  appUrl: string;
  /** cost.workload: start another instance of the application build, run through `wrap`, and count it too. */
  workload?: { label: string; start(wrap?: Wrap): Promise<CountedProcess> };
}

export type Wrap = (program: string, args: readonly string[]) => [string, string[]];

export interface CostPhaseOptions {
  spec: CostSpec;
  request: RequestSpec;
  log: Logger;
  workDir: string;
  signal: AbortSignal;
}

interface Counter {
  pid: number;
  instrumentationOn(): Promise<void>;
  zero(): Promise<void>;
  dump(): Promise<CallgrindDump>;
}

interface Running {
  input: CostVariant;
  /** Where the batches go: the entry proxy, or the counted workload itself (mesh none). */
  url: string;
  died: Promise<string>;
  stop(): Promise<void>;
  components: string[];
  counters: Counter[];
  cost: VariantCost;
  functions: Map<string, number>[];
  busyMs: number;
}

const partial = new WeakMap<object, Map<string, VariantCost>>();

/** Carry `kept` on `error` (an error re-thrown as another keeps what was counted). */
export function keepPartialCost(error: unknown, kept: Map<string, VariantCost> | undefined): void {
  if (kept && typeof error === 'object' && error !== null) partial.set(error, kept);
}

/** Batches counted before `error` ended the cost phase, per variant. */
export function partialCostOf(error: unknown): Map<string, VariantCost> | undefined {
  return typeof error === 'object' && error !== null ? partial.get(error) : undefined;
}

const topFunctions = (maps: Map<string, number>[]): VariantCost['functions'] =>
  maps.flatMap((map, component) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, FUNCTIONS_KEPT)
      .map(([name, instructions]) => ({ component, name: name.slice(0, 300), instructions })),
  );

function finish(running: Running): VariantCost {
  const functions = topFunctions(running.functions);
  return {
    ...running.cost,
    ...(running.cost.method === 'callgrind' && functions && functions.length > 0 ? { functions } : {}),
    wallS: Math.round(running.busyMs) / 1000,
  };
}

/** Run `work` unless one of the variant's proxies dies first; then exit 3 naming it. */
async function unlessDied<T>(running: Running, what: string, work: Promise<T>): Promise<T> {
  const died = running.died.then((message) => {
    throw new SetupError(
      `cost: ${message} while counting (${what}) under ${running.cost.method}; it died under the counting tool: run it by hand under \`valgrind --tool=callgrind\` to see why, or remove the cost section`,
    );
  });
  return Promise.race([work, died]);
}

export async function runCostPhase(
  variants: readonly CostVariant[],
  options: CostPhaseOptions,
): Promise<Map<string, VariantCost>> {
  const { spec, log, signal } = options;
  const chosen = await chooseMethod(spec);
  log.info(`cost: counting instructions per request with ${chosen.method} (${chosen.tool})`);
  const running: Running[] = [];
  // Entries whose start failed carry no cost yet.
  const done = () =>
    new Map(running.filter((r) => r.cost).map((r) => [r.input.variantId, finish(r)] as const));
  const batchTimeout = Math.max(
    30_000,
    (Math.max(spec.requests, spec.warmupRequests) / MIN_RATE_PER_S) * 1000,
  );
  // Exactly `count` answers, or exit 3 naming the variant, its components and what to check.
  const send = async (entry: Running, what: string, count: number) => {
    try {
      return await unlessDied(
        entry,
        what,
        sendBatch(entry.url, options.request, count, {
          connections: spec.connections,
          timeoutMs: batchTimeout,
          signal,
        }),
      );
    } catch (error) {
      if (!(error instanceof BatchIncomplete) || signal.aborted) throw error;
      throw new SetupError(
        `cost: ${what} of ${entry.input.variantId} (${entry.components.join(', ')}) did not complete: ${errorMessage(error)}; check that the application answers every request with a 2xx/3xx through the proxy, or lower cost.requests`,
      );
    }
  };
  try {
    for (const input of variants) {
      signal.throwIfAborted();
      const started = performance.now();
      const plane = input.mesh.name === 'none' ? undefined : localDataPlane(input.mesh.name);
      if (!plane && !input.workload) continue;
      const outDir = await mkdtemp(join(options.workDir, `cost-${input.mesh.id}-`));
      // perf runs the proxy as is, but as one process too: `perf stat -p` counts the pid it is given.
      const wrap: Wrap =
        chosen.method === 'callgrind'
          ? (program, args) => callgrindCommand(outDir, program, args)
          : (program, args) => [program, [...args]];
      // Stopped with the rest (finally below) even when what follows fails.
      const stops: (() => Promise<void>)[] = [];
      running.push({
        input,
        stop: () => Promise.allSettled(stops.map((stop) => stop())).then(() => undefined),
      } as Running);
      const workload = input.workload ? await input.workload.start(wrap) : undefined;
      if (workload) stops.push(() => workload.stop());
      const chain = plane
        ? ((await plane.start(
            workload?.url ?? input.appUrl,
            { ...input.mesh, concurrency: 1 },
            { log, workDir: options.workDir, counting: { wrap } },
          )) as ProxyChain)
        : undefined;
      if (chain) stops.unshift(() => chain.stop());
      // Components in the order a request meets them: the entry hop first, the workload last.
      const counted = [
        ...(chain?.hops ?? []).map((hop) => ({ name: `${input.mesh.name} ${hop.role}`, pid: hop.proc.pid })),
        ...(workload ? [{ name: `workload (${input.workload!.label})`, pid: workload.pid }] : []),
      ];
      const components = counted.map((c) => c.name);
      const entry: Running = {
        input,
        url: chain?.url ?? workload!.url,
        died: Promise.race([
          chain?.died ?? new Promise<string>(() => undefined),
          workload?.died ?? new Promise<string>(() => undefined),
        ]),
        stop: running[running.length - 1].stop,
        components,
        counters: counted.map((c) =>
          chosen.method === 'callgrind' ? new CallgrindProcess(c.pid, outDir) : new PerfProcess(c.pid),
        ),
        cost: {
          method: chosen.method,
          tool: chosen.tool,
          components,
          idle: { windowMs: MIN_IDLE_MS, instructions: counted.map(() => 0) },
          batches: [],
          wallS: 0,
        },
        functions: counted.map(() => new Map()),
        busyMs: 0,
      };
      running[running.length - 1] = entry;
      // Warm-up, uninstrumented: start-up, lazy binding and the first upstream connections stay out.
      const warm = await send(entry, 'warm-up', spec.warmupRequests);
      for (const counter of entry.counters)
        await unlessDied(entry, 'instrumentation on', counter.instrumentationOn());
      // Idle: a window as long as a batch (warm-up rate, but instrumented nginx is ~the same) with no requests.
      const windowMs = Math.max(MIN_IDLE_MS, (warm.durationMs / spec.warmupRequests) * spec.requests);
      for (const counter of entry.counters) await counter.zero();
      await sleep(windowMs, undefined, { signal });
      const idle: number[] = [];
      for (const counter of entry.counters)
        idle.push((await unlessDied(entry, 'idle window', counter.dump())).totals);
      entry.cost.idle = { windowMs: Math.round(windowMs), instructions: idle };
      entry.busyMs += performance.now() - started;
      log.info(
        `cost: ${input.variantId} ready under ${chosen.method} in ${((performance.now() - started) / 1000).toFixed(1)} s; idle ${idle.join(' + ')} instructions per ${Math.round(windowMs)} ms`,
      );
    }
    let sequence = 0;
    for (let batch = 0; batch < spec.batches; batch++) {
      const order = batch % 2 === 0 ? running : [...running].reverse();
      for (const entry of order) {
        signal.throwIfAborted();
        const started = performance.now();
        const what = `batch ${batch + 1} of ${spec.batches}`;
        for (const counter of entry.counters) await unlessDied(entry, what, counter.zero());
        const sent = await send(entry, what, spec.requests);
        const counts: number[] = [];
        for (const [i, counter] of entry.counters.entries()) {
          const dump = await unlessDied(entry, what, counter.dump());
          counts.push(dump.totals);
          for (const [name, self] of dump.selfByFunction)
            entry.functions[i].set(name, (entry.functions[i].get(name) ?? 0) + self);
        }
        entry.cost.batches.push({
          sequence: sequence++,
          requests: sent.requests,
          durationMs: Math.round(sent.durationMs),
          instructions: counts,
        });
        entry.busyMs += performance.now() - started;
        log.debug(
          `cost: ${entry.input.variantId} ${what}: ${counts.map((c) => Math.round(c / sent.requests)).join(' + ')} instructions per request`,
        );
      }
    }
    return done();
  } catch (error) {
    keepPartialCost(error, done());
    throw error;
  } finally {
    await Promise.allSettled(running.map((r) => r.stop()));
  }
}
