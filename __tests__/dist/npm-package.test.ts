/**
 * The CLI as an npm package: `npm pack` of the committed dist/, installed from the tarball into a
 * scratch folder outside any checkout (no network: the package has no dependencies), and run from
 * there as a user would after `npm install meshgate` — `--version`, `init --dry-run`, `demo`,
 * `validate` on a shipped profile and `check` on the demo's results. What the tarball holds is the package.json `files`
 * whitelist: the bundles the CLI starts, the profiles, the docs a package page shows.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

const repo = resolve('.');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
let scratch: string;
let tarball: string;
let files: string[];

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    // A scratch cache: nothing from this machine's npm cache can stand in for a missing file.
    env: {
      ...process.env,
      npm_config_cache: join(scratch, '.npm-cache'),
      npm_config_update_notifier: 'false',
    },
  });

/** `meshgate …` as the shell finds it after the install: node_modules/.bin on PATH. */
const meshgate = (args: string[], timeout = 60_000) =>
  spawnSync('meshgate', args, {
    cwd: join(scratch, 'project'),
    encoding: 'utf8',
    timeout,
    env: {
      PATH: `${join(scratch, 'project', 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
      HOME: scratch,
    },
  });

beforeAll(() => {
  if (!existsSync(join(repo, 'dist', 'cli', 'index.js')))
    throw new Error('dist/ is missing: run npm run package');
  scratch = mkdtempSync(join(tmpdir(), 'meshgate-npm-'));
  const packed = npm(['pack', '--json', '--pack-destination', scratch], repo);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(scratch, info.filename);
  files = info.files.map((f) => f.path);
  // An empty project of the user's, in a folder that is no git checkout and has no node_modules above it.
  const project = join(scratch, 'project');
  spawnSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), '{ "name": "scratch-project", "private": true }\n');
  const installed = npm(
    ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball],
    project,
  );
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
  // No EBADENGINE or other warning for a user on this Node.
  if (/EBADENGINE/.test(installed.stderr)) throw new Error(`install warned: ${installed.stderr}`);
}, 180_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm package', () => {
  test('the tarball holds the whitelist: CLI bundles, profiles, docs; no sources, tests or action bundles', () => {
    for (const needed of [
      'dist/cli/index.js',
      'dist/load-worker/index.js',
      'dist/sample-server/index.js',
      'dist/loadgen/index.js',
      'dist/package.json',
      'profiles/smoke.yaml',
      'README.md',
      'LICENSE',
      'package.json',
    ])
      expect(files).toContain(needed);
    expect(
      files.filter((f) =>
        /^(src|__tests__|bench|scripts|docs|node_modules|\.github)\/|^dist\/(main|post)\//.test(f),
      ),
    ).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(join(scratch, 'project', 'node_modules', 'meshgate', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    // The bundles need nothing from npm at run time.
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.private).toBeUndefined();
    expect(existsSync(join(scratch, 'project', 'node_modules', 'meshgate', 'node_modules'))).toBe(false);
  });

  test('meshgate --version', () => {
    const run = meshgate(['--version']);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(pkg.version);
    expect(run.status).toBe(0);
  });

  test('npm install -g (the README\'s "Install the CLI"): `meshgate` on PATH from the global bin folder', () => {
    // A scratch global prefix stands in for the user's; the tarball for the registry's copy.
    const prefix = join(scratch, 'global');
    const installed = npm(
      ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
      scratch,
    );
    expect(installed.status).toBe(0);
    const run = spawnSync('meshgate', ['--version'], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 60_000,
      // Only the global bin folder and node's own: nothing of a checkout can answer.
      env: { PATH: [join(prefix, 'bin'), dirname(process.execPath)].join(delimiter), HOME: scratch },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  test('meshgate validate on a shipped profile', () => {
    const run = meshgate(['validate', 'node_modules/meshgate/profiles/pr-p99.yaml']);
    // Its builds' programs are made by the user's build: validate only says they are not there yet.
    const others = run.stderr
      .split('\n')
      .filter((line) => line && !line.includes('meshgate run will refuse it'));
    expect(others).toEqual([]);
    expect(run.stdout).toMatch(/^name: pr-p99$/m);
    expect(run.status).toBe(0);
  });

  test("meshgate init --dry-run, the README's first step in a repository", () => {
    // Needs a dist/ built from a source that has `init` (npm run package).
    const run = meshgate(['init', '--dry-run', '--platform', 'local', '--branch', 'main']);
    expect(run.stdout).toContain('# --- .github/workflows/meshgate.yml ---');
    expect(run.stdout).toContain('# --- .github/meshgate/pr-p99.yaml ---');
    expect(run.status).toBe(0);
  });

  test('meshgate demo, then check on its results', () => {
    // Two trials per build (~10 s of load) instead of the default six: this test is about the package.
    const demo = meshgate(['demo', '--trials', '2', '--out', 'demo'], 150_000);
    expect(demo.status).toBe(0);
    for (const file of ['results.json', 'verdict.json', 'comment.md', 'report.html'])
      expect(existsSync(join(scratch, 'project', 'demo', file))).toBe(true);
    const check = meshgate([
      'check',
      'demo/results.json',
      '--json',
      'verdict.json',
      '--markdown',
      'comment.md',
    ]);
    // 0 pass or inconclusive, 1 regression: the demo's head build is 15% slower, either is possible in 2 trials.
    expect([0, 1]).toContain(check.status);
    const verdict = JSON.parse(readFileSync(join(scratch, 'project', 'verdict.json'), 'utf8')) as {
      schema: string;
      verdict: string;
    };
    expect(verdict.schema).toBe('meshgate/verdict@1');
    expect(['pass', 'regression', 'inconclusive']).toContain(verdict.verdict);
    expect(readFileSync(join(scratch, 'project', 'comment.md'), 'utf8')).toMatch(/meshgate/);
  }, 200_000);
});
