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
 * The sha256 a download must have. The pinned version of every tool has its checksums in
 * tool-versions.ts; a pin missing there is an error (the table is incomplete), never a reason to
 * trust a checksum file from the same place as the binary — unless the table says why that
 * version is not pinned yet (`unpinned`). Such a version, and a version the user chose (the
 * tool-versions input or flag, a mesh's `version`), is verified against the checksum file its
 * release publishes, and the log says so.
 */
async function expectedSha256(
  name: ToolName,
  version: string,
  platform: ToolPlatform,
  log: Logger,
): Promise<string> {
  const release = TOOL_RELEASES[name];
  const pinned = version === release.version ? release.sha256[platform] : undefined;
  if (pinned) return pinned;
  if (version === release.version) {
    if (!release.unpinned)
      throw new SetupError(
        `${name} ${version} has no pinned sha256 for ${platform} in src/system/tool-versions.ts: pin the sha256 of ${release.url(version, platform)} there, or choose a version with tool-versions (${name}=<version>), which is verified against its release's checksum file`,
      );
  }
  const url = release.checksumUrl(version, platform);
  const why = version === release.version ? `${release.unpinned}` : 'not the pinned version';
  log.warn(`${name} ${version}: ${why}; verifying against the release's published checksum ${url}`);
  const file = await tc.downloadTool(url);
  const hash = readFileSync(file, 'utf8').trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new SetupError(`${url} does not hold a sha256 checksum`);
  return hash;
}

async function download(name: ToolName, version: string, log: Logger): Promise<string> {
  const release = TOOL_RELEASES[name];
  const platform = toolPlatform();
  const url = release.url(version, platform);
  log.info(`installing ${name} ${version} from ${url}`);
  // Checked before the download: a missing pin fails without fetching anything.
  const expected = await expectedSha256(name, version, platform, log);
  const file = await tc.downloadTool(url);
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
    const pinned = TOOL_RELEASES[name].sha256[platform];
    const release = TOOL_RELEASES[name];
    const checksum =
      version === release.version && pinned
        ? pinned
        : version !== release.version || release.unpinned
          ? `from ${release.checksumUrl(version, platform)}${version === release.version ? ' (not pinned yet)' : ''}`
          : 'NOT PINNED (the run would stop here)';
    await run('download', [TOOL_RELEASES[name].url(version, platform), `sha256=${checksum}`], { timeoutMs: 0 });
    return name;
  }
  ensureCacheEnvironment();
  const arch = toolPlatform().split('-')[1];
  const cached = tc.find(name, cacheVersion(version), arch);
  if (cached) return join(cached, name);
  try {
    return await download(name, version, options.log);
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
