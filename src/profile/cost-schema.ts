/**
 * `cost` (instructions per request of the local data plane, counted, not timed) and its gate
 * threshold, in the form users write:
 *
 *   cost:
 *     method: callgrind        # or perf (a hardware counter), or auto (perf where it counts)
 *     requests: 1000           # per counted batch
 *     batches: 5               # per variant, interleaved base/head
 *     warmup_requests: 300     # before instrumentation is switched on
 *   gate:
 *     cost: { max_increase: 2% }   # head vs base, on the batches' own spread
 */
import { z } from 'zod';
import { fraction } from './field-schemas.js';
import type { CostSpec } from './types.js';

/** Bounds a CI job can afford under Callgrind (~2,000 requests/s through nginx). */
export const COST_LIMITS = { maxRequests: 100_000, maxBatches: 100, maxWarmup: 100_000 };

const whole = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .int({ error: `expected ${what} from ${min} to ${max}` })
    .min(min, { error: `expected ${what} from ${min} to ${max}` })
    .max(max, { error: `expected ${what} from ${min} to ${max}` });

export const costSchema = z
  .strictObject({
    method: z
      .enum(['callgrind', 'perf', 'auto'], { error: 'expected callgrind, perf or auto' })
      .default('callgrind'),
    requests: whole(10, COST_LIMITS.maxRequests, 'a whole number of requests per batch').default(1000),
    batches: whole(2, COST_LIMITS.maxBatches, 'a whole number of batches per variant').default(5),
    warmup_requests: whole(1, COST_LIMITS.maxWarmup, 'a whole number of warm-up requests').default(300),
    connections: whole(1, 16, 'a whole number of connections').default(2),
    /** Count the application build too (a native command build; a JIT runtime is refused). */
    workload: z.boolean({ error: 'expected true or false' }).default(false),
  })
  .transform((c): CostSpec => ({
    method: c.method,
    requests: c.requests,
    batches: c.batches,
    warmupRequests: c.warmup_requests,
    connections: c.connections,
    workload: c.workload,
  }));

export const costGateSchema = z
  .strictObject({ max_increase: fraction })
  .transform((c) => ({ maxIncrease: c.max_increase }));

/**
 * Runtimes whose instruction count depends on when their JIT compiles (warm-up, tiering, GC),
 * not on the change: counted, they would be measured badly, so they are refused with the reason.
 */
const JIT_RUNTIMES =
  /^(node|nodejs|deno|bun|java|javaw|dotnet|mono|pypy3?|luajit|php-fpm|ruby|jruby|erl|beam\.smp)(\d[\d.]*)?$/;

/** The program of a command, without its folder. */
const programOf = (command: unknown): string | undefined =>
  Array.isArray(command) && typeof command[0] === 'string' ? command[0].split('/').pop() : undefined;

/**
 * cost.workload needs every build to be a command this machine runs (the sample server is Node, a
 * URL is not ours to run) whose program is no JIT runtime. [path, message] per problem.
 */
export function costWorkloadProblems(p: {
  cost?: CostSpec;
  workload: {
    builds?: Record<string, unknown>;
    command?: unknown;
    sample?: unknown;
    url?: unknown;
    image?: unknown;
  };
}): [(string | number)[], string][] {
  if (!p.cost?.workload) return [];
  const builds: [(string | number)[], Record<string, unknown>][] = p.workload.builds
    ? Object.entries(p.workload.builds).map(([name, build]) => [
        ['workload', 'builds', name],
        (build ?? {}) as Record<string, unknown>,
      ])
    : [[['workload'], p.workload as Record<string, unknown>]];
  const problems: [(string | number)[], string][] = [];
  for (const [path, build] of builds) {
    // Normalised builds carry kind/command; the input form carries command/sample/url/image.
    const command = build.command;
    const program = programOf(command);
    if (!program) {
      problems.push([
        ['cost', 'workload'],
        `counts a command build the machine runs natively; ${path.join('.')} is ${build.kind === 'sample' || build.sample !== undefined ? 'the sample server (Node, a JIT runtime)' : 'not a command'}: count the data plane only (remove cost.workload)`,
      ]);
      continue;
    }
    if (JIT_RUNTIMES.test(program))
      problems.push([
        [...path, 'command'],
        `cost.workload: ${program} is a JIT runtime: its instruction count depends on when the JIT compiles, not on the change, so it is not counted; count the data plane only (remove cost.workload), or build a native binary`,
      ]);
  }
  return problems;
}
