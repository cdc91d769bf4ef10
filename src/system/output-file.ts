/**
 * Every file meshgate writes for the user (results.json, verdicts, reports, exports): its path
 * checked before any work — the directory created, the file's place writable — and its content
 * replaced atomically (a temporary file beside it, then a rename), so a reader, a crash, a
 * SIGKILL or a full disk sees the previous version or the new one, never a truncated file.
 *
 * A write in progress is remembered until it lands: should a second Ctrl-C end the process
 * meanwhile, `flushPendingWritesSync` (called by the signal handlers just before exit) finishes
 * it synchronously.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MeshgateError, UserError, errorMessage } from '../errors.js';
import { formatBytes } from './bounded-read.js';

/** A file could not be written after the work was done (a full disk, an I/O error): exit 3. */
export class OutputError extends MeshgateError {
  constructor(message: string) {
    super(message, 3);
  }
}

const reasonOf = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'no space left on the device (the disk is full)';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'ENOENT') return 'no such file or directory';
  return errorMessage(error).split('\n')[0];
};

let probes = 0;

/**
 * `mkdir -p`, one level at a time from the nearest existing ancestor. Not mkdir's own recursive
 * mode: under /proc (a directory that refuses new entries) Node's loops without end.
 */
async function makeDirectories(directory: string): Promise<void> {
  const missing: string[] = [];
  let current = directory;
  for (;;) {
    try {
      const stats = await stat(current);
      if (!stats.isDirectory())
        throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const level of missing.reverse())
    await mkdir(level).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
}

/**
 * Check that `file` can be written, before any work: not a directory or device, its directory
 * created if missing, and a file creatable there (a probe written and removed). Returns the
 * absolute path; a bad path is a UserError (exit 2) naming the option and the path.
 */
export async function prepareOutput(file: string, option: string): Promise<string> {
  if (file === '') throw new UserError(`${option}: an empty path`);
  const path = resolve(file);
  const bad = (reason: string) => new UserError(`${option}: cannot write ${path}: ${reason}`);
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw bad('it is a directory; give a file name');
    if (!stats.isFile()) throw bad('it exists and is not a regular file');
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw bad(reasonOf(error));
  }
  const directory = dirname(path);
  try {
    await makeDirectories(directory);
  } catch (error) {
    throw bad(`its directory ${directory} cannot be created: ${reasonOf(error)}`);
  }
  const probe = join(directory, `.${basename(path)}.${process.pid}.${probes++}.probe`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (error) {
    throw bad(`no file can be created in ${directory}: ${reasonOf(error)}`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return path;
}

/** Writes in progress, by path: the latest content asked for, and its temporary file. */
const pending = new Map<string, { data: string | Buffer; temporary: string }>();
let temporaries = 0;

const temporaryFor = (path: string) =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${temporaries++}.tmp`);

/**
 * Replace `file`'s content atomically. A failure (a full disk) leaves the previous version in
 * place, removes the temporary file, and is an OutputError (exit 3) saying what happened.
 */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const path = resolve(file);
  const temporary = temporaryFor(path);
  const entry = { data, temporary };
  pending.set(path, entry);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    throw new OutputError(
      `cannot write ${path} (${formatBytes(size)}): ${reasonOf(error)}; no partial file was left`,
    );
  } finally {
    if (pending.get(path) === entry) pending.delete(path);
  }
}

/**
 * Finish every write in progress, synchronously (the process is about to exit). Best effort: a
 * failure leaves the previous version, as the asynchronous write would have.
 */
export function flushPendingWritesSync(): void {
  for (const [path, { data, temporary: inFlight }] of pending) {
    const temporary = temporaryFor(path);
    try {
      rmSync(inFlight, { force: true });
      const fd = openSync(temporary, 'wx');
      try {
        const buffer = typeof data === 'string' ? Buffer.from(data) : data;
        for (let offset = 0; offset < buffer.length;) offset += writeSync(fd, buffer, offset);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing more to do on the way out
      }
    }
    pending.delete(path);
  }
}
