// The comment's "next steps" are commands people paste (issue #34 item 6). Here they are pasted:
// a scratch git repository with its profile at .github/meshgate/, meshgate run from a subfolder,
// the comment rendered by `check`, and each line of its `sh` block run by a shell at the
// repository's root. `npx meshgate@0` stands for the installed CLI and is replaced by the CLI
// bundled from this checkout (helpers/cli-bundle.ts: `node <bundle>`), the one thing changed in
// the pasted text. Real sample servers and load on loopback; a short profile (3 trials of 0.4 s).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleCli, runBounded, type BundledCli } from '../helpers/cli-bundle.js';

let cli: BundledCli;
let repo: string;
beforeAll(async () => {
  cli = await bundleCli(['load-worker', 'sample-server']);
  repo = await mkdtemp(join(tmpdir(), 'meshgate-paste-'));
  execFileSync('git', ['init', '-q', repo]);
  await mkdir(join(repo, '.github', 'meshgate'), { recursive: true });
  await mkdir(join(repo, 'sub'), { recursive: true });
  await writeFile(
    join(repo, '.github', 'meshgate', 'pr-p99.yaml'),
    `name: pr-p99
workload:
  builds:
    base: { sample: echo, delay: 1ms }
    head: { sample: echo, delay: 1ms }
mesh: [none]
load: { rps: 100, connections: 2, duration: 400ms, warmup: 0s }
trials: 3
max_trials: 3
gate:
  p99: { max_increase: 50% }
`,
  );
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
  if (repo) await rm(repo, { recursive: true, force: true });
});

/** The lines of the comment's first `sh` block. */
function pastedCommands(comment: string): string[] {
  const block = /```sh\n([\s\S]*?)\n```/.exec(comment);
  if (!block) throw new Error(`no sh block in the comment:\n${comment}`);
  return block[1].split('\n').filter(Boolean);
}

/** Each line through `sh -c` at the repository root, `npx meshgate@0` standing for the bundle. */
function paste(lines: string[]): Array<{ line: string; status: number | null; stderr: string }> {
  return lines.map((line) => {
    expect(line).toMatch(/^npx meshgate@0 /);
    const command = line.replace(
      /^npx meshgate@0 /,
      `${JSON.stringify(process.execPath)} ${JSON.stringify(cli.script)} `,
    );
    const result = spawnSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
    return { line, status: result.status, stderr: result.stderr };
  });
}

test('a run’s next steps run its profile, by its path from the repository root, and check it', async () => {
  const sub = join(repo, 'sub');
  const run = await runBounded(
    cli.script,
    ['run', '../.github/meshgate/pr-p99.yaml', '--out', 'results.json'],
    {
      cwd: sub,
      timeoutMs: 120_000,
    },
  );
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code).toBe(0);
  const check = await runBounded(cli.script, ['check', 'results.json', '--markdown', 'comment.md'], {
    cwd: sub,
  });
  expect([0, 1]).toContain(check.code);
  const lines = pastedCommands(await readFile(join(sub, 'comment.md'), 'utf8'));
  expect(lines[0]).toBe('npx meshgate@0 run .github/meshgate/pr-p99.yaml --out results.json');
  for (const pasted of paste(lines))
    expect({ line: pasted.line, status: [0, 1].includes(pasted.status!) }).toEqual({
      line: pasted.line,
      status: true,
    });
  // The pasted run wrote the results the pasted check judged, at the root.
  expect(JSON.parse(await readFile(join(repo, 'results.json'), 'utf8')).origin).toEqual({
    profile: '.github/meshgate/pr-p99.yaml',
  });
}, 240_000);

test('an imported result’s next steps repeat the import, not a run', async () => {
  const fixtures = resolve('__tests__/__fixtures__/external');
  await mkdir(join(repo, 'runs'), { recursive: true });
  for (const side of ['base', 'head'])
    for (const n of [1, 2, 3])
      await copyFile(join(fixtures, 'fortio/http-post-result.json'), join(repo, 'runs', `${side}-${n}.json`));
  const sub = join(repo, 'sub');
  const files = [1, 2, 3].flatMap((n) => [`../runs/base-${n}.json`, `../runs/head-${n}.json`]);
  const variants = [1, 2, 3].flatMap(() => ['--variant', 'base/none', '--variant', 'head/none']);
  const imported = await runBounded(cli.script, ['import', ...files, ...variants, '--out', 'imported.json'], {
    cwd: sub,
  });
  expect(imported.code).toBe(0);
  const check = await runBounded(cli.script, ['check', 'imported.json', '--markdown', 'imported.md'], {
    cwd: sub,
  });
  expect([0, 1]).toContain(check.code);
  const lines = pastedCommands(await readFile(join(sub, 'imported.md'), 'utf8'));
  expect(lines[0]).toMatch(
    /^npx meshgate@0 import runs\/base-1\.json runs\/head-1\.json .*--out results\.json$/,
  );
  for (const pasted of paste(lines))
    expect({ line: pasted.line, status: [0, 1].includes(pasted.status!) }).toEqual({
      line: pasted.line,
      status: true,
    });
}, 120_000);

test('the demo writes the profile it ran, and its next steps run that file', async () => {
  // Three trials per build (the fewest that draw no warning; its sequential design may add some).
  const demo = await runBounded(cli.script, ['demo', '--trials', '3', '--out', 'demo-out'], {
    cwd: repo,
    timeoutMs: 180_000,
  });
  expect(demo.code).toBe(0);
  const lines = pastedCommands(await readFile(join(repo, 'demo-out', 'comment.md'), 'utf8'));
  expect(lines[0]).toBe('npx meshgate@0 run demo-out/profile.yaml --out results.json');
  const validate = paste(['npx meshgate@0 validate demo-out/profile.yaml'])[0];
  expect(validate.status).toBe(0);
  expect(validate.stderr).toBe('');
}, 240_000);
