// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/verdict/decide.js';
import { parseVerdict, parseVerdictText, VERDICT_SCHEMA } from '../../src/verdict/schema.js';
import { UserError } from '../../src/errors.js';
import { around, makeResults } from '../__fixtures__/results.js';

describe('verdict.json', () => {
  const verdict = decide(
    makeResults({ variants: { 'base/none': { p99Ms: around(10, 6) }, 'head/none': { p99Ms: [10] } } }),
  );

  it('round-trips through JSON, unbounded intervals as null', () => {
    const text = JSON.stringify(verdict);
    const parsed = parseVerdictText(text, 'verdict.json');
    expect(parsed.schema).toBe(VERDICT_SCHEMA);
    expect(parsed.checks.find((c) => c.id === 'build:head/none:p99')?.changeUpper).toBeNull();
  });

  it.each([
    {
      document: { ...verdict, schema: 'meshgate/verdict@2' },
      message: /verdict.json: invalid verdict at schema/,
    },
    { document: { ...verdict, verdict: 'maybe' }, message: /at verdict/ },
    { document: [], message: /at \(top level\)/ },
  ])('rejects $message', ({ document, message }) => {
    expect(() => parseVerdict(document, 'verdict.json')).toThrow(UserError);
    expect(() => parseVerdict(document, 'verdict.json')).toThrow(message);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseVerdictText('{', 'v.json')).toThrow(/v.json: not JSON/);
  });
});
