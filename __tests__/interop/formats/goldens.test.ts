// test-group: unit
/**
 * Every real fixture of another tool's output, read through `meshgate import`'s reader, equals its
 * golden (what the reader made of it when the golden was written deliberately). A missing golden
 * fails: it is never written by a plain test run, only with UPDATE_GOLDENS=1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
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
