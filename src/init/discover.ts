/**
 * What `meshgate init` can find out about a repository by itself: its default branch (from git),
 * a Dockerfile and the port it exposes, and the workflows it already has. Only reads; git is run
 * with an argv array, never through a shell.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Discovered } from './generate.js';

const run = promisify(execFile);

async function git(root: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd: root, timeout: 10_000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** origin's HEAD (what GitHub calls the default branch), else the branch checked out, else main. */
export async function defaultBranch(root: string): Promise<string> {
  const remote = await git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (remote?.startsWith('origin/')) return remote.slice('origin/'.length);
  const current = await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return current ?? 'main';
}

const SKIP = new Set(['.git', 'node_modules', 'vendor', 'dist', 'build', 'target', '.github']);

/** The shallowest Dockerfile (root first, then two levels down), relative to root. */
export async function findDockerfile(root: string, depth = 2, prefix = ''): Promise<string | undefined> {
  let entries;
  try {
    entries = await readdir(join(root, prefix), { withFileTypes: true });
  } catch {
    return undefined;
  }
  const here = entries.find((e) => e.isFile() && e.name === 'Dockerfile');
  if (here) return prefix ? `${prefix}/${here.name}` : here.name;
  if (depth === 0) return undefined;
  for (const entry of entries
    .filter((e) => e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const found = await findDockerfile(root, depth - 1, prefix ? `${prefix}/${entry.name}` : entry.name);
    if (found) return found;
  }
  return undefined;
}

/** The first port of a Dockerfile's EXPOSE line (`EXPOSE 8080` or `EXPOSE 8080/tcp`). */
export function exposedPort(dockerfile: string): number | undefined {
  const match = /^\s*EXPOSE\s+(\d{1,5})(?:\/tcp)?\b/im.exec(dockerfile);
  const port = match ? Number(match[1]) : NaN;
  return port >= 1 && port <= 65535 ? port : undefined;
}

export async function discover(root: string): Promise<Discovered> {
  const dockerfile = await findDockerfile(root);
  let port: number | undefined;
  if (dockerfile) port = exposedPort(await readFile(join(root, dockerfile), 'utf8').catch(() => ''));
  let workflows: string[] = [];
  try {
    workflows = (await readdir(join(root, '.github', 'workflows'))).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    // no workflows yet
  }
  return { defaultBranch: await defaultBranch(root), dockerfile, exposedPort: port, workflows };
}
