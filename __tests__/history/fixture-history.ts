/**
 * A history of push runs on main for the history tests: each run one job on a runner that is
 * uniformly faster or slower (±15% between jobs, log-normal), 4 trials per variant with 3% noise
 * inside the job, the mesh (nginx) costing 1.6× the application, and from run `stepAt` on
 * `1 + stepSize` times that.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunFacts } from '../../src/history/build-record.js';
import type { Results } from '../../src/results/schema.js';
import { createRandom } from '../../src/stats/prng.js';
import { makeResults } from '../__fixtures__/results.js';

export const commitOf = (i: number): string => createHash('sha1').update(`commit ${i}`).digest('hex');

export function runResults(
  i: number,
  options: { stepAt?: number; stepSize?: number; seed?: number; cpuModel?: string } = {},
): Results {
  const random = createRandom((options.seed ?? 7) * 1000 + i);
  const runner = Math.exp(0.15 * random.normal());
  const overhead =
    1.6 * (options.stepAt !== undefined && i >= options.stepAt ? 1 + (options.stepSize ?? 0.15) : 1);
  const trials = (level: number) =>
    Array.from({ length: 4 }, () => level * runner * Math.exp(0.03 * random.normal()));
  const results = makeResults({
    variants: {
      'head/none': { p99Ms: trials(2), resources: [{}, {}, {}, {}] },
      'head/nginx': { p99Ms: trials(2 * overhead), resources: [{ cpuMillicores: 120 }, {}, {}, {}] },
    },
    createdAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
    sha: commitOf(i),
  });
  if (options.cpuModel) results.environment.cpuModel = options.cpuModel;
  return results;
}

export function factsOf(i: number): RunFacts {
  return {
    commit: commitOf(i),
    repository: 'octo-org/widgets',
    runId: 9000 + i,
    runAttempt: 1,
    runnerEnvironment: 'github-hosted',
    runnerOs: 'Linux',
    runnerArch: 'X64',
  };
}

/** A new bare repository: the stand-in for the user's repository on GitHub (real pushes). */
export function bareRemote(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'meshgate-remote-')), 'origin.git');
  execFileSync('git', ['init', '--quiet', '--bare', dir]);
  return dir;
}
