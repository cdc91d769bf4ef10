/**
 * The fault matrix of issue #31: real runs of the CLI (bundled with esbuild, as the fault tests
 * do) hit by signals in each phase, a double Ctrl-C at 20–150 ms, kills of each component, bad
 * --out paths and a full disk. Prints one table: exit codes, time from the fault to the exit,
 * trials kept in results.json, and anything left behind (processes, work directories).
 *
 *   npx tsx scripts/fault-matrix.ts [--reps 5] [--double 30]
 *
 * Not part of `npm test` (minutes of load on loopback); run it alone. The full-disk row needs
 * root (a 16 KiB tmpfs); without root it says so.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleCli } from '../__tests__/helpers/cli-bundle.js';
import { descendants, isAlive } from '../__tests__/helpers/procfs.js';

const { values } = parseArgs({ options: { reps: { type: 'string' }, double: { type: 'string' } } });
const REPS = Number(values.reps ?? 5);
const DOUBLE = Number(values.double ?? 30);

const sample = (mesh = 'none', trials = 4) => `name: faults
workload: { sample: echo }
mesh: [${mesh}]
load: { rps: 100, connections: 2, duration: 1s, warmup: 0s, timeout: 300ms }
trials: ${trials}
max_trials: ${trials}
`;
const slowBuild = `name: faults-prepare
workload: { command: ["sleep", "37.5"], ready_path: / }
load: { rps: 10, connections: 1, duration: 1s, warmup: 0s }
trials: 1
`;
const stubbornApp = `name: faults-cleanup
workload:
  command: [${JSON.stringify(process.execPath)}, "-e", "process.on('SIGTERM', () => {}); require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')"]
  ready_path: /
load: { rps: 50, connections: 1, duration: 1s, warmup: 0s }
trials: 1
`;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  exitMs: number;
  trials: number | undefined;
  left: number;
}

const cli = await bundleCli(['load-worker', 'sample-server']);
const root = await mkdtemp(join(tmpdir(), 'meshgate-fault-matrix-'));
let counter = 0;

const trialsIn = (file: string): number | undefined => {
  try {
    const results = JSON.parse(readFileSync(file, 'utf8')) as { variants: { trials: unknown[] }[] };
    return results.variants.reduce((sum, v) => sum + v.trials.length, 0);
  } catch {
    return undefined;
  }
};

/** Start a run; `fault` acts on it and returns when the fault was applied. */
async function oneRun(
  profile: string,
  fault: (run: { pid: number; stderr: () => string; mark: () => void }) => Promise<void>,
  out?: (caseDir: string) => string,
): Promise<Outcome> {
  const caseDir = join(root, String(counter++));
  const tmp = join(caseDir, 'tmp');
  await mkdir(tmp, { recursive: true });
  await writeFile(join(caseDir, 'profile.yaml'), profile);
  const outPath = out ? out(caseDir) : join(caseDir, 'results.json');
  const child = spawn(
    process.execPath,
    [cli.script, 'run', join(caseDir, 'profile.yaml'), '--out', outPath],
    {
      env: { ...process.env, NODE_OPTIONS: '', TMPDIR: tmp },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const seen = new Set<number>();
  const watch = setInterval(() => descendants(child.pid!).forEach((pid) => seen.add(pid)), 50);
  const kill = setTimeout(() => child.kill('SIGKILL'), 90_000);
  // The time of the fault: its first signal or kill (`mark`); the start for faults of the command line.
  let faultAt = Date.now();
  try {
    await Promise.race([
      fault({ pid: child.pid!, stderr: () => stderr, mark: () => (faultAt = Date.now()) }),
      exited,
    ]);
  } catch {
    // the run ended before the fault could be applied: reported by its exit
  }
  const { code, signal, at } = await exited;
  clearTimeout(kill);
  clearInterval(watch);
  await sleep(1000); // the watchdog's second
  const dirs = existsSync(tmp) ? readdirSync(tmp).filter((n) => n.startsWith('meshgate-')).length : 0;
  const left = [...seen].filter(isAlive).length + dirs;
  return { code, signal, exitMs: at - faultAt, trials: trialsIn(outPath), left };
}

const until = async (check: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
};
const pidMatching = (root: number, pattern: RegExp) =>
  descendants(root).find((pid) => {
    try {
      return pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      return false;
    }
  });

const rows: { name: string; outcomes: Outcome[] }[] = [];
async function row(name: string, runs: number, make: (i: number) => Promise<Outcome>) {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < runs; i++) outcomes.push(await make(i));
  rows.push({ name, outcomes });
  process.stderr.write(`${name}: ${summary(outcomes).join(' | ')}\n`);
}

function summary(outcomes: Outcome[]): string[] {
  const codes = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.code !== null ? String(o.code) : `sig ${o.signal}`;
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  const times = outcomes.map((o) => o.exitMs).sort((a, b) => a - b);
  const median =
    times.length % 2
      ? times[(times.length - 1) / 2]
      : Math.round((times[times.length / 2 - 1] + times[times.length / 2]) / 2);
  const trials = outcomes.map((o) => (o.trials === undefined ? '–' : String(o.trials)));
  const distinct = [...new Set(trials)].join('/');
  return [
    String(outcomes.length),
    [...codes].map(([k, n]) => `${k}×${n}`).join(' '),
    `${median} / ${times[times.length - 1]}`,
    distinct,
    String(outcomes.reduce((sum, o) => sum + o.left, 0)),
  ];
}

const signal = (sig: NodeJS.Signals) => (pid: number, mark: () => void) => {
  mark();
  process.kill(pid, sig);
};

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  await row(`${sig} at start-up (100 ms)`, REPS, () =>
    oneRun(sample(), async ({ pid, mark }) => {
      await sleep(100);
      signal(sig)(pid, mark);
    }),
  );
  await row(`${sig} in prepare`, REPS, () =>
    oneRun(slowBuild, async ({ pid, mark }) => {
      await until(() => pidMatching(pid, /sleep 37\.5/) !== undefined);
      await sleep(200);
      signal(sig)(pid, mark);
    }),
  );
  await row(`${sig} mid-trial`, REPS, () =>
    oneRun(sample('nginx'), async ({ pid, stderr, mark }) => {
      await until(() => stderr().includes('trial 2/'));
      await sleep(300);
      signal(sig)(pid, mark);
    }),
  );
  await row(`${sig} between trials`, REPS, () =>
    oneRun(sample(), async ({ pid, stderr, mark }) => {
      await until(() => stderr().includes('trial 2/'));
      signal(sig)(pid, mark);
    }),
  );
  await row(`${sig} in cleanup`, REPS, () =>
    oneRun(stubbornApp, async ({ pid, stderr, mark }) => {
      await until(() => stderr().includes('── cleanup'));
      await sleep(200);
      signal(sig)(pid, mark);
    }),
  );
}

await row(`double SIGINT at 20–150 ms`, DOUBLE, (i) =>
  oneRun(sample('nginx'), async ({ pid, stderr, mark }) => {
    await until(() => stderr().includes('trial 2/'));
    mark();
    process.kill(pid, 'SIGINT');
    await sleep(20 + ((i * 37) % 131));
    process.kill(pid, 'SIGINT');
  }),
);

await row('SIGKILL of meshgate mid-trial', REPS, () =>
  oneRun(sample('nginx'), async ({ pid, stderr, mark }) => {
    await until(() => stderr().includes('trial 2/'));
    await sleep(300);
    mark();
    process.kill(pid, 'SIGKILL');
  }),
);
for (const [name, mesh, pattern] of [
  ['sample server', 'none', /sample-server/],
  ['nginx', 'nginx', /^nginx: master/],
  ['HAProxy', 'haproxy', /^(\S*\/)?haproxy /],
] as const)
  await row(`SIGKILL of ${name} mid-trial`, REPS, () =>
    oneRun(sample(mesh), async ({ pid, stderr, mark }) => {
      await until(() => stderr().includes('trial 2/'));
      await sleep(300);
      const target = pidMatching(pid, pattern);
      mark();
      if (target) process.kill(target, 'SIGKILL');
    }),
  );

for (const [name, out] of [
  ['--out a directory', (dir: string) => dir],
  ['--out under /proc', () => '/proc/self/nope/results.json'],
  ['--out /dev/null', () => '/dev/null'],
  ['--out in a missing folder', (dir: string) => join(dir, 'new', 'folder', 'results.json')],
] as const)
  await row(name, 1, () => oneRun(sample(), async () => undefined, out));

const tiny = join(root, 'tiny');
await mkdir(tiny);
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', tiny], { stdio: 'pipe' });
  mounted = true;
  await row('full disk (16 KiB tmpfs, 8 trials)', 1, () =>
    oneRun(
      sample('none', 8),
      async () => undefined,
      () => join(tiny, 'results.json'),
    ),
  );
} catch (error) {
  process.stderr.write(`full disk: not measured (${String(error).split('\n')[0]})\n`);
} finally {
  if (mounted) execFileSync('umount', [tiny]);
}

// exit ms: from the fault (the first signal, the kill; the start for command-line faults) to the exit.
const header = ['case', 'runs', 'exit codes', 'exit ms (median / max)', 'trials kept', 'left behind'];
const table = [header, ...rows.map((r) => [r.name, ...summary(r.outcomes)])];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const line of table.slice(1)) console.log(`| ${line.join(' | ')} |`);
await cli.dispose();
await rm(root, { recursive: true, force: true });
