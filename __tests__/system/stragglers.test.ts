// A process that leaves its group (setsid) is still stopped with the process meshgate started
// (system/stragglers.ts): before, stop() signalled the group only and the setsid child lived on.
import { expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnManaged } from '../../src/system/processes.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2].startsWith('Z');
  } catch {
    return false;
  }
};

test.each([
  ['a setsid child', 'setsid sh -c \'echo $$ > "$0"; exec sleep 300\' "$0" & exec sleep 300'],
  [
    'a double-forked daemon, its parent gone',
    '( setsid sh -c \'echo $$ > "$0"; exec sleep 300\' "$0" & ) ; exit 0',
  ],
])(
  '%s is stopped with the build',
  async (_name, script) => {
    const dir = mkdtempSync(join(tmpdir(), 'meshgate-setsid-'));
    const pidFile = join(dir, 'child.pid');
    const proc = spawnManaged('a build that setsids', 'sh', ['-c', script, pidFile]);
    // Generous: a loaded 2-core machine may take a while to start three shells.
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await sleep(25);
    await sleep(50);
    const child = Number(readFileSync(pidFile, 'utf8').trim());
    expect(alive(child)).toBe(true);
    await proc.stop(1000);
    for (let i = 0; i < 40 && alive(child); i++) await sleep(25);
    expect(alive(child)).toBe(false);
  },
  30_000,
);
