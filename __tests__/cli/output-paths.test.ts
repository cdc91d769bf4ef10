// Output paths through the real CLI (bundled once, see helpers/cli-bundle.ts): a bad --out is
// refused before any load (exit 2, one line, no stack), a missing folder is created, trials are
// written one by one (a SIGKILL between trials keeps the finished ones), and a full disk (a 16 KiB
// tmpfs, mounted when this runs as root; skipped with the reason otherwise) is exit 3 saying so,
// with the last whole results.json in place and no temporary file left.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeResults } from '../__fixtures__/results.js';
import { parseResults } from '../../src/results/io.js';
import { bundleCli, type BundledCli } from '../helpers/cli-bundle.js';

let dir: string;
let cli: BundledCli;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-outputs-'));
  cli = await bundleCli(['load-worker', 'sample-server']);
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
  await rm(dir, { recursive: true, force: true });
});

// Four 1 s trials of the sample server: the load starts about a second after meshgate does.
const profileText = `name: outputs
workload: { sample: echo }
load: { rps: 100, connections: 2, duration: 1s, warmup: 0s, timeout: 300ms }
trials: 4
max_trials: 4
`;

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

let counter = 0;
async function start(args: string[], options: { profile?: string } = {}): Promise<Run & { caseDir: string }> {
  const caseDir = join(dir, String(counter++));
  await mkdir(caseDir, { recursive: true });
  const profile = join(caseDir, 'profile.yaml');
  await writeFile(profile, options.profile ?? profileText);
  const started = Date.now();
  const child = spawn(process.execPath, [cli.script, ...args.map((a) => a.replace('PROFILE', profile))], {
    cwd: caseDir,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - started })),
  );
  return { child, stderr: () => stderr, exited, caseDir };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const trialsIn = async (file: string) => {
  const results = parseResults(await readFile(file, 'utf8'), file);
  return {
    trials: results.variants.reduce((sum, v) => sum + v.trials.length, 0),
    incomplete: results.incomplete !== undefined,
  };
};
const leftovers = (folder: string) => readdirSync(folder).filter((name) => /\.(tmp|probe)$/.test(name));

describe('meshgate run --out', () => {
  test.each<[string, (caseDir: string) => Promise<string>, RegExp]>([
    ['a directory', async (caseDir) => caseDir, /--out: cannot write .*: it is a directory/],
    [
      'under /proc',
      async () => '/proc/self/nope/results.json',
      /--out: cannot write \/proc\/self\/nope\/results\.json: its directory .* cannot be created/,
    ],
    [
      'under a file',
      async (caseDir) => {
        await writeFile(join(caseDir, 'plain'), 'x');
        return join(caseDir, 'plain', 'results.json');
      },
      /--out: cannot write .*\/plain\/results\.json: a part of the path is not a directory/,
    ],
    [
      'a character device',
      async () => '/dev/null',
      /--out: cannot write \/dev\/null: it exists and is not a regular file/,
    ],
  ])(
    '%s: exit 2 before any load, one line, no stack',
    async (_, path, expected) => {
      const caseDir = join(dir, `bad-${counter++}`);
      await mkdir(caseDir, { recursive: true });
      const run = await start(['run', 'PROFILE', '--out', await path(caseDir)]);
      const { code, ms } = await run.exited;
      expect({ code, stderr: run.stderr() }).toMatchObject({ code: 2 });
      expect(run.stderr().trim().split('\n')).toHaveLength(1);
      expect(run.stderr()).toMatch(expected);
      expect(run.stderr()).not.toMatch(/\n\s+at |unexpected error|trial 1\//);
      // Refused before the sample server started (a trial would take more than 1 s).
      expect(ms).toBeLessThan(5_000);
    },
    30_000,
  );

  test('a folder that does not exist is created', async () => {
    const run = await start(['run', 'PROFILE', '--out', 'new/folder/results.json']);
    expect((await run.exited).code).toBe(0);
    expect(await trialsIn(join(run.caseDir, 'new/folder/results.json'))).toEqual({
      trials: 4,
      incomplete: false,
    });
    expect(leftovers(join(run.caseDir, 'new/folder'))).toEqual([]);
  }, 60_000);

  test('SIGKILL between trials: the finished trials are in results.json, marked incomplete', async () => {
    const run = await start(['run', 'PROFILE', '--out', 'results.json']);
    await until('trial 3', () => run.stderr().includes('trial 3/'));
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await trialsIn(join(run.caseDir, 'results.json'))).toEqual({ trials: 2, incomplete: true });
    expect(leftovers(run.caseDir)).toEqual([]);
  }, 60_000);
});

describe('the other commands check their outputs before reading', () => {
  test.each<[string, string[], RegExp]>([
    ['check --json', ['check', 'RESULTS', '--json', 'DIR'], /--json: cannot write .*: it is a directory/],
    ['check --markdown', ['check', 'RESULTS', '--markdown', '/proc/self/x/c.md'], /--markdown: cannot write/],
    ['report --html', ['report', 'RESULTS', '--html', 'DIR'], /--html: cannot write .*: it is a directory/],
    [
      'export --smp',
      ['export', 'RESULTS', '--smp', '/dev/null'],
      /--smp: cannot write \/dev\/null: it exists and is not a regular file/,
    ],
    [
      'trend --json',
      ['trend', 'RESULTS', 'RESULTS', '--json', 'DIR'],
      /--json: cannot write .*: it is a directory/,
    ],
  ])(
    '%s: exit 2, one line',
    async (_, args, expected) => {
      const caseDir = join(dir, `cmd-${counter++}`);
      await mkdir(caseDir, { recursive: true });
      // RESULTS is a FIFO nobody writes: reading it first would hang, so the check comes first.
      const fifo = join(caseDir, 'results.fifo');
      execFileSync('mkfifo', [fifo]);
      const run = await start(args.map((a) => (a === 'RESULTS' ? fifo : a === 'DIR' ? caseDir : a)));
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
      const { code, ms } = await run.exited;
      clearTimeout(timer);
      expect({ code, stderr: run.stderr() }).toMatchObject({ code: 2 });
      expect(run.stderr().trim().split('\n')).toHaveLength(1);
      expect(run.stderr()).toMatch(expected);
      expect(ms).toBeLessThan(5_000);
    },
    30_000,
  );

  test('check writes its verdict atomically where asked, creating the folder', async () => {
    const caseDir = join(dir, `cmd-${counter++}`);
    await mkdir(caseDir, { recursive: true });
    const results = join(caseDir, 'results.json');
    await writeFile(
      results,
      JSON.stringify(
        makeResults({
          variants: { 'base/none': { p99Ms: [10, 11, 10, 11] }, 'head/none': { p99Ms: [10, 11, 10, 11] } },
        }),
      ),
    );
    const run = await start(['check', results, '--json', 'out/verdict.json', '--markdown', 'out/comment.md']);
    expect((await run.exited).code).not.toBe(2);
    expect(JSON.parse(await readFile(join(run.caseDir, 'out/verdict.json'), 'utf8')).verdict).toBeDefined();
    expect(existsSync(join(run.caseDir, 'out/comment.md'))).toBe(true);
    expect(leftovers(join(run.caseDir, 'out'))).toEqual([]);
  }, 30_000);
});

/** A 16 KiB tmpfs, or the reason there is none. */
function mountTiny(at: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: cannot mount a tmpfs';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', at], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `mount failed: ${String(error).split('\n')[0]}`;
  }
}

describe('a full disk', () => {
  let tiny: string;
  let skipped: string | undefined;
  beforeAll(async () => {
    tiny = join(dir, 'tiny');
    await mkdir(tiny, { recursive: true });
    skipped = mountTiny(tiny);
    if (skipped) console.warn(`full-disk test skipped: ${skipped}`);
  });
  afterAll(() => {
    if (!skipped) execFileSync('umount', [tiny]);
  });

  test('exit 3 naming the full disk, no stack, the last whole results.json kept, no temporary file', async () => {
    if (skipped) return;
    // Each trial adds its interval histograms (several KiB): results.json and its replacement
    // (about 2.5 KiB a trial) outgrow 16 KiB within the run.
    const run = await start(['run', 'PROFILE', '--out', join(tiny, 'results.json')], {
      profile: profileText.replace('trials: 4\nmax_trials: 4', 'trials: 8\nmax_trials: 8'),
    });
    const { code } = await run.exited;
    expect({ code, stderr: run.stderr().slice(-600) }).toMatchObject({ code: 3 });
    expect(run.stderr()).toMatch(
      /cannot write .*results\.json .*: no space left on the device \(the disk is full\)/,
    );
    expect(run.stderr()).not.toMatch(/\n\s+at |unexpected error/);
    const kept = await trialsIn(join(tiny, 'results.json'));
    expect(kept.trials).toBeGreaterThanOrEqual(1);
    expect(kept.trials).toBeLessThan(8);
    expect(kept.incomplete).toBe(true);
    expect(leftovers(tiny)).toEqual([]);
  }, 120_000);
});
