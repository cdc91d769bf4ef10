/**
 * Every file meshgate reads from a user, a PR or an artifact goes through here: a size cap, a
 * type check (a regular file; a FIFO, device or directory is refused unless a FIFO is asked
 * for), a timeout, and the abort signal (Ctrl-C, SIGTERM) honoured while it waits.
 *
 * The file is opened with O_NONBLOCK: opening a FIFO for reading otherwise blocks until a writer
 * appears (in libuv's thread pool, where no signal reaches it), and a synchronous open would
 * block the main thread itself, signal handlers included. On a regular file O_NONBLOCK changes
 * nothing. The type and size come from fstat of the opened descriptor, so a file swapped between
 * a check and the read cannot slip through; the read still stops at `maxBytes + 1` bytes, for
 * files whose stat size says nothing (/proc, /sys) or that grow while read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { MeshgateError, UserError, errorMessage } from '../errors.js';

export interface BoundedReadOptions {
  /** Largest size accepted, in bytes. */
  maxBytes: number;
  /** What the file is, for messages: "the profile", "the results file". */
  what: string;
  /** How messages start (default: the file's path), e.g. `profile.yaml: load.grpc.message_file`. */
  where?: string;
  /** What the size cap is for, in "more than … may hold" (default: `what` with "a" for "the"). */
  holder?: string;
  /** Aborts the read (the caller's Ctrl-C): the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** A read not finished by then is refused (default 30 s: a local file takes milliseconds). */
  timeoutMs?: number;
  /**
   * Accept a FIFO (a pipe named on the command line, `<(…)`): read to its end, within maxBytes
   * and the timeout. A named FIFO no writer has opened reads as empty.
   */
  allowFifo?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const CHUNK_BYTES = 64 * 1024;
const FIFO_POLL_MS = 20;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

type Described = Pick<BoundedReadOptions, 'what' | 'where' | 'holder' | 'maxBytes' | 'allowFifo'>;

function checkType(file: string, stats: Stats, options: Described): void {
  if (stats.isFile() || (options.allowFifo && stats.isFIFO())) return;
  throw new UserError(
    `${options.where ?? file}: ${options.what} is ${kindOf(stats)}; only a regular file is read`,
  );
}

function tooLarge(file: string, options: Described, size?: number): UserError {
  const seen = size === undefined ? `over ${formatBytes(options.maxBytes)}` : formatBytes(size);
  const holder = options.holder ?? options.what.replace(/^the /, 'a ');
  return new UserError(
    `${options.where ?? file}: ${seen}, more than ${holder} may hold (${formatBytes(options.maxBytes)})`,
  );
}

function cannotRead(file: string, options: Described, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : errorMessage(error).split('\n')[0];
  return new UserError(`${options.where ?? file}: cannot read ${options.what}: ${reason}`);
}

/** Read a file whole, bounded (see the file comment). Rejects with a UserError naming the file. */
export async function readBounded(file: string, options: BoundedReadOptions): Promise<Buffer> {
  const { signal } = options;
  signal?.throwIfAborted();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let handle: FileHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // The read itself cannot be cancelled (a FIFO's writer may never write); the race lets the
  // caller go at once, and closing the handle ends the read.
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new UserError(
            `${options.where ?? file}: reading ${options.what} took more than ${timeoutMs / 1000} s; refused`,
          ),
        ),
      timeoutMs,
    );
    timer.unref();
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const work = (async () => {
    try {
      handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      throw cannotRead(file, options, error);
    }
    const stats = await handle.stat();
    checkType(file, stats, options);
    if (stats.isFile() && stats.size > options.maxBytes) throw tooLarge(file, options, stats.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, options.maxBytes + 1 - total));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        // A FIFO stays non-blocking (a blocking read would hold a thread-pool thread, and with
        // it the process's exit, until a writer writes): no data yet is EAGAIN, so wait a little.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        await sleep(FIFO_POLL_MS);
        continue;
      }
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(file, options);
    }
    return Buffer.concat(chunks, total);
  })();
  try {
    return await Promise.race([work, stop]);
  } catch (error) {
    if (error instanceof MeshgateError || signal?.aborted) throw error;
    throw cannotRead(file, options, error);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    work.catch(() => undefined);
    // A read still waiting (an abandoned FIFO) ends when its descriptor closes.
    void handle?.close().catch(() => undefined);
  }
}

export async function readBoundedText(file: string, options: BoundedReadOptions): Promise<string> {
  return (await readBounded(file, options)).toString('utf8');
}

/**
 * The synchronous form, for code that cannot wait (importers called from pure functions): a
 * regular file only (nothing synchronous may wait on a FIFO's writer), size-capped.
 */
export function readBoundedSync(
  file: string,
  options: Omit<BoundedReadOptions, 'signal' | 'timeoutMs' | 'allowFifo'>,
): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(file, options, error);
  }
  try {
    const stats = fstatSync(fd);
    checkType(file, stats, options);
    if (stats.size > options.maxBytes) throw tooLarge(file, options, stats.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES * 16, options.maxBytes + 1 - total));
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(file, options);
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof MeshgateError) throw error;
    throw cannotRead(file, options, error);
  } finally {
    closeSync(fd);
  }
}

export function readBoundedTextSync(
  file: string,
  options: Omit<BoundedReadOptions, 'signal' | 'timeoutMs' | 'allowFifo'>,
): string {
  return readBoundedSync(file, options).toString('utf8');
}
