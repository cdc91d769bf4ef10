// The artifact transport's download with the real @actions/artifact client against the API
// stand-in (REST 302 to a blob serving the zip): the zip is saved as is and read within
// ARTIFACT_LIMITS. A hostile zip writes nothing, leaves no temporary directory, and costs
// little time and memory; one past the size bound is not even fetched.
import { afterAll, beforeAll, describe, expect, it, jest, test } from '@jest/globals';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';
import { craftZip, deflateBomb, overlappingZip } from '../helpers/hostile-zips.js';

const api = new GitHubApiStandIn();
const saved = { ...process.env };
let modules: {
  client: typeof import('../../src/github/client.js');
  artifacts: typeof import('../../src/github/artifacts.js');
};
let scratch = '';
let caseNumber = 0;

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true); // @actions/* log lines
  await api.start();
  process.env.GITHUB_API_URL = api.url; // read by @actions/github when first imported
  delete process.env.GITHUB_SERVER_URL;
  // The transport's own temporary directories land here, to see that none is left.
  scratch = await mkdtemp(join(tmpdir(), 'meshgate-artifacts-test-'));
  process.env.TMPDIR = join(scratch, 'tmp');
  await mkdir(process.env.TMPDIR);
  modules = {
    client: await import('../../src/github/client.js'),
    artifacts: await import('../../src/github/artifacts.js'),
  };
});
afterAll(async () => {
  process.env = saved;
  await api.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function download(zip: Buffer, files = ['handoff.json', 'results.json']) {
  const run = api.addRun({ headSha: 'c'.repeat(40), event: 'pull_request' });
  api.addArtifact(run.id, 'meshgate-pr-x', zip);
  const client = modules.client.createGitHubClient('token-1', api.url);
  const transport = modules.artifacts.githubArtifactTransport(client, { owner: api.owner, repo: api.repo }, 'token-1');
  const [artifact] = await transport.listForRun(run.id);
  const directory = join(scratch, `out-${caseNumber++}`);
  await mkdir(directory);
  const started = Date.now();
  const rssBefore = process.memoryUsage().rss;
  const outcome = await transport.download(artifact, directory, files).then(
    () => undefined,
    (error: Error) => error.message,
  );
  return {
    outcome,
    ms: Date.now() - started,
    rssGrowthMb: (process.memoryUsage().rss - rssBefore) / 1024 / 1024,
    written: await readdir(directory),
    leftBehind: await readdir(process.env.TMPDIR!),
  };
}

describe('download', () => {
  it('writes only the files asked for, read from a deflated zip with data descriptors', async () => {
    const zip = craftZip([
      { name: 'handoff.json', data: Buffer.from('{}'), deflate: true, flags: 0x8 },
      { name: 'results.json', data: Buffer.from('[]'), deflate: true, flags: 0x8 },
      { name: 'baseline.json', data: Buffer.from('"forged"') },
    ]);
    const result = await download(zip);
    expect(result.outcome).toBeUndefined();
    expect(result.written.sort()).toEqual(['handoff.json', 'results.json']);
    expect(result.leftBehind).toEqual([]);
  });

  describe('hostile zips', () => {
    let bomb: Buffer;
    beforeAll(async () => {
      bomb = await deflateBomb(2048 * 1024 * 1024); // 2 GiB of zeros, about 2 MB deflated
    }, 120_000);

    test.each<[string, () => Buffer, RegExp]>([
      ['a 2 MB deflate bomb lying about its size', () => craftZip([{ name: 'results.json', compressed: bomb, declaredBytes: 4096, crc: 0 }]), /entry "results\.json": inflates past its declared 4096 bytes/],
      ['a 2 MB deflate bomb declaring 2 GiB', () => craftZip([{ name: 'results.json', compressed: bomb, declaredBytes: 0x7fffffff, crc: 0 }]), /declares 2147483647 bytes, more than 67108864/],
      ['50,000 empty entries', () => craftZip(Array.from({ length: 50_000 }, (_, i) => ({ name: `e/${i}` }))), /50000 entries, more than 32/],
      ['a "../" entry', () => craftZip([{ name: 'handoff.json', data: Buffer.from('{}') }, { name: '../../../../tmp/pwned.json', data: Buffer.from('{}') }]), /a path outside the artifact/],
      ['overlapping entries', overlappingZip, /overlaps another entry/],
    ])('%s: refused, nothing written, nothing left', async (_name, make, expected) => {
      const result = await download(make());
      expect(result.outcome).toMatch(/^zip of artifact meshgate-pr-x: /);
      expect(result.outcome).toMatch(expected);
      expect(result.written).toEqual([]);
      expect(result.leftBehind).toEqual([]);
      expect(result.ms).toBeLessThan(2000);
      // The zip itself (a few MB) is read; nothing like the 2 GiB it could inflate to.
      expect(result.rssGrowthMb).toBeLessThan(100);
    }, 30_000);
  });

  it('a zip larger than the bound is not fetched', async () => {
    const client = modules.client.createGitHubClient('token-1', api.url);
    const transport = modules.artifacts.githubArtifactTransport(client, { owner: api.owner, repo: api.repo }, 'token-1');
    const before = api.requests.length;
    const size = modules.artifacts.ARTIFACT_LIMITS.zipBytes + 1;
    await expect(
      transport.download({ id: 1, name: 'meshgate-pr-x', runId: 1, expired: false, sizeBytes: size }, scratch, ['results.json']),
    ).rejects.toThrow(`zip of artifact meshgate-pr-x: ${size} bytes, more than`);
    expect(api.requests.length).toBe(before);
  });

  it('only top-level names are asked for', async () => {
    const client = modules.client.createGitHubClient('token-1', api.url);
    const transport = modules.artifacts.githubArtifactTransport(client, { owner: api.owner, repo: api.repo }, 'token-1');
    await expect(
      transport.download({ id: 1, name: 'x', runId: 1, expired: false, sizeBytes: 1 }, scratch, ['../results.json']),
    ).rejects.toThrow('not a top-level file name');
  });
});
