/** Shared pieces of the action tests: a tiny profile, fake verdicts, settings, deps on the stand-in. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionDeps, JudgeFn } from '../../src/action/deps.js';
import type { Settings } from '../../src/action/inputs.js';
import type { RunContext } from '../../src/github/context.js';
import { loadProfile } from '../../src/profile/load.js';
import { VERDICT_SCHEMA, type OverallVerdict, type Verdict } from '../../src/verdict/schema.js';
import { memoryLogger } from '../../src/util/log.js';
import { fixtureResults } from '../baseline/fixture-results.js';

export const PROFILE_YAML = `name: echo-p99
platform: local
workload: { sample: echo }
mesh: [none, nginx]
load: { rps: 100, connections: 2, duration: 1s, warmup: 0s }
trials: 2
`;

export async function workspace(): Promise<{ directory: string; profilePath: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'meshgate-action-'));
  const profilePath = join(directory, 'profile.yaml');
  await writeFile(profilePath, PROFILE_YAML);
  return { directory, profilePath };
}

export function fakeVerdict(verdict: OverallVerdict, overheadChange = 0.3): Verdict {
  const check = {
    id: 'overhead:head/nginx:p99',
    comparison: 'overhead' as const,
    metric: 'p99' as const,
    unit: 'ms' as const,
    variant: 'head/nginx',
    comparedWith: 'head/none',
    baseline: 2,
    current: 2.6,
    change: overheadChange,
    changeLower: 0.2,
    changeUpper: 0.4,
    confidence: 0.95,
    threshold: { kind: 'increase' as const, maxIncrease: 1, minDelta: 1 },
    noise: { baselineCv: 0.01, currentCv: 0.02 },
    pairs: 2,
    gating: true,
    verdict,
    reason: `p99 overhead is ${verdict}`,
    canExtend: false,
  };
  return {
    schema: VERDICT_SCHEMA,
    verdict,
    reason: `p99 overhead of head/nginx: ${verdict}`,
    checks: [check],
    sequential: { look: 1, maxLooks: 1, confidence: 0.95, moreTrialsCouldResolve: false },
    method: { estimator: 'median', interval: 't', rule: 'significant and material' },
    baseline: null,
    notes: [],
  };
}

/** A judge that returns a fixed verdict and records the baselines it was given. */
export function fakeJudge(verdict: OverallVerdict): JudgeFn & { baselines: unknown[] } {
  const baselines: unknown[] = [];
  const fn = ((_results, options) => {
    baselines.push(options.baseline);
    return {
      verdict: fakeVerdict(verdict),
      text: verdict,
    };
  }) as JudgeFn & { baselines: unknown[] };
  fn.baselines = baselines;
  return fn;
}

export function settingsFor(overrides: Partial<Settings> & Pick<Settings, 'resultsDir'>): Settings {
  return {
    mode: 'measure',
    token: 'token-1',
    comment: 'always',
    commentAuthor: 'github-actions[bot]',
    failOnRegression: true,
    failOnInconclusive: false,
    baseline: { kind: 'artifact' },
    saveBaseline: 'auto',
    workingDirectory: overrides.resultsDir,
    cluster: { keepCluster: false, toolVersions: {} },
    history: { enabled: false, branch: 'meshgate-history', keep: 500 },
    ...overrides,
  };
}

export interface TestDeps extends ActionDeps {
  summaries: string[];
  state: Map<string, string>;
  lines: string[];
}

/** Deps with the real client and artifact transport (built by the caller) and a fake measurement. */
export function testDeps(
  parts: Pick<ActionDeps, 'client' | 'transport' | 'judge'> & { context: RunContext },
): TestDeps {
  const log = memoryLogger();
  const summaries: string[] = [];
  const state = new Map<string, string>();
  return {
    ...parts,
    log,
    lines: log.lines,
    signal: new AbortController().signal,
    loadProfile,
    measure: async (profile) => fixtureResults(profile.name),
    writeSummary: async (markdown) => void summaries.push(markdown),
    saveState: (name, value) => void state.set(name, value),
    summaries,
    state,
  };
}
