/** A short id for one run, used in namespace and cluster names: lowercase, 8 characters. */
import { randomBytes } from 'node:crypto';

export function newRunId(nowMs = Date.now()): string {
  return `${(nowMs % 36 ** 5).toString(36).padStart(5, '0')}${randomBytes(2).toString('hex').slice(0, 3)}`;
}
