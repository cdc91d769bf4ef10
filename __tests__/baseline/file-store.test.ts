// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBaselineStore } from '../../src/baseline/file-store.js';
import { noBaselineStore } from '../../src/baseline/store.js';
import { fixtureResults } from './fixture-results.js';

describe('file baseline store', () => {
  it.each([
    ['missing', undefined, 'missing', 'No baseline yet'],
    ['valid', JSON.stringify(fixtureResults()), 'found', 'Baseline: `base.json`'],
    ['corrupt', '{"schema"', 'unusable', 'unusable'],
    ['another profile', JSON.stringify(fixtureResults('other')), 'unusable', 'unusable'],
  ])('%s file', async (_name, content, status, note) => {
    const directory = await mkdtemp(join(tmpdir(), 'meshgate-file-store-'));
    if (content !== undefined) await writeFile(join(directory, 'base.json'), content);
    const lookup = await fileBaselineStore('base.json', directory).load('echo-p99');
    expect(lookup.status).toBe(status);
    expect(lookup.note).toContain(note);
    if (lookup.status === 'unusable') expect(lookup.warning).toContain('base.json');
  });

  it('saves by copying the results file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'meshgate-file-store-'));
    await writeFile(join(directory, 'results.json'), JSON.stringify(fixtureResults()));
    await fileBaselineStore('baselines/echo.json', directory).save(
      fixtureResults(),
      join(directory, 'results.json'),
    );
    expect(JSON.parse(await readFile(join(directory, 'baselines/echo.json'), 'utf8')).profile.name).toBe(
      'echo-p99',
    );
  });

  it('none: off, said plainly', async () => {
    expect(await noBaselineStore.load('x')).toMatchObject({
      status: 'missing',
      note: expect.stringContaining('baseline: none'),
    });
  });
});
