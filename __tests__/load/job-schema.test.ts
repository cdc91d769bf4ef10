// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/errors.js';
import { parseJob, parseJobJson } from '../../src/load/job-schema.js';

const minimal = { url: 'http://127.0.0.1:8080', rps: 100, connections: 4, durationS: 5 };

describe('load job validation', () => {
  test('defaults fill a minimal job', () => {
    expect(parseJob(minimal, '--job')).toEqual({
      ...minimal,
      warmupS: 0,
      threads: 1,
      protocol: 'http1',
      request: { method: 'GET', path: '/', headers: {}, body: '' },
      timeoutMs: 10_000,
    });
  });

  test.each([
    ['rps', { rps: -5 }, /--job: rps: .*-5/],
    ['connections', { connections: 0 }, /--job: connections/],
    ['url with a path', { url: 'http://127.0.0.1:8080/x' }, /--job: url: must be a base URL/],
    ['url scheme', { url: 'ftp://127.0.0.1' }, /--job: url/],
    ['protocol', { protocol: 'http3' }, /--job: protocol/],
    ['path', { request: { path: 'no-slash' } }, /--job: request\.path: must start with "\/"/],
    ['header injection', { request: { headers: { 'x-a': 'a\r\nb: c' } } }, /--job: request\.headers\.x-a/],
    ['unknown key', { rate: 5 }, /unknown key "rate"/],
  ])('%s is rejected with the field named', (_, change, message) => {
    expect(() => parseJob({ ...minimal, ...change }, '--job')).toThrow(message);
    expect(() => parseJob({ ...minimal, ...change }, '--job')).toThrow(UserError);
  });

  test('lenient parsing drops unknown keys', () => {
    expect(parseJob({ ...minimal, generators: 2 }, 'load job', true)).not.toHaveProperty('generators');
  });

  test('text that is not JSON names its source', () => {
    expect(() => parseJobJson('{nope', 'MESHGATE_JOB')).toThrow(/MESHGATE_JOB: not JSON/);
  });
});
