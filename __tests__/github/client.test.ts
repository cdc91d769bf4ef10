// test-group: unit
import { expect, test } from '@jest/globals';
import { isPermissionError } from '../../src/github/client.js';

test.each([
  [401, true],
  [403, true],
  [404, true], // a private repository's refusal
  [422, false],
  [500, false],
])('status %p is a permission error: %p', (status, expected) => {
  expect(isPermissionError(Object.assign(new Error('x'), { status }))).toBe(expected);
});
