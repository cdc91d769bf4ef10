/**
 * A benchmark's servers must not outlive it: a bench killed with SIGKILL (no handler runs) leaves
 * them to the watchdog, and stopping a child takes its whole process group (an nginx's workers).
 */
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const processes = resolve('bench/lib/processes.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Running, not a zombie waiting for its parent (or init) to reap it. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
};
async function gone(pids: number[], withinMs: number): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  return pids.filter(alive);
}

/** A bench stand-in: starts a leader with a second process in its group, prints both pids, waits. */
function benchScript(then: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-processes-'));
  const file = join(dir, 'bench.mts');
  writeFileSync(
    file,
    `import { startProcess, stopProcess, waitForLine } from ${JSON.stringify(processes)};
const child = startProcess('sh', ['-c', 'sleep 60 & echo "pids $$ $!"; wait']);
const [, leader, member] = await waitForLine(child, /^pids (\\d+) (\\d+)$/m);
console.log(\`pids \${leader} \${member}\`);
${then}
`,
  );
  return file;
}

function run(file: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
  /** Resolves with the first match of `pattern` in the output; fails if the stand-in exits first. */
  const until = async (pattern: RegExp, withinMs = 20_000) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const match = pattern.exec(out);
      if (match) return match;
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`bench stand-in printed no ${pattern} (exit ${child.exitCode}): ${out}`);
      await sleep(20);
    }
  };
  const pids = until(/pids (\d+) (\d+)/).then((m) => [Number(m[1]), Number(m[2])]);
  return { child, pids, until, exited };
}

describe('bench child processes', () => {
  test('SIGKILL of the bench: its children, and their group, go with it', async () => {
    const bench = run(benchScript('await new Promise((r) => setTimeout(r, 60_000));'));
    const pids = await bench.pids;
    expect(pids.every(alive)).toBe(true);
    bench.child.kill('SIGKILL');
    await bench.exited;
    expect(await gone(pids, 2000)).toEqual([]);
  }, 30_000);

  test('stopProcess takes the whole group, not only the leader', async () => {
    const bench = run(
      benchScript(
        'await stopProcess(child); console.log("stopped"); await new Promise((r) => setTimeout(r, 60_000));',
      ),
    );
    const pids = await bench.pids;
    await bench.until(/stopped/);
    expect(await gone(pids, 1000)).toEqual([]);
    bench.child.kill('SIGKILL');
    await bench.exited;
  }, 30_000);
});
