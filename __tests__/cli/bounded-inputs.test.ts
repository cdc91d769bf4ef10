// Inputs that cost time or memory, through the real CLI (bundled once): files that never end or
// are not files (a FIFO, /dev/zero) are refused at once in every command that reads one, and the
// profile's values are refused by `validate` where their cost is — after ${VAR} substitution —
// each with exit 2 and one line naming the file, the field and the value, within a heap cap.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeResults } from '../__fixtures__/results.js';
import { bundleCli, type BundledCli } from '../helpers/cli-bundle.js';

const VALID_RESULTS = makeResults({
  variants: { 'base/none': { p99Ms: [10, 11, 10, 11] }, 'head/none': { p99Ms: [10, 11, 10, 11] } },
});

let dir: string;
let cli: BundledCli;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-bounded-'));
  cli = await bundleCli();
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stderr: string;
  ms: number;
}

/** meshgate with a 256 MB heap, killed after `timeoutMs` (a hang fails the test, it does not stall it). */
function meshgate(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 15_000,
): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', cli.script, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

let counter = 0;
async function caseDir(): Promise<string> {
  const path = join(dir, String(counter++));
  await mkdir(path, { recursive: true });
  return path;
}

const expectOneLine = (outcome: Outcome, expected: RegExp) => {
  expect({ code: outcome.code, stderr: outcome.stderr }).toMatchObject({ code: 2 });
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  expect(outcome.stderr).toMatch(expected);
  expect(outcome.stderr).not.toMatch(/\n\s+at |unexpected error/);
};

describe('files that never end, or are not files', () => {
  // Each command, given a FIFO no one writes to (which used to block it past SIGTERM).
  test.each<[string, string[]]>([
    ['validate PROFILE', ['validate', 'FIFO']],
    ['run PROFILE', ['run', 'FIFO']],
    ['check RESULTS', ['check', 'FIFO']],
    ['check --baseline', ['check', 'RESULTS', '--baseline', 'FIFO']],
    ['report RESULTS', ['report', 'FIFO', '--html', 'r.html']],
    ['report --verdict', ['report', 'RESULTS', '--html', 'r.html', '--verdict', 'FIFO']],
    ['export RESULTS', ['export', 'FIFO', '--smp', 's.json']],
    ['import FILE', ['import', 'FIFO', '--out', 'o.json']],
    ['trend FILES', ['trend', 'FIFO', 'FIFO']],
  ])(
    '%s as a FIFO: exit 2 at once naming it',
    async (_, args) => {
      const cwd = await caseDir();
      const fifo = join(cwd, 'input.fifo');
      execFileSync('mkfifo', [fifo]);
      const results = join(cwd, 'results.json');
      await writeFile(results, JSON.stringify(VALID_RESULTS));
      const outcome = await meshgate(
        args.map((a) => (a === 'FIFO' ? fifo : a === 'RESULTS' ? results : a)),
        cwd,
      );
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(/input\.fifo: .*is a FIFO \(named pipe\); only a regular file is read/);
      expect(outcome.stderr).not.toMatch(/\n\s+at |unexpected error/);
      expect(outcome.ms).toBeLessThan(5_000);
    },
    30_000,
  );

  test.each<[string, string, RegExp]>([
    // Outside the profile's folder, so refused before any read (a link inside the folder to it is
    // resolved and refused the same way); devices met elsewhere: system/bounded-read.test.ts.
    [
      'message_file: /dev/zero',
      'message_file: /dev/zero',
      /load\.grpc\.message_file: "\/dev\/zero" is outside the profile's folder/,
    ],
    [
      'message_file: a link to /dev/zero',
      'message_file: zero',
      /load\.grpc\.message_file: "zero" is outside the profile's folder/,
    ],
    ['message_file: a FIFO', 'message_file: input.fifo', /load\.grpc\.message_file: "input\.fifo" is a FIFO/],
    ['message_file: a directory', 'message_file: .', /load\.grpc\.message_file: "\." is a directory/],
    [
      'message_file: 2 MB',
      'message_file: big.bin',
      /load\.grpc\.message_file: 2 MiB, more than a request message may hold \(768 KiB\)/,
    ],
  ])(
    'validate with %s: refused in well under a second',
    async (_, line, expected) => {
      const cwd = await caseDir();
      execFileSync('mkfifo', [join(cwd, 'input.fifo')]);
      await symlink('/dev/zero', join(cwd, 'zero'));
      await writeFile(join(cwd, 'big.bin'), Buffer.alloc(2 * 1024 * 1024));
      await writeFile(
        join(cwd, 'p.yaml'),
        `name: grpc\nworkload: { sample: echo }\nload: { protocol: grpc, grpc: { method: /echo.Echo/Say, ${line} } }\n`,
      );
      const outcome = await meshgate(['validate', 'p.yaml'], cwd);
      expectOneLine(outcome, expected);
      expect(outcome.ms).toBeLessThan(5_000);
    },
    30_000,
  );
});

describe('profile values refused where their cost is', () => {
  const HUNDRED_KB = 'x'.repeat(100_000);
  test.each<[string, string, RegExp]>([
    ['max_trials: 1e12', 'max_trials: 1e12', /max_trials: expected at most 500 trials per variant/],
    ['trials: 1e9', 'trials: 1000000000', /trials: expected at most 500 trials per variant/],
    [
      'response_size: 1e12',
      'workload: { sample: echo, response_size: 1000000000000 }',
      /workload\.response_size: expected at most 16777216 bytes/,
    ],
    [
      'an endless delay',
      'workload: { sample: echo, delay: 1000000h }',
      /workload\.delay: expected a duration of at most 60s/,
    ],
    [
      'sample concurrency 1e9',
      'workload: { sample: echo, delay: 1ms, concurrency: 1000000000 }',
      /workload\.concurrency: expected at most 100000 requests in service at once/,
    ],
    [
      'proxy workers 1e6',
      'mesh: [{ name: nginx, concurrency: 1000000 }]',
      /mesh\[0\]\.concurrency: expected at most 256 proxy workers/,
    ],
    ['generators 1e6', 'load: { generators: 1000000 }', /load\.generators: expected at most 256 generators/],
    [
      'command: [""]',
      'workload: { command: [""] }',
      /workload\.command(\.0)?: the program \(the first element\) is empty/,
    ],
    [
      'an import_results file that does not exist',
      'import_results: [{ file: nope.json, variant: head/none }]',
      /import_results\[0\]\.file: .*nope\.json does not exist/,
    ],
    // 30 uses of a 100 KB variable: 3 MB of strings from a 1 KB file.
    [
      '${VAR} past the size cap',
      `description: "${'${BIG}'.repeat(30)}"`,
      /description: with \$\{BIG\} \(100000 characters\) the environment variables substituted add more than 2097152 characters/,
    ],
  ])(
    '%s: validate exits 2 with one line',
    async (name, yaml, expected) => {
      // (jest passes a callback as the 4th parameter of a 3-column row: the environment is looked up.)
      const env = name.startsWith('${VAR}') ? { BIG: HUNDRED_KB } : {};
      const cwd = await caseDir();
      await writeFile(join(cwd, 'p.yaml'), `name: limits\n${yaml}\n`);
      const outcome = await meshgate(['validate', 'p.yaml'], cwd, env);
      expectOneLine(outcome, expected);
      expect(outcome.stderr).toContain('p.yaml');
    },
    30_000,
  );

  // A profile is often validated before its build exists: validate warns, run refuses before any load.
  test.each<[string, string, RegExp]>([
    [
      'a program that does not exist',
      'no-such-program-meshgate',
      /the head build's command: program "no-such-program-meshgate" is not found on PATH/,
    ],
    [
      'a program path that does not exist',
      './nope/server',
      /the head build's command: program "\.\/nope\/server" is not an executable file/,
    ],
  ])(
    '%s: validate warns (exit 0), run exits 2 with one line before any load',
    async (_name, program, expected) => {
      const cwd = await caseDir();
      await writeFile(join(cwd, 'p.yaml'), `name: limits\nworkload: { command: ["${program}"] }\n`);
      const validated = await meshgate(['validate', 'p.yaml'], cwd, {});
      expect(validated.code).toBe(0);
      expect(validated.stderr).toMatch(expected);
      expect(validated.stderr).toMatch(/meshgate run will refuse it/);
      const run = await meshgate(['run', 'p.yaml', '--out', join(cwd, 'r.json')], cwd, {});
      expectOneLine(run, expected);
    },
    30_000,
  );

  test('a ${VAR} within the cap is still substituted', async () => {
    const cwd = await caseDir();
    await writeFile(join(cwd, 'p.yaml'), `name: limits\ndescription: "${'${BIG}'.repeat(15)}"\n`);
    const outcome = await meshgate(['validate', 'p.yaml'], cwd, { BIG: HUNDRED_KB });
    expect({ code: outcome.code, stderr: outcome.stderr }).toMatchObject({ code: 0 });
  }, 30_000);
});
