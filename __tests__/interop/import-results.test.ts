// test-group: unit
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/errors.js';
import { judge } from '../../src/gate.js';
import { importedResults } from '../../src/interop/import-results.js';
import { readSource } from '../../src/interop/read-source.js';
import { decodeHistogram } from '../../src/load/histogram.js';
import { parseResults } from '../../src/results/io.js';

// Real output of fortio, Nighthawk and the Java HdrHistogram library (see its README).
const FIXTURES = fileURLToPath(new URL('../__fixtures__/external', import.meta.url));
const fixture = (path: string) => `${FIXTURES}/${path}`;
const dir = mkdtempSync(join(tmpdir(), 'meshgate-import-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
/** Through JSON and the zod reader, as `meshgate check` would read the written file. */
const reread = (value: unknown) => parseResults(JSON.stringify(value), 'results.json');

describe('each fixture becomes results that check reads', () => {
  test.each([
    ['fortio/http-post-result.json', 'fortio', 4, /coarse: 1 fortio histogram bucket/],
    ['nighthawk/output-as-fortio.json', 'fortio', 53, /coarse: 31 fortio histogram bucket\(s\), the widest 157 ms/],
    ['nighthawk/output.json', 'nighthawk', 4, /percentile ladder/],
    ['hdrhistogram/jHiccup-2.0.7S.logV2.hlog', 'hdrhistogram-log', 48761, /full: HdrHistogram/],
  ])('%s', (path, format, requests, precision) => {
    const source = readSource(fixture(path));
    expect(source.format).toBe(format);
    expect(source.precision).toMatch(precision);
    const results = reread(importedResults([source], { variants: ['head/none'] }));
    const [variant] = results.variants;
    expect(variant.id).toBe('head/none');
    expect(variant.trials[0].requests).toBe(requests);
    expect(decodeHistogram(variant.trials[0].histogram).totalCount).toBe(requests);
    const imported = (results.profile as unknown as { imported: { format: string; precision: string }[] }).imported;
    expect(imported[0]).toMatchObject({ format, variant: 'head/none', precision: source.precision });
    expect(results.variants[0].smp.latencies_ms.max).toBeCloseTo(variant.latencyMs.max, 6);
    expect(judge(results).verdict.checks.map((c) => c.metric)).toEqual(['errorRate']);
  });

  test('base/none and head/none files give a head-vs-base comparison, paired in start-time order', () => {
    const base = readSource(fixture('nighthawk/output.json'));
    const head = readSource(fixture('fortio/http-post-result.json'));
    const results = reread(
      importedResults([head, base, head, base], { variants: ['head/none', 'base/none', 'head/none', 'base/none'] }),
    );
    expect(results.variants.map((v) => [v.id, v.trials.length])).toEqual([
      ['head/none', 2],
      ['base/none', 2],
    ]);
    // Nighthawk's run (2009) started before fortio's (2022): it comes first in run order.
    expect(results.variants[1].trials.map((t) => t.sequence)).toEqual([0, 1]);
    expect(results.variants[0].trials.map((t) => t.sequence)).toEqual([2, 3]);
    const p99 = judge(results).verdict.checks.find((c) => c.metric === 'p99' && c.comparison === 'build');
    expect(p99).toMatchObject({ variant: 'head/none', gating: true });
  });

  test('a tagged log gives a variant per tag; --variant TAG=ID renames', () => {
    const [line] = readFileLines(fixture('hdrhistogram/jHiccup-2.0.7S.logV2.hlog'));
    const file = write(
      'tagged.hlog',
      `"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"\n` +
        `Tag=a,${line}\nTag=b,${line}\n`,
    );
    const source = readSource(file);
    expect(source.groups.map((g) => g.tag)).toEqual(['a', 'b']);
    expect(() => importedResults([source], { variants: [] })).toThrow(/Tag=a .*--variant a=head\/MESH/);
    const results = importedResults([source], { variants: ['a=base/none', 'b=head/none'] });
    expect(results.variants.map((v) => v.id)).toEqual(['base/none', 'head/none']);
  });
});

function readFileLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^\d/.test(line));
}

describe('bad or foreign input: a UserError naming the file and field', () => {
  test.each([
    ['profile.yaml', 'name: x\nload: { rps: 5 }\n', /profile\.yaml: not a fortio JSON result, a Nighthawk JSON output or an HdrHistogram interval log \(first line: "name: x"\)/],
    ['other.json', '{"RunType": "HTTP", "ActualQPS": 10}', /other\.json: JSON, but neither fortio's .*top-level fields: RunType, ActualQPS/],
    ['truncated.json', '{"DurationHistogram": {', /truncated\.json: not JSON/],
    ['bad-count.json', '{"ActualQPS": 1, "ActualDuration": 1e9, "DurationHistogram": {"Count": "many"}}', /bad-count\.json: DurationHistogram\.Count/],
    ['nh.json', '{"results": []}', /nh\.json: results/],
    ['empty.hlog', '#[Histogram log format version 1.3]\n', /empty\.hlog: no interval lines/],
    ['bad.hlog', '#[x]\n0.1,1.0,2.0,HISTnotbase64\n', /bad\.hlog: line 2: Interval_Compressed_Histogram/],
    ['results.json', '{"schema": "meshgate/results@1"}', /results\.json: already a meshgate results file/],
    ['binary.bin', '\u0000\u0001PK\u0003', /binary\.bin: not a fortio/],
  ])('%s', (name, text, message) => {
    const file = write(name, text);
    expect(() => readSource(file)).toThrow(UserError);
    expect(() => readSource(file)).toThrow(message);
  });

  test('missing file, wrong id count and bad ids', () => {
    expect(() => readSource(join(dir, 'nope.json'))).toThrow(/nope\.json: cannot read/);
    const source = readSource(fixture('fortio/http-post-result.json'));
    expect(() => importedResults([source], { variants: [] })).toThrow(/--variant: 1 untagged input\(s\).*got 0/);
    expect(() => importedResults([source], { variants: ['istio'] })).toThrow(
      /--variant: variant id "istio" must be base\/MESH or head\/MESH/,
    );
  });
});
