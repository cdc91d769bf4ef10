// test-group: unit
/**
 * Every real fixture of another tool's output, read through `meshgate import`'s reader, equals its
 * golden (what the reader made of it when the golden was written deliberately). A missing golden
 * fails: it is never written by a plain test run, only with UPDATE_GOLDENS=1.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { IMPORT_FORMATS } from '../../../src/interop/formats/registry.js';
import { readSource } from '../../../src/interop/read-source.js';

const FIXTURES = fileURLToPath(new URL('../../__fixtures__/external', import.meta.url));
const GOLDENS = fileURLToPath(new URL('./goldens', import.meta.url));

/** Each real fixture and the format it must be recognised as. */
const REAL_FIXTURES: [fixture: string, format: string][] = [
  ['fortio/http-post-result.json', 'fortio'],
  ['nighthawk/output-as-fortio.json', 'fortio'],
  ['nighthawk/output.json', 'nighthawk'],
  ['hdrhistogram/jHiccup-2.0.7S.logV2.hlog', 'hdrhistogram-log'],
];

const goldenPath = (format: string, fixture: string) =>
  join(GOLDENS, format, `${fixture.replaceAll('/', '--')}.golden.json`);

/** Compares with the golden; a missing golden fails with how to create it on purpose. */
function expectGolden(file: string, actual: unknown): void {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file))
    throw new Error(
      `missing golden ${file}: review the reader's output, then create it deliberately with ` +
        `UPDATE_GOLDENS=1 NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/interop/formats/goldens.test.ts`,
    );
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe('each real fixture reads to its golden', () => {
  test.each(REAL_FIXTURES)('%s (%s)', (fixture, format) => {
    const source = readSource(join(FIXTURES, fixture));
    expect(source.format).toBe(format);
    // The absolute path differs per checkout; the golden keeps the fixture's own name.
    expectGolden(goldenPath(format, fixture), { ...source, file: fixture });
  });
});

describe('the format registry', () => {
  test('every registered format has at least one real fixture with a golden', () => {
    const covered = new Set(REAL_FIXTURES.map(([, format]) => format));
    for (const format of IMPORT_FORMATS) {
      expect([format.name, covered.has(format.name)]).toEqual([format.name, true]);
      for (const [fixture] of REAL_FIXTURES.filter(([, f]) => f === format.name))
        expect([fixture, existsSync(goldenPath(format.name, fixture))]).toEqual([fixture, true]);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'meshgate-formats-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  test('formats are asked in registry order: a JSON both fortio and Nighthawk would accept is fortio', () => {
    const fortio = readFileSync(join(FIXTURES, 'fortio/http-post-result.json'), 'utf8');
    const both = write('both.json', JSON.stringify({ ...JSON.parse(fortio), results: [] }));
    expect(readSource(both).format).toBe('fortio');
  });

  test('JSON is never sniffed as a log, even with a log line inside', () => {
    const file = write('log-inside.json', '{"a":\n"x",\n"StartTimestamp": 1}\n');
    expect(() => readSource(file)).toThrow(
      `${file}: JSON, but neither fortio's (no "DurationHistogram" field) nor Nighthawk's (no "results" field); top-level fields: a, StartTimestamp`,
    );
  });

  test('the refusal of an unknown text lists every registered format', () => {
    const file = write('notes.txt', 'hello\n');
    expect(() => readSource(file)).toThrow(
      `${file}: not a fortio JSON result, a Nighthawk JSON output or an HdrHistogram interval log (first line: "hello")`,
    );
  });
});
