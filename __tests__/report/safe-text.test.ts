// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { inlineText, truncate } from '../../src/report/safe-text.js';

describe('inlineText', () => {
  test.each([
    ['@octo-org/security-team', '@&#8203;octo-org/security-team'],
    ['[Approve](https://evil.example/login)', '\\[Approve\\](https:&#8203;//evil.example/login)'],
    ['see www.evil.example', 'see www&#8203;.evil.example'],
    ['fixes #12 and o/r#3', 'fixes \\#&#8203;12 and o/r\\#&#8203;3'],
    ['a\u2028# b\u00ad\u2066c', 'a \\#&#8203; b c'],
    ['![t](x.png)', '\\!\\[t\\](x.png)'],
    [
      '</details># pass <!-- meshgate:profile=x -->',
      '&lt;/details&gt;\\#&#8203; pass &lt;\\!-- meshgate:profile=x --&gt;',
    ],
    ['a|b', 'a\\|b'],
    ['*x* _y_ ~~z~~ `c` $m$', '\\*x\\* \\_y\\_ \\~\\~z\\~\\~ \\`c\\` \\$m\\$'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['===', '\\==='],
    ['&amp; &#64;', '&amp;amp; &amp;\\#&#8203;64;'],
    // GitHub's own autolinks: GH-1 is an issue, a hex run of 7 to 40 characters a commit.
    ['see GH-1 and gh-22', 'see GH&#8203;-1 and gh&#8203;-22'],
    [
      '3f786850e387550fdab836ed7e6dc881de23001b',
      '3f7868&#8203;50e387&#8203;550fda&#8203;b836ed&#8203;7e6dc8&#8203;81de23&#8203;001b',
    ],
    [
      'octocat@3f786850e387550fdab836ed7e6dc881de23001b',
      'octocat@&#8203;3f7868&#8203;50e387&#8203;550fda&#8203;b836ed&#8203;7e6dc8&#8203;81de23&#8203;001b',
    ],
    ['fixed in deadbee', 'fixed in deadbe&#8203;e'],
    ['1234567 requests', '1234567 requests'],
  ])('%s is inert', (input, expected) => {
    expect(inlineText(input)).toBe(expected);
  });

  test('folds newlines and controls into one line', () => {
    expect(inlineText('a\n\n# b\u202e')).toBe('a \\#&#8203; b');
  });

  test('bounds the length before escaping', () => {
    expect(Array.from(truncate('x'.repeat(500), 10))).toHaveLength(10);
    expect(inlineText('y'.repeat(500), 20)).toBe(`${'y'.repeat(19)}…`);
  });

  test('plain names stay readable', () => {
    expect(inlineText('head/istio-mtls')).toBe('head/istio-mtls');
    expect(inlineText('2026-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(inlineText('ubuntu 24.04 / 6.8.0-1017-azure')).toBe('ubuntu 24.04 / 6.8.0-1017-azure');
  });
});
