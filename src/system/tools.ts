/**
 * Finds or installs the cluster tools. A tool already on PATH is used as it is (that is how test
 * stand-ins and preinstalled runner tools are picked up, unless `preferPath` is false); otherwise
 * the pinned release from tool-versions.ts is downloaded with @actions/tool-cache, its sha256
 * checked, and cached between runs. Downloads only happen on a real runner or laptop: this
 * repository's tests always find stand-ins on PATH.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as tc from '@actions/tool-cache';
import { SetupError, errorMessage } from '../errors.js';
import type { Logger } from '../util/log.js';
import { commandSinkActive, run } from './run-command.js';
import { TOOL_RELEASES, type ToolName, type ToolPlatform } from './tool-versions.js';

export interface ToolOptions {
  log: Logger;
  /** Version overrides (e.g. from action inputs or a mesh's `version`). */
  versions?: Partial<Record<ToolName, string>>;
  /** Use a tool found on PATH (default true). */
  preferPath?: boolean;
  /** A token for GitHub's API (the action's github-token; the CLI: $GITHUB_TOKEN), to read asset digests. */
  githubToken?: string;
}

/** The executable named `name` on PATH, or undefined. */
export function findOnPath(name: string, pathValue = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathValue.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function toolPlatform(arch = process.arch, platform = process.platform): ToolPlatform {
  if (platform !== 'linux')
    throw new SetupError(
      `kind and kubernetes platforms need Linux to download tools (this is ${platform}); put kind/kubectl on PATH`,
    );
  if (arch === 'x64') return 'linux-amd64';
  if (arch === 'arm64') return 'linux-arm64';
  throw new SetupError(`no ${arch} builds of the cluster tools are pinned; put them on PATH`);
}

/** tool-cache wants semver-like versions: v0.29.0 → 0.29.0, edge-25.5.2 → 25.5.2. */
export function cacheVersion(version: string): string {
  return version.replace(/^[^0-9]*/, '');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function ensureCacheEnvironment(): void {
  // Outside GitHub Actions (the CLI), tool-cache needs these two directories too.
  const base = join(homedir(), '.cache', 'meshgate');
  process.env.RUNNER_TOOL_CACHE ??= join(base, 'tools');
  process.env.RUNNER_TEMP ??= join(base, 'tmp');
}

/**
 * Where downloads go instead of their real hosts: only the tests' release-server stand-in sets
 * this (`https://github.com/x` → `<origin>/github.com/x`), so that the real download and
 * verification code runs against it. Nothing a user controls reaches it.
 */
let hostOrigin: string | undefined;
export function redirectReleaseHosts(origin: string | undefined): void {
  hostOrigin = origin;
}
function address(url: string): string {
  return hostOrigin ? url.replace(/^https:\/\//, `${hostOrigin}/`) : url;
}

/** GitHub's REST API for github.com, where the pinned tools are released (not a GHES server's API). */
const GITHUB_API = 'https://api.github.com';

export type Verification =
  | { how: 'pinned'; sha256: string }
  | { how: 'file'; url: string; why: string }
  | { how: 'github-digest'; api: string; asset: string; why: string }
  | { how: 'missing' };

/**
 * How a download of `name` `version` is verified. The pinned version of every tool has its
 * checksums in tool-versions.ts; a pin missing there is an error (the table is incomplete) —
 * unless the table says why that version is not pinned yet (`unpinned`). Such a version, and a
 * version the user chose (the tool-versions input or flag, a mesh's `version`), is verified
 * against what its release publishes: a checksum file, or (Linkerd) the asset's digest in
 * GitHub's releases API. The log and the dry run say which.
 */
export function verificationOf(name: ToolName, version: string, platform: ToolPlatform): Verification {
  const release = TOOL_RELEASES[name];
  const pinned = version === release.version ? release.sha256[platform] : undefined;
  if (pinned) return { how: 'pinned', sha256: pinned };
  if (version === release.version && !release.unpinned) return { how: 'missing' };
  const why = version === release.version ? `${release.unpinned}` : 'not the pinned version';
  const published = release.published;
  if (published.kind === 'file') return { how: 'file', url: published.url(version, platform), why };
  return {
    how: 'github-digest',
    api: `${GITHUB_API}/repos/${published.repo}/releases/tags/${encodeURIComponent(version)}`,
    asset: published.asset(version, platform),
    why,
  };
}

/** One line for the log and the dry run: how the binary will be checked. */
export function describeVerification(verification: Verification): string {
  switch (verification.how) {
    case 'pinned':
      return `sha256=${verification.sha256}`;
    case 'file':
      return `sha256=from ${verification.url} (${verification.why})`;
    case 'github-digest':
      return `sha256=the digest of asset ${verification.asset} in GET ${verification.api} (${verification.why})`;
    case 'missing':
      return 'sha256=NOT PINNED (the run would stop here)';
  }
}

interface ReleaseJson {
  assets?: { name?: unknown; digest?: unknown }[];
}

/** The asset's sha256 from GitHub's releases API (`digest`: "sha256:<64 hex>"). */
async function githubDigest(api: string, asset: string, token: string | undefined): Promise<string> {
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'meshgate',
  };
  // The run's token raises the API's rate limit (60 an hour per runner IP without it). It is only
  // sent when it is a github.com token (the run's API is github.com's): a GitHub Enterprise
  // Server token never leaves for another host. Never printed.
  const githubDotCom = (process.env.GITHUB_API_URL ?? GITHUB_API).replace(/\/+$/, '') === GITHUB_API;
  if (token && githubDotCom) headers.authorization = `Bearer ${token}`;
  let response = await fetch(address(api), { headers, signal: AbortSignal.timeout(60_000) });
  // A token for another GitHub (GHES) or without access: the release is public, ask without it.
  if ((response.status === 401 || response.status === 403) && headers.authorization) {
    delete headers.authorization;
    response = await fetch(address(api), { headers, signal: AbortSignal.timeout(60_000) });
  }
  if (!response.ok)
    throw new SetupError(
      `GET ${api} answered HTTP ${response.status}; the release's asset digest could not be read`,
    );
  let release: ReleaseJson;
  try {
    release = (await response.json()) as ReleaseJson;
  } catch {
    throw new SetupError(`GET ${api} did not answer JSON`);
  }
  const entry = Array.isArray(release.assets) ? release.assets.find((a) => a.name === asset) : undefined;
  if (!entry) throw new SetupError(`the release at ${api} has no asset ${asset}`);
  const digest =
    typeof entry.digest === 'string' ? /^sha256:([0-9a-f]{64})$/.exec(entry.digest)?.[1] : undefined;
  if (!digest)
    throw new SetupError(
      `asset ${asset} in ${api} carries no sha256 digest (GitHub records digests for assets uploaded since June 2025); put the tool on PATH or choose another version`,
    );
  return digest;
}

/** The sha256 a download must have (see verificationOf). */
async function expectedSha256(
  name: ToolName,
  version: string,
  platform: ToolPlatform,
  options: ToolOptions,
): Promise<string> {
  const release = TOOL_RELEASES[name];
  const verification = verificationOf(name, version, platform);
  switch (verification.how) {
    case 'pinned':
      return verification.sha256;
    case 'missing':
      throw new SetupError(
        `${name} ${version} has no pinned sha256 for ${platform} in src/system/tool-versions.ts: pin the sha256 of ${release.url(version, platform)} there, or choose a version with tool-versions (${name}=<version>), which is verified against what its release publishes`,
      );
    case 'github-digest':
      options.log.warn(
        `${name} ${version}: ${verification.why}; verifying against the digest GitHub's releases API gives for ${verification.asset}`,
      );
      return githubDigest(
        verification.api,
        verification.asset,
        options.githubToken ?? process.env.GITHUB_TOKEN,
      );
    case 'file': {
      options.log.warn(
        `${name} ${version}: ${verification.why}; verifying against the release's published checksum ${verification.url}`,
      );
      const file = await tc.downloadTool(address(verification.url));
      const hash = readFileSync(file, 'utf8').trim().split(/\s+/)[0] ?? '';
      if (!/^[0-9a-f]{64}$/.test(hash))
        throw new SetupError(`${verification.url} does not hold a sha256 checksum`);
      return hash;
    }
  }
}

async function download(name: ToolName, version: string, options: ToolOptions): Promise<string> {
  const { log } = options;
  const release = TOOL_RELEASES[name];
  const platform = toolPlatform();
  const url = release.url(version, platform);
  log.info(`installing ${name} ${version} from ${url}`);
  // Checked before the download: a missing pin fails without fetching anything.
  const expected = await expectedSha256(name, version, platform, options);
  const file = await tc.downloadTool(address(url));
  const actual = await sha256OfFile(file);
  if (actual !== expected)
    throw new SetupError(
      `${name} ${version} from ${url} has sha256 ${actual}, expected ${expected}; check the pinned checksum in src/system/tool-versions.ts`,
    );
  let binary = file;
  if (release.archive === 'tar.gz') binary = join(await tc.extractTar(file), release.entry ?? name);
  const dir = await tc.cacheFile(binary, name, name, cacheVersion(version), platform.split('-')[1]);
  const path = join(dir, name);
  await chmod(path, 0o755);
  return path;
}

/** Absolute path of a usable `name` executable. */
export async function resolveTool(name: ToolName, options: ToolOptions): Promise<string> {
  if (options.preferPath !== false) {
    const onPath = findOnPath(name);
    if (onPath) {
      options.log.debug(`${name}: using ${onPath} from PATH`);
      return onPath;
    }
  }
  const version = options.versions?.[name] ?? TOOL_RELEASES[name].version;
  if (commandSinkActive()) {
    // A dry run downloads nothing: it names what would be installed.
    const platform = toolPlatform();
    const how = describeVerification(verificationOf(name, version, platform));
    await run('download', [TOOL_RELEASES[name].url(version, platform), how], { timeoutMs: 0 });
    return name;
  }
  ensureCacheEnvironment();
  const arch = toolPlatform().split('-')[1];
  const cached = tc.find(name, cacheVersion(version), arch);
  if (cached) return join(cached, name);
  try {
    return await download(name, version, options);
  } catch (error) {
    if (error instanceof SetupError) throw error;
    throw new SetupError(
      `could not install ${name} ${version}: ${errorMessage(error)}; check the runner's network and the version`,
    );
  }
}

export type ToolPaths = Partial<Record<ToolName, string>> & { kubectl: string };

/** Resolve several tools at once (kubectl always). */
export async function resolveTools(names: ToolName[], options: ToolOptions): Promise<ToolPaths> {
  const paths: Partial<Record<ToolName, string>> = {};
  for (const name of new Set<ToolName>(['kubectl', ...names])) paths[name] = await resolveTool(name, options);
  return paths as ToolPaths;
}
