import { describe, expect, test } from '@jest/globals';
import { inlineText, truncate } from '../../src/report/safe-text.js';

describe('inlineText', () => {
  test.each([
    ['@octo-org/security-team', /@&#8203;octo/],
    ['[Approve](https://evil.example/login)', /^\\\[Approve\\\]\\\(https\\:\\\/\\\/evil\\\.example/],
    ['![t](x.png)', /^\\!\\\[t\\\]/],
    ['</details># pass <!-- meshgate:profile=x -->', /^&lt;\\\/details&gt;\\# pass &lt;\\!\\-\\- meshgate/],
    ['a|b', /^a\\\|b$/],
  ])('%s is inert', (input, expected) => {
    expect(inlineText(input)).toMatch(expected);
  });

  test('folds newlines and controls into one line', () => {
    expect(inlineText('a\n\n# b\u202e')).toBe('a \\# b');
  });

  test('bounds the length before escaping', () => {
    expect(Array.from(truncate('x'.repeat(500), 10))).toHaveLength(10);
    expect(inlineText('y'.repeat(500), 20)).toBe(`${'y'.repeat(19)}…`);
  });

  test('plain names stay readable', () => {
    expect(inlineText('head/istio')).toBe('head\\/istio');
    expect(inlineText('ubuntu 24')).toBe('ubuntu 24');
  });
});
