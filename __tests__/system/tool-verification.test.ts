// How each cluster tool's download is verified, against a stand-in of the release hosts that
// answers 404 for files the real releases lack (Linkerd's .sha256 files since edge-25.9.4).
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SetupError } from '../../src/errors.js';
import { planRun } from '../../src/platform/registry.js';
import { loadProfile } from '../../src/profile/load.js';
import { TOOL_RELEASES } from '../../src/system/tool-versions.js';
import { redirectReleaseHosts, resolveTool, toolPlatform } from '../../src/system/tools.js';
import { memoryLogger } from '../../src/util/log.js';
import { ReleaseServer } from '../__stand-ins__/release-server.js';

const releases = new ReleaseServer();
let cache: string;
const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP };

beforeAll(async () => {
  releases.addLinkerd(TOOL_RELEASES.linkerd.version);
  releases.addLinkerd('edge-25.9.3'); // the last edge release with .sha256 files
  releases.addLinkerd('edge-25.5.2', { digest: false }); // uploaded before GitHub recorded digests
  releases.addKind(TOOL_RELEASES.kind.version);
  releases.addIstio(TOOL_RELEASES.istioctl.version);
  releases.addKubectl(TOOL_RELEASES.kubectl.version);
  redirectReleaseHosts(await releases.start());
});
afterAll(async () => {
  redirectReleaseHosts(undefined);
  await releases.stop();
});
const freshCache = () => {
  cache = mkdtempSync(join(tmpdir(), 'meshgate-toolcache-'));
  process.env.RUNNER_TOOL_CACHE = join(cache, 'tools');
  process.env.RUNNER_TEMP = join(cache, 'tmp');
};
afterEach(() => {
  process.env.RUNNER_TOOL_CACHE = saved.cache;
  process.env.RUNNER_TEMP = saved.temp;
  if (process.env.RUNNER_TOOL_CACHE === undefined) delete process.env.RUNNER_TOOL_CACHE;
  if (process.env.RUNNER_TEMP === undefined) delete process.env.RUNNER_TEMP;
  if (cache) rmSync(cache, { recursive: true, force: true });
});

test('the stand-in release host has no .sha256 for Linkerd from edge-25.9.4 on, as the real one', async () => {
  const binary = `https://github.com/linkerd/linkerd2/releases/download/edge-25.10.2/linkerd2-cli-edge-25.10.2-linux-amd64`;
  expect(await releases.exists(binary)).toBe(true);
  expect(await releases.exists(`${binary}.sha256`)).toBe(false);
  expect(await releases.exists(binary.replaceAll('25.10.2', '25.9.3') + '.sha256')).toBe(true);
});

test('the pinned Linkerd CLI installs, verified by the digest GitHub gives its release asset', async () => {
  freshCache();
  const log = memoryLogger();
  const before = releases.requests.length;
  const path = await resolveTool('linkerd', { log, preferPath: false });
  const requests = releases.requests.slice(before);
  expect(readFileSync(path, 'utf8')).toContain(`linkerd2-cli-edge-25.10.2-${toolPlatform()}`);
  expect(requests).toContain('api.github.com/repos/linkerd/linkerd2/releases/tags/edge-25.10.2');
  expect(requests.some((r) => r.endsWith('.sha256'))).toBe(false);
  expect(log.lines.join('\n')).toContain("verifying against the digest GitHub's releases API gives");
});

test('a Linkerd binary that does not match its digest, a release without digests, or no release stops the install', async () => {
  freshCache();
  const name = `linkerd2-cli-edge-25.10.2-${toolPlatform()}`;
  const file = releases.files.get(`github.com/linkerd/linkerd2/releases/download/edge-25.10.2/${name}`)!;
  file.served = Buffer.from('#!/bin/sh\necho altered\n');
  try {
    const altered = await resolveTool('linkerd', { log: memoryLogger(), preferPath: false }).catch(
      (e: unknown) => e,
    );
    expect(altered).toBeInstanceOf(SetupError);
    expect((altered as Error).message).toMatch(
      new RegExp(
        `linkerd edge-25.10.2 from https://github.com/\\S+/${name} has sha256 [0-9a-f]{64}, expected [0-9a-f]{64}`,
      ),
    );
  } finally {
    delete file.served;
  }
  const old = await resolveTool('linkerd', {
    log: memoryLogger(),
    preferPath: false,
    versions: { linkerd: 'edge-25.5.2' },
  }).catch((e: unknown) => e);
  expect(old).toBeInstanceOf(SetupError);
  expect((old as Error).message).toContain(
    `asset linkerd2-cli-edge-25.5.2-${toolPlatform()} in https://api.github.com/repos/linkerd/linkerd2/releases/tags/edge-25.5.2 carries no sha256 digest`,
  );
  const unknown = await resolveTool('linkerd', {
    log: memoryLogger(),
    preferPath: false,
    versions: { linkerd: 'edge-99.1.1' },
  }).catch((e: unknown) => e);
  expect((unknown as Error).message).toContain('answered HTTP 404');
});

test.each(['kind-istio', 'kind-istio-ambient', 'kind-istio-envoyfilter', 'kind-linkerd', 'kind-none'])(
  '--dry-run of profiles/%s.yaml names how each binary is verified, with no address the real release lacks',
  async (name) => {
    const lines: string[] = [];
    const profile = await loadProfile(`profiles/${name}.yaml`);
    await planRun('kind', profile, {
      log: memoryLogger(),
      write: (text) => lines.push(text),
      platformOptions: { kind: { preferPathTools: false } },
    });
    const downloads = lines
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('$ download '));
    expect(downloads.length).toBeGreaterThanOrEqual(2); // kind and kubectl at least
    for (const line of downloads) {
      expect(line).toMatch(
        / '?sha256=(?:[0-9a-f]{64}|from https:\/\/\S+ \(|the digest of asset \S+ in GET https:\/\/api\.github\.com\/\S+ \()/,
      );
      for (const url of line.match(/https:\/\/\S+/g) ?? [])
        expect({ url, exists: await releases.exists(url) }).toEqual({ url, exists: true });
      const asset = / the digest of asset (\S+) in GET (\S+)/.exec(line);
      if (asset) {
        const release = (await (await fetch(asset[2].replace('https://', `${releases.origin}/`))).json()) as {
          assets: { name: string; digest: string | null }[];
        };
        expect(release.assets.find((a) => a.name === asset[1])?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      }
    }
    if (name === 'kind-linkerd') expect(downloads.join('\n')).toContain('linkerd2-cli-edge-25.10.2');
  },
  60_000,
);

test("the token goes to github.com's API only when it is a github.com token, and is never printed", async () => {
  const seen: (string | undefined)[] = [];
  const server = (await import('node:http')).createServer((request, response) => {
    seen.push(request.headers.authorization);
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  redirectReleaseHosts(origin);
  const savedApi = process.env.GITHUB_API_URL;
  try {
    freshCache();
    const log = memoryLogger();
    process.env.GITHUB_API_URL = 'https://ghes.example.com/api/v3';
    await resolveTool('linkerd', { log, preferPath: false, githubToken: 'ghs_enterprise_secret' }).catch(
      () => undefined,
    );
    delete process.env.GITHUB_API_URL;
    await resolveTool('linkerd', { log, preferPath: false, githubToken: 'ghs_dotcom_secret' }).catch(
      () => undefined,
    );
    expect(seen).toEqual([undefined, 'Bearer ghs_dotcom_secret']);
    expect(log.lines.join('\n')).not.toContain('secret');
  } finally {
    if (savedApi === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = savedApi;
    redirectReleaseHosts(releases.origin);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
