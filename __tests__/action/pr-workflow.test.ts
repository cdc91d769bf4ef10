/**
 * The canonical PR workflow (docs/workflows/meshgate.yml) run locally: its checkout, its build
 * step and its meshgate step, in a scratch git repository whose base branch moved on after the PR
 * branched off, so that the merge base, the base branch's tip and the PR's head are three different
 * builds. README.md and docs/pr-workflow.md must show the same steps.
 *
 * What only GitHub can exercise: actions/checkout itself (here: a clone and a detached checkout of
 * the evaluated `ref`, which is what checkout does with fetch-depth 0), the event payloads (here:
 * the fields the workflow reads), the action's baseline artifact and comment (here: `meshgate run`
 * on the same profile, the pipeline the action calls).
 */
// requires: git
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { bundleCli, runBounded, type BundledCli } from '../helpers/cli-bundle.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[] }>;
}

const canonical = parse(readFileSync('docs/workflows/meshgate.yml', 'utf8')) as Workflow;
const steps = Object.values(canonical.jobs)[0].steps;
const checkoutStep = steps.find((s) => s.uses?.startsWith('actions/checkout@'))!;
const buildStep = steps.find((s) => s.run?.includes('git merge-base'))!;
const meshgateStep = steps.find((s) => s.uses?.startsWith('meshgate/meshgate@'))!;

/** `${{ a || b || 'literal' }}` over the github context: the only expression form these steps use. */
function evaluate(text: string, github: Record<string, unknown>): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, body: string) => {
    for (const term of body.split('||').map((t) => t.trim())) {
      const literal = /^'([^']*)'$/.exec(term);
      if (literal) return literal[1];
      if (!/^github(\.[\w-]+)+$/.test(term)) throw new Error(`unsupported expression term ${term}`);
      const value = term
        .split('.')
        .slice(1)
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], github);
      if (value) return String(value);
    }
    return '';
  });
}

let cli: BundledCli;
let scratch: string;
let repo: ReturnType<typeof origin>;
beforeAll(async () => {
  cli = await bundleCli(['load-worker']);
  scratch = mkdtempSync(join(tmpdir(), 'meshgate-pr-workflow-'));
  repo = origin();
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

// A real service: a Node HTTP server that says which commit it was built from; `make build`
// writes it to bin/server, as the workflow's build step expects.
const server = (build: string) => `#!/usr/bin/env node
import { createServer } from 'node:http';
const [host, port] = process.argv[process.argv.indexOf('--listen') + 1].split(':');
createServer((req, res) => res.end('${build}')).listen(Number(port), host);
`;

/**
 * origin: main has `merge-base`, then `main-later` (pushed after the PR branched off); branch
 * `change` has `merge-base`, then `pr-head`. Returns the shas.
 */
function origin() {
  const bare = join(scratch, 'origin.git');
  const dev = join(scratch, 'dev');
  git(scratch, 'init', '-q', '--bare', '-b', 'main', bare);
  git(scratch, 'init', '-q', '-b', 'main', dev);
  git(dev, 'remote', 'add', 'origin', bare);
  mkdirSync(join(dev, '.github/meshgate'), { recursive: true });
  // The shipped profile, as the README says to copy it, with a short load: this test is about the
  // workflow's steps and paths, not the gate.
  const profile = parse(readFileSync('profiles/pr-p99.yaml', 'utf8'));
  profile.load = { rps: 100, connections: 4, duration: '1s', warmup: '200ms' };
  profile.trials = 2;
  profile.max_trials = 2;
  writeFileSync(join(dev, '.github/meshgate/pr-p99.yaml'), stringify(profile));
  writeFileSync(
    join(dev, 'Makefile'),
    'build:\n\tmkdir -p bin && cp server.mjs bin/server && chmod +x bin/server\n',
  );
  const commit = (build: string) => {
    writeFileSync(join(dev, 'server.mjs'), server(build));
    git(dev, 'add', '.');
    git(dev, 'commit', '-qm', build);
    return git(dev, 'rev-parse', 'HEAD');
  };
  const mergeBase = commit('merge-base');
  git(dev, 'checkout', '-q', '-b', 'change');
  const prHead = commit('pr-head');
  git(dev, 'checkout', '-q', 'main');
  const mainLater = commit('main-later');
  git(dev, 'push', '-q', 'origin', 'main', 'change');
  return { bare, mergeBase, prHead, mainLater };
}

let runs = 0;
/** The workflow's checkout and build steps for one event; returns the workspace. */
function checkoutAndBuild(bare: string, github: Record<string, unknown>): string {
  const workspace = join(scratch, `run-${++runs}`, 'workspace');
  mkdirSync(join(workspace, '..'), { recursive: true });
  expect(checkoutStep.with?.['fetch-depth']).toBe(0);
  git(scratch, 'clone', '-q', '--no-checkout', bare, workspace);
  git(
    workspace,
    'checkout',
    '-q',
    '--detach',
    evaluate(String(checkoutStep.with?.ref ?? '${{ github.sha }}'), github),
  );
  const env = Object.fromEntries(
    Object.entries(buildStep.env ?? {}).map(([k, v]) => [k, evaluate(v, github)]),
  );
  // As GitHub runs a `run:` step: bash -e, in the workspace.
  const built = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', buildStep.run!], {
    cwd: workspace,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(built.stderr).not.toMatch(/fatal|error/i);
  expect(built.status).toBe(0);
  return workspace;
}

const builtFrom = (workspace: string, side: 'base' | 'head') =>
  /res\.end\('([^']+)'\)/.exec(readFileSync(join(workspace, side, 'bin/server'), 'utf8'))?.[1];

describe('docs/workflows/meshgate.yml, run locally', () => {
  test('a pull request: the merge base is built as base, the PR head as head, and meshgate measures both', async () => {
    const { bare, mergeBase, prHead, mainLater } = repo;
    const workspace = checkoutAndBuild(bare, {
      event_name: 'pull_request',
      sha: 'f'.repeat(40), // GitHub's test merge commit: not in this repository, and not to be built
      base_ref: 'main',
      event: { pull_request: { head: { sha: prHead }, base: { sha: mainLater } } },
    });
    expect(git(workspace, 'rev-parse', 'HEAD')).toBe(prHead);
    expect(builtFrom(workspace, 'base')).toBe('merge-base');
    expect(builtFrom(workspace, 'head')).toBe('pr-head');
    expect(mergeBase).not.toBe(mainLater);

    // The action's step: its profile, resolved against the workspace, as `meshgate run` does.
    const profile = String(meshgateStep.with?.profile);
    const validate = await runBounded(cli.script, ['validate', profile], {
      cwd: workspace,
      timeoutMs: 60_000,
    });
    expect(validate.code).toBe(0);
    const run = await runBounded(cli.script, ['run', profile, '--out', 'results.json'], {
      cwd: workspace,
      timeoutMs: 120_000,
    });
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(run.code).toBe(0);
    const results = JSON.parse(readFileSync(join(workspace, 'results.json'), 'utf8'));
    expect(results.variants.map((v: { id: string }) => v.id).sort()).toEqual(['base/none', 'head/none']);
    for (const variant of results.variants) {
      expect(variant.trials.length).toBe(2);
      for (const trial of variant.trials) expect(trial.requests).toBeGreaterThan(50); // 100 rps for 1 s
    }
  }, 240_000);

  test('a push to main: base and head are the pushed commit (an A/A run that records the baseline)', () => {
    const { bare, mainLater } = repo;
    const workspace = checkoutAndBuild(bare, {
      event_name: 'push',
      sha: mainLater,
      ref: 'refs/heads/main',
      event: { before: repo.mergeBase },
    });
    expect(git(workspace, 'rev-parse', 'HEAD')).toBe(mainLater);
    expect(builtFrom(workspace, 'base')).toBe('main-later');
    expect(builtFrom(workspace, 'head')).toBe('main-later');
    // The action saves the baseline on pushes to the default branch (save-baseline: auto).
    expect(meshgateStep.with?.['save-baseline'] ?? 'auto').toBe('auto');
    expect((canonical.on as { push: { branches: string[] } }).push.branches).toEqual(['main']);
  });
});

describe('README.md and docs/pr-workflow.md show the same workflow', () => {
  const shown = (file: string) => {
    const block = /```yaml\n(name: meshgate\n[\s\S]*?)```/.exec(readFileSync(file, 'utf8'));
    expect(block).not.toBeNull();
    const workflow = parse(block![1]) as Workflow;
    return Object.values(workflow.jobs)[0].steps;
  };
  test.each(['README.md', 'docs/pr-workflow.md'])('%s', (file) => {
    const their = shown(file);
    const pick = (s: Step[]) => ({
      checkout: s.find((x) => x.uses?.startsWith('actions/checkout@')),
      build: (({ run, env }) => ({ run, env }))(s.find((x) => x.run?.includes('git merge-base')) ?? {}),
      meshgate: s.find((x) => x.uses?.startsWith('meshgate/meshgate@'))?.with?.profile,
    });
    expect(pick(their)).toEqual(pick(steps));
  });
});
