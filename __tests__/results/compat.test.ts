// test-group: unit
/**
 * The compatibility promise (docs/compatibility.md) against files of every format: this release
 * reads the results and verdict files of its own format major, whether an earlier or a later
 * release of that major wrote them, judges a baseline of an earlier release, and refuses another
 * major with a message that says which release wrote it — which a baseline lookup turns into a
 * skipped baseline with a notice, not a failure.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBaselineStore } from '../../src/baseline/file-store.js';
import { UserError } from '../../src/errors.js';
import { judge } from '../../src/gate.js';
import { IncompatibleSchemaError, schemaId, SCHEMA_VERSIONS } from '../../src/results/compat.js';
import { parseResults } from '../../src/results/io.js';
import { RESULTS_SCHEMA } from '../../src/results/schema.js';
import { readVerdictDocument } from '../../src/verdict/read.js';
import { VERDICT_SCHEMA } from '../../src/verdict/schema.js';
import { MESHGATE_VERSION } from '../../src/version.js';

const FIXTURES = join('__tests__', '__fixtures__', 'compat');
const text = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('results and verdict formats across releases', () => {
  it('the formats this release writes are the ones the promise names', () => {
    expect(RESULTS_SCHEMA).toBe(schemaId('results'));
    expect(VERDICT_SCHEMA).toBe(schemaId('verdict'));
    expect(SCHEMA_VERSIONS.results.current).toBe(1);
  });

  it.each(['results-v1.json', 'results-v1-older-release.json', 'results-v1-newer-release.json'])(
    '%s (format @1) is read',
    (name) => {
      const results = parseResults(text(name), name);
      expect(results.schema).toBe('meshgate/results@1');
      expect(results.variants.map((v) => v.id)).toEqual(['base/none', 'head/none']);
      // Fields of a later release are dropped, not carried along unchecked.
      expect(JSON.stringify(results)).not.toMatch(/tailSamples|provenance|cgroup/);
    },
  );

  it("an earlier release's baseline is judged with this release's results", () => {
    const current = parseResults(text('results-v1.json'), 'results-v1.json');
    const older = parseResults(text('results-v1-older-release.json'), 'older.json');
    const { verdict } = judge(current, { baseline: older });
    expect(verdict.baseline).toMatchObject({ profile: 'compat' });
    expect(verdict.checks.some((check) => check.comparison === 'cross-job')).toBe(true);
  });

  it.each([
    [
      'results-v2.json',
      'newer',
      /^results-v2\.json: written by a newer meshgate \(format meshgate\/results@2\); meshgate \S+ reads meshgate\/results@1: upgrade meshgate to read it$/,
    ],
    [
      'results-v0.json',
      'older',
      /^results-v0\.json: written by an older meshgate \(format meshgate\/results@0\) that meshgate \S+ no longer reads \(it reads meshgate\/results@1\)$/,
    ],
  ])('%s is refused as written by a %s meshgate (exit 2, one line)', (name, direction, message) => {
    let error: unknown;
    try {
      parseResults(text(name), name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IncompatibleSchemaError);
    expect(error).toMatchObject({ direction, exitCode: 2 });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(MESHGATE_VERSION);
  });

  it('a file of another tool is still "not a meshgate results file"', () => {
    expect(() => parseResults('{"schema": "meshgate/results@x1"}', 'r.json')).toThrow(
      /^r\.json: schema: expected "meshgate\/results@1", got "meshgate\/results@x1"; this is not a meshgate results file$/,
    );
    expect(() => parseResults('{"schema": "meshgate/results@1x"}', 'r.json')).not.toThrow(
      IncompatibleSchemaError,
    );
  });

  it('verdict files: @1 of any release is read, @2 refused', () => {
    expect(readVerdictDocument(text('verdict-v1.json'), 'v.json').schema).toBe('meshgate/verdict@1');
    const later = readVerdictDocument(text('verdict-v1-newer-release.json'), 'v.json');
    expect(JSON.stringify(later)).not.toContain('generatedBy');
    expect(() => readVerdictDocument(text('verdict-v2.json'), 'verdict-v2.json')).toThrow(
      /^verdict-v2\.json: written by a newer meshgate \(format meshgate\/verdict@2\)/,
    );
    expect(() => readVerdictDocument('{"schema": "other"}', 'v.json')).toThrow(UserError);
  });

  it('a baseline file of another major is skipped with a notice; one of this major is used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshgate-compat-'));
    for (const [name, expected] of [
      [
        'results-v2.json',
        /^⚠️ The baseline file `baseline\.json` was written by a newer meshgate \(format `meshgate\/results@2`\); meshgate \S+ reads `meshgate\/results@1`: upgrade meshgate to read it\. It is skipped; only same-job comparisons decide\.$/,
      ],
      [
        'results-v0.json',
        /^⚠️ The baseline file `baseline\.json` was written by an older meshgate \(format `meshgate\/results@0`\) that meshgate \S+ no longer reads/,
      ],
    ] as const) {
      await writeFile(join(dir, 'baseline.json'), text(name));
      const lookup = await fileBaselineStore('baseline.json', dir).load('compat');
      expect(lookup.status).toBe('unusable');
      expect(lookup.note).toMatch(expected);
    }
    await writeFile(join(dir, 'baseline.json'), text('results-v1-older-release.json'));
    expect((await fileBaselineStore('baseline.json', dir).load('compat')).status).toBe('found');
  });
});
