// The hostile corpus (__fixtures__/hostile/corpus.ts) through the real CLI, bundled once (~0.3 s a
// start instead of tsx's ~1.5 s), two rows at a time. Prints its counts: bad inputs that ended
// with a clean exit 2, stack traces, hangs past each row's bound, injections (markers a hostile
// input would have created), peak memory. A row whose program (nginx, haproxy, a C compiler) is
// missing is skipped with the reason printed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import {
  CORPUS,
  fixturePath,
  fixtureText,
  type CorpusFile,
  type CorpusRow,
} from '../__fixtures__/hostile/corpus.js';
import { bundleCli, runBounded, type BoundedRun, type BundledCli } from '../helpers/cli-bundle.js';

const STACK = /\n\s+at |unexpected error|RangeError|TypeError|Maximum call stack/;
const DEFAULT_BOUND_MS = 15_000;

const onPath = (program: string): boolean =>
  [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].some(
    (dir) => dir && existsSync(join(dir, program)),
  );
const AVAILABLE = { nginx: onPath('nginx'), haproxy: onPath('haproxy'), cc: onPath('cc') };

interface Outcome extends BoundedRun {
  killed: boolean;
  caseDir: string;
  outside: string;
  skipped?: string;
}

const fill = (text: string, caseDir: string, outside: string): string =>
  text.replaceAll('@@CASE@@', caseDir).replaceAll('@@OUTSIDE@@', outside);

async function place(
  folder: string,
  files: Record<string, CorpusFile>,
  caseDir: string,
  outside: string,
): Promise<void> {
  for (const [name, file] of Object.entries(files)) {
    const path = join(folder, name);
    await mkdir(dirname(path), { recursive: true });
    if ('fixture' in file) {
      await writeFile(path, fill(fixtureText(file.fixture), caseDir, outside));
      if (file.mode) await chmod(path, file.mode);
    } else if ('content' in file)
      await writeFile(
        path,
        typeof file.content === 'string' ? fill(file.content, caseDir, outside) : file.content,
      );
    else if ('generate' in file) await writeFile(path, file.generate());
    else if ('fifo' in file) execFileSync('mkfifo', [path]);
    else {
      await writeFile(path, '');
      await truncate(path, file.sparseBytes);
    }
  }
}

async function runRow(row: CorpusRow, root: string, index: number, cli: BundledCli): Promise<Outcome> {
  const caseDir = join(root, `${index}`);
  const outside = join(root, `${index}-outside`);
  await mkdir(caseDir, { recursive: true });
  await mkdir(outside, { recursive: true });
  const missing = (row.needs ?? []).filter((program) => !AVAILABLE[program]);
  if (missing.length > 0)
    return {
      code: null,
      stdout: '',
      stderr: '',
      ms: 0,
      killed: false,
      caseDir,
      outside,
      skipped: `${missing.join(', ')} not installed`,
    };
  await place(caseDir, row.files ?? {}, caseDir, outside);
  await place(outside, row.outside ?? {}, caseDir, outside);
  if (row.compile) {
    const defines = Object.entries(row.compile.define).map(
      ([name, value]) => `-D${name}=${fill(value, caseDir, outside)}`,
    );
    const built = spawnSync(
      'cc',
      [
        '-shared',
        '-fPIC',
        ...defines,
        '-o',
        join(caseDir, row.compile.output),
        fixturePath(row.compile.source),
      ],
      { encoding: 'utf8' },
    );
    if (built.status !== 0) throw new Error(`${row.name}: cc failed: ${built.stderr}`);
  }
  const args = row.args.map((arg) => fill(arg, caseDir, outside));
  const env = Object.fromEntries(
    Object.entries(row.env ?? {}).map(([name, value]) => [name, fill(value, caseDir, outside)]),
  );
  const run = await runBounded(cli.script, args, {
    cwd: caseDir,
    timeoutMs: row.timeoutMs ?? DEFAULT_BOUND_MS,
    env,
  });
  return { ...run, caseDir, outside };
}

describe('the hostile corpus through the CLI', () => {
  let cli: BundledCli;
  let root = '';
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    cli = await bundleCli(['load-worker', 'sample-server', 'loadgen']);
    root = await mkdtemp(join(tmpdir(), 'meshgate-corpus-'));
    const queue = CORPUS.map((row, index) => ({ row, index }));
    // Two at a time: the machine is shared, and each start is mostly CPU.
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        outcomes.set(next.row.name, await runRow(next.row, root, next.index, cli));
    };
    await Promise.all([worker(), worker()]);
  }, 600_000);

  afterAll(async () => {
    await cli?.dispose();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const injected = (row: CorpusRow, o: Outcome): string[] =>
    (row.expect.absent ?? []).map((p) => fill(p, o.caseDir, o.outside)).filter((p) => existsSync(p));

  test('prints its counts', () => {
    const ran = CORPUS.filter((row) => !outcomes.get(row.name)!.skipped);
    const bad = ran.filter((row) => row.expect.code === 2);
    const clean = bad.filter((row) => {
      const o = outcomes.get(row.name)!;
      return o.code === 2 && !STACK.test(o.stderr) && !o.killed;
    });
    const stacked = ran.filter((row) => STACK.test(outcomes.get(row.name)!.stderr));
    const stacks = stacked.length;
    const hangs = ran.filter((row) => outcomes.get(row.name)!.killed).length;
    const injections = ran.filter((row) => injected(row, outcomes.get(row.name)!).length > 0).length;
    const peak = Math.max(0, ...ran.map((row) => outcomes.get(row.name)!.maxRssKb ?? 0));
    const slowest = Math.max(0, ...ran.map((row) => outcomes.get(row.name)!.ms));
    const skipped = CORPUS.filter((row) => outcomes.get(row.name)!.skipped).map(
      (row) => `${row.name} (${outcomes.get(row.name)!.skipped})`,
    );
    console.log(
      [
        `hostile corpus: ${CORPUS.length} rows, ${ran.length} run, ${skipped.length} skipped${skipped.length ? `: ${skipped.join('; ')}` : ''}`,
        `  bad inputs ending in a clean exit 2: ${clean.length}/${bad.length}`,
        `  stack traces: ${stacks}${stacks ? ` (${stacked.map((row) => row.name).join('; ')})` : ''}; hangs beyond their bound (default ${DEFAULT_BOUND_MS / 1000} s): ${hangs}; injections: ${injections}`,
        `  slowest run ${slowest} ms; peak RSS ${peak ? `${Math.round(peak / 1024)} MB` : 'not measured (no GNU time)'}`,
      ].join('\n'),
    );
    expect({ clean: clean.length, stacks, hangs, injections }).toEqual({
      clean: bad.length,
      stacks: 0,
      hangs: 0,
      injections: 0,
    });
  });

  test.each(CORPUS.map((row) => [`${row.item} ${row.name}`, row] as const))('%s', (_name, row) => {
    const o = outcomes.get(row.name)!;
    if (o.skipped) return;
    const shown = {
      code: o.code,
      killed: o.killed,
      stderr: o.stderr.slice(0, 1500),
      stdout: o.stdout.slice(0, 300),
    };
    expect(shown).toMatchObject({ code: row.expect.code, killed: false });
    expect(o.stderr).not.toMatch(STACK);
    for (const pattern of row.expect.stderr ?? []) expect(o.stderr).toMatch(pattern);
    for (const pattern of row.expect.stdout ?? []) expect(o.stdout).toMatch(pattern);
    for (const pattern of row.expect.never ?? []) expect(`${o.stdout}\n${o.stderr}`).not.toMatch(pattern);
    if (row.expect.oneLine) {
      const lines = o.stderr.split('\n').filter((line) => line.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toMatch(/\.\.\.$/);
    }
    expect(injected(row, o)).toEqual([]);
    for (const [file, pattern] of row.expect.filesNot ?? []) {
      const path = fill(file, o.caseDir, o.outside);
      if (existsSync(path)) expect(readFileSync(path, 'utf8')).not.toMatch(pattern);
    }
    if (o.maxRssKb !== undefined) expect(o.maxRssKb).toBeLessThan(400_000);
  });
});
