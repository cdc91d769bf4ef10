/**
 * Golden files: an output compared byte for byte with a file kept in the repository.
 *
 * A golden is written only when asked (`UPDATE_GOLDENS=1`); a missing one fails. A golden that
 * wrote itself when absent would let a renamed or deleted file pass unseen, and a test that
 * cannot fail proves nothing.
 */
import { expect } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export const UPDATE_COMMAND = 'UPDATE_GOLDENS=1 NODE_OPTIONS=--experimental-vm-modules npx jest <test file>';

/** The message a missing golden fails with: which file, and the explicit command that writes it. */
export function missingGoldenMessage(file: string): string {
  return `golden file ${relative(process.cwd(), file)} is missing; write it on purpose with ${UPDATE_COMMAND} and review the diff`;
}

/** Compares `actual` with the golden `file`; rewrites the file only under UPDATE_GOLDENS=1. */
export function expectGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDENS === '1') writeFileSync(file, actual);
  if (!existsSync(file)) throw new Error(missingGoldenMessage(file));
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
