// The one bounded read every input goes through (src/system/bounded-read.ts): type, size, a
// timeout and the abort signal, on real FIFOs, devices and /proc files.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBounded, readBoundedSync, readBoundedText } from '../../src/system/bounded-read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-bounded-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fifo = (name: string) => {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
};
/** A writer that opens the FIFO, writes `text` after `delayMs` (or never) and keeps it open `holdMs`. */
const writer = (path: string, text: string | undefined, delayMs: number, holdMs: number) =>
  spawn(process.execPath, [
    '-e',
    `const fs = require('fs'); const fd = fs.openSync(${JSON.stringify(path)}, 'w'); setTimeout(() => { ${text === undefined ? '' : `fs.writeSync(fd, ${JSON.stringify(text)});`} }, ${delayMs}); setTimeout(() => fs.closeSync(fd), ${holdMs});`,
  ]);

describe('readBounded', () => {
  it('reads a regular file, and refuses one past the cap before reading it', async () => {
    const file = join(dir, 'a.txt');
    await writeFile(file, 'hello');
    expect(await readBoundedText(file, { maxBytes: 5, what: 'the file' })).toBe('hello');
    await expect(readBounded(file, { maxBytes: 4, what: 'the file' })).rejects.toThrow(
      /a\.txt: 5 bytes, more than a file may hold \(4 bytes\)/,
    );
    expect(() => readBoundedSync(file, { maxBytes: 4, what: 'the file' })).toThrow(
      /more than a file may hold/,
    );
  });

  it('stops a file whose size says nothing (/proc) one byte past the cap', async () => {
    await expect(readBounded('/proc/self/status', { maxBytes: 10, what: 'the file' })).rejects.toThrow(
      /over 10 bytes, more than a file may hold/,
    );
  });

  it.each([
    ['/dev/zero', /a character device; only a regular file is read/],
    ['/tmp', /a directory; only a regular file is read/],
  ])('refuses %s at once', async (path, expected) => {
    const started = Date.now();
    await expect(readBounded(path, { maxBytes: 1024, what: 'the file' })).rejects.toThrow(expected);
    expect(() => readBoundedSync(path, { maxBytes: 1024, what: 'the file' })).toThrow(expected);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a FIFO unless asked for, without waiting for a writer', async () => {
    const path = fifo('refused');
    await expect(readBounded(path, { maxBytes: 1024, what: 'the file' })).rejects.toThrow(
      /a FIFO \(named pipe\); only a regular file is read/,
    );
    expect(() => readBoundedSync(path, { maxBytes: 1024, what: 'the file' })).toThrow(/a FIFO/);
  });

  it('reads a FIFO when asked for, to its end', async () => {
    const path = fifo('allowed');
    const child = writer(path, 'from the pipe', 100, 300);
    // (A FIFO no writer has opened yet reads as empty: the writer is started first.)
    await new Promise((resolve) => setTimeout(resolve, 400)); // the writer waits in open() first
    expect(await readBoundedText(path, { maxBytes: 1024, what: 'the file', allowFifo: true })).toBe(
      'from the pipe',
    );
    child.kill();
  });

  it('honours the abort signal while a FIFO stays silent', async () => {
    const path = fifo('silent');
    const child = writer(path, undefined, 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted by SIGTERM')), 200);
    const started = Date.now();
    await expect(
      readBounded(path, { maxBytes: 1024, what: 'the file', allowFifo: true, signal: controller.signal }),
    ).rejects.toThrow('interrupted by SIGTERM');
    // Within 1 s of the abort (200 ms): generous for a loaded machine, far from the writer's 10 s.
    expect(Date.now() - started).toBeLessThan(1200);
    child.kill();
  });

  it('gives up after its timeout', async () => {
    const path = fifo('slow');
    const child = writer(path, undefined, 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(
      readBounded(path, { maxBytes: 1024, what: 'the file', allowFifo: true, timeoutMs: 300 }),
    ).rejects.toThrow(/reading the file took more than 0\.3 s/);
    child.kill();
  });
});
