/**
 * A request slot: one place where a request can be in flight (an HTTP/1.1 connection, or one
 * stream of an HTTP/2 connection). The runner sends on idle slots and is told, exactly once per
 * send, how the request ended.
 */
import type { ErrorKind } from './types.js';

/** `status` is set when an HTTP answer arrived (any code); `error` when none did. */
export type DoneCallback = (slot: RequestSlot, status: number, error: ErrorKind | undefined) => void;

export interface RequestSlot {
  /** Send the request (connecting first when needed). Calls the done callback exactly once. */
  send(): void;
  /** End the request in flight with this error (e.g. timeout); the connection is dropped. */
  cancel(kind: ErrorKind): void;
  /** Open the connection ahead of the run; resolves also when that fails (sends retry). */
  connect(timeoutMs: number): Promise<void>;
  /** Close for good. A request in flight is not reported. */
  close(): void;

  // Bookkeeping owned by the runner.
  busy: boolean;
  dueMs: number;
  /** When a connection was free for the request in flight (≥ dueMs; see recorder.ts). */
  availableMs: number;
  sentMs: number;
  /** When this slot last became idle (−Infinity before its first request). */
  idleSinceMs: number;
  measured: boolean;
}

export interface SlotOptions {
  url: URL;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  insecureTls: boolean;
  onDone: DoneCallback;
}
