/** `meshgate report` and `meshgate export` as processes: files written, exit 2 naming file and value. */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decide } from '../../src/verdict/decide.js';
import { makeBigResults } from '../__fixtures__/big-results.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let resultsFile: string;
let verdictFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshgate-report-'));
  const results = makeBigResults({ trials: 3 });
  resultsFile = join(dir, 'results.json');
  verdictFile = join(dir, 'verdict.json');
  writeFileSync(resultsFile, JSON.stringify(results));
  writeFileSync(verdictFile, JSON.stringify(decide(results)));
});

describe('meshgate report / export', () => {
  test('report with and without --verdict, export --hlog with --variant', async () => {
    const [withVerdict, computed, exported] = await Promise.all([
      runCli(['report', resultsFile, '--verdict', verdictFile, '--html', join(dir, 'a.html')]),
      runCli(['report', resultsFile, '--html', join(dir, 'b.html')]),
      runCli(['export', resultsFile, '--hlog', join(dir, 'out.hlog'), '--variant', 'head/istio']),
    ]);
    expect(withVerdict).toMatchObject({ code: 0 });
    expect(withVerdict.stdout).toMatch(/^Wrote .*a\.html \(\d+ KiB\)/);
    expect(computed.code).toBe(0);
    // Without --verdict the report computes the same verdict `meshgate check` would.
    const headline = (file: string) =>
      /<p class="badge">([^<]+)</.exec(readFileSync(join(dir, file), 'utf8'))?.[1];
    expect(headline('b.html')).toBe(headline('a.html'));
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('(30 interval histograms)');
    expect(readFileSync(join(dir, 'out.hlog'), 'utf8')).toMatch(/^#\[Histogram log format version 1\.3\]/);
  });

  test('bad input exits 2 with the file, field or value', async () => {
    const badVerdict = join(dir, 'bad-verdict.json');
    writeFileSync(badVerdict, JSON.stringify({ schema: 'meshgate/verdict@1', verdict: 'maybe' }));
    const runs = await Promise.all([
      runCli(['report', resultsFile]),
      runCli(['report', resultsFile, '--verdict', badVerdict, '--html', join(dir, 'c.html')]),
      runCli(['report', join(dir, 'missing.json'), '--html', join(dir, 'd.html')]),
      runCli(['export', resultsFile, '--hlog', join(dir, 'x.hlog'), '--variant', 'head/consul']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0].stderr).toContain('--html FILE is required');
    expect(runs[1].stderr).toContain(`${badVerdict}: invalid verdict at verdict`);
    expect(runs[2].stderr).toContain('missing.json: cannot read the results file');
    expect(runs[3].stderr).toContain('--variant: no variant "head/consul"');
  });
});
