/**
 * A push run's results and verdict → its history record (pure). The percentiles and ratios are
 * computed by the trend's own `rawValue` and `ratioValue`, so a trend over records and a trend
 * over the same runs' results files see the same numbers (a test checks it).
 */
import type { LatencyMetric } from '../profile/types.js';
import { isCapacityRun } from '../capacity/describe.js';
import type { Results, Variant } from '../results/schema.js';
import { median } from '../stats/descriptive.js';
import type { Verdict } from '../verdict/schema.js';
import { normaliserOf, ratioValue, rawValue } from '../trend/series.js';
import {
  COMMIT_PATTERN,
  HISTORY_RECORD_SCHEMA,
  REPOSITORY_PATTERN,
  type HistoryRecord,
  type RecordRunner,
  type RecordVariant,
} from './record-schema.js';

const METRICS: readonly LatencyMetric[] = ['p50', 'p90', 'p99', 'p999'];

/** Where the run happened, as GitHub's runner tells it (RUNNER_* variables) and the run's ids. */
export interface RunFacts {
  commit: string;
  repository?: string;
  runId?: number;
  runAttempt?: number;
  /** RUNNER_ENVIRONMENT, RUNNER_OS, RUNNER_ARCH. */
  runnerEnvironment?: string;
  runnerOs?: string;
  runnerArch?: string;
}

export function runFactsFromEnv(
  env: NodeJS.ProcessEnv,
  commit: string,
): Omit<RunFacts, 'repository' | 'runId' | 'runAttempt'> & { commit: string } {
  return {
    commit,
    runnerEnvironment: env.RUNNER_ENVIRONMENT,
    runnerOs: env.RUNNER_OS,
    runnerArch: env.RUNNER_ARCH,
  };
}

export function runnerOf(results: Results, facts: RunFacts): RecordRunner {
  const environment = facts.runnerEnvironment;
  return {
    environment: environment === 'github-hosted' || environment === 'self-hosted' ? environment : 'unknown',
    os: (facts.runnerOs ?? process.platform).slice(0, 40),
    arch: (facts.runnerArch ?? process.arch).slice(0, 40),
    cpuModel: results.environment.cpuModel.slice(0, 200),
    cpuCount: results.environment.cpuCount,
    platform: results.environment.platform.slice(0, 40),
  };
}

const medianOf = (values: (number | undefined)[]) => {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return present.length > 0 ? median(present) : undefined;
};

function variantOf(variant: Variant): RecordVariant {
  const levels = METRICS.map((metric) => rawValue(variant, metric));
  return {
    id: variant.id,
    latencyMs: levels.every((v) => v !== undefined)
      ? { p50: levels[0]!, p90: levels[1]!, p99: levels[2]!, p999: levels[3]! }
      : undefined,
    cpuMillicores: medianOf(variant.trials.map((t) => t.resources?.cpuMillicores)),
    memoryMib: medianOf(variant.trials.map((t) => t.resources?.memoryMibMean)),
    capacityRps: variant.capacity ? variant.capacity.lowerRps : undefined,
  };
}

export function buildRecord(results: Results, verdict: Verdict, facts: RunFacts): HistoryRecord {
  if (!COMMIT_PATTERN.test(facts.commit))
    throw new Error(`history: commit ${JSON.stringify(facts.commit)} is not a full SHA`);
  const ratios: HistoryRecord['ratios'] = [];
  for (const variant of results.variants) {
    const to = normaliserOf(variant.id);
    const denominator = to ? results.variants.find((v) => v.id === to) : undefined;
    if (!to || !denominator) continue;
    const entry: HistoryRecord['ratios'][number] = { variant: variant.id, to };
    for (const metric of METRICS) entry[metric] = ratioValue(variant, denominator, metric);
    ratios.push(entry);
  }
  return {
    schema: HISTORY_RECORD_SCHEMA,
    profile: results.profile.name,
    commit: facts.commit,
    createdAt: results.createdAt,
    repository: facts.repository && REPOSITORY_PATTERN.test(facts.repository) ? facts.repository : undefined,
    runId: facts.runId && facts.runId > 0 ? facts.runId : undefined,
    runAttempt: facts.runAttempt && facts.runAttempt > 0 ? facts.runAttempt : undefined,
    runner: runnerOf(results, facts),
    verdict: verdict.verdict,
    capacityRun: isCapacityRun(results),
    variants: results.variants.slice(0, 64).map(variantOf),
    ratios: ratios.slice(0, 64),
  };
}
