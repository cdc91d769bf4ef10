import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SetupError } from '../../src/errors.js';
import { resolveTool, resolveTools, cacheVersion, findOnPath, toolPlatform } from '../../src/system/tools.js';
import { TOOL_RELEASES, type ToolName } from '../../src/system/tool-versions.js';
import { run, runChecked } from '../../src/system/run-command.js';
import { memoryLogger } from '../../src/util/log.js';
import { installStandIns, type StandIns } from '../__stand-ins__/install.js';

let standIns: StandIns;
beforeEach(() => {
  standIns = installStandIns([]);
});
afterEach(() => standIns.restore());

test('tools already on PATH are used as they are, without downloads', async () => {
  const log = memoryLogger();
  expect(await resolveTool('kind', { log })).toBe(join(standIns.binDir, 'kind'));
  const paths = await resolveTools(['istioctl', 'linkerd'], { log, versions: { istioctl: '1.26.0' } });
  expect(paths).toEqual({
    kubectl: join(standIns.binDir, 'kubectl'),
    istioctl: join(standIns.binDir, 'istioctl'),
    linkerd: join(standIns.binDir, 'linkerd'),
  });
  expect(findOnPath('no-such-tool-here')).toBeUndefined();
});

test('the pinned table has https URLs and sha256 checksums per platform', () => {
  for (const [name, release] of Object.entries(TOOL_RELEASES) as [
    ToolName,
    (typeof TOOL_RELEASES)[ToolName],
  ][]) {
    expect(release.url(release.version, 'linux-amd64')).toMatch(/^https:\/\//);
    if (release.published.kind === 'file')
      expect(release.published.url(release.version, 'linux-amd64')).toMatch(/^https:\/\/.*\.sha256(sum)?$/);
    for (const hash of Object.values(release.sha256)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(name).toBeTruthy();
  }
  expect(TOOL_RELEASES.kubectl.url('v1.33.0', 'linux-arm64')).toBe(
    'https://dl.k8s.io/release/v1.33.0/bin/linux/arm64/kubectl',
  );
  expect(TOOL_RELEASES.istioctl.url('1.27.1', 'linux-amd64')).toBe(
    'https://github.com/istio/istio/releases/download/1.27.1/istioctl-1.27.1-linux-amd64.tar.gz',
  );
  expect(cacheVersion('v0.29.0')).toBe('0.29.0');
  expect(cacheVersion('edge-25.5.2')).toBe('25.5.2');
  expect(toolPlatform('x64', 'linux')).toBe('linux-amd64');
  expect(() => toolPlatform('x64', 'win32')).toThrow(/need Linux/);
});

test('run passes argv and stdin without a shell and captures output; runChecked fails with the tail and a hint', async () => {
  const result = await run('kubectl', ['apply', '-f', '-', '$(touch /tmp/never)', ';', 'rm'], {
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    timeoutMs: 10_000,
  });
  expect(result.exitCode).toBe(0);
  expect(standIns.calls()[0]).toMatchObject({
    tool: 'kubectl',
    args: ['apply', '-f', '-', '$(touch /tmp/never)', ';', 'rm'],
    stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
  });
  standIns.set('STANDIN_FAIL', [
    {
      tool: 'kind',
      match: 'create',
      exit: 2,
      stderr: 'ERROR: failed to create cluster: node(s) already exist',
    },
  ]);
  await expect(
    runChecked('kind', ['create', 'cluster'], { timeoutMs: 10_000, hint: 'kind get clusters' }),
  ).rejects.toThrow(
    '`kind create cluster` failed (exit code 2):\nERROR: failed to create cluster: node(s) already exist\nCheck: kind get clusters',
  );
  await expect(run('/nonexistent/tool', [], { timeoutMs: 1000 })).rejects.toThrow(/could not start tool/);
});

test('the pinned version of a tool without its sha256 stops before anything is downloaded, naming the pin table', async () => {
  const pins = TOOL_RELEASES.kind.sha256;
  const cache = mkdtempSync(join(tmpdir(), 'meshgate-toolcache-'));
  standIns.set('RUNNER_TOOL_CACHE', join(cache, 'tools'));
  standIns.set('RUNNER_TEMP', join(cache, 'tmp'));
  TOOL_RELEASES.kind.sha256 = {};
  try {
    const failure = await resolveTool('kind', { log: memoryLogger(), preferPath: false }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SetupError);
    expect((failure as Error).message).toContain(
      `kind v0.29.0 has no pinned sha256 for ${toolPlatform()} in src/system/tool-versions.ts`,
    );
    expect(existsSync(join(cache, 'tmp'))).toBe(false); // nothing was fetched
  } finally {
    TOOL_RELEASES.kind.sha256 = pins;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('every tool in the pin table has its sha256 for both platforms, or says why not', () => {
  for (const [name, release] of Object.entries(TOOL_RELEASES)) {
    const pinned = ['linux-amd64', 'linux-arm64'].every((p) =>
      /^[0-9a-f]{64}$/.test(release.sha256[p as 'linux-amd64'] ?? ''),
    );
    expect({ name, ok: pinned || (release.unpinned ?? '').length > 0 }).toEqual({ name, ok: true });
  }
  // kind and kubectl are pinned; the reason is only for what could not be pinned.
  expect(TOOL_RELEASES.kind.unpinned).toBeUndefined();
  expect(TOOL_RELEASES.kubectl.unpinned).toBeUndefined();
});
