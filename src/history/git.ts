/**
 * git, run as a program with an argument array (never through a shell), in a repository of our
 * own making (GIT_DIR): no work tree is checked out, so nothing from the data branch — hooks,
 * attributes, filters, config — ever runs; `core.hooksPath` points nowhere besides.
 *
 * Credentials travel the way actions/checkout gives them to git — an `http.<url>.extraheader`
 * — but in the child's environment (GIT_CONFIG_COUNT/KEY/VALUE, git ≥ 2.31), never on its command
 * line (where `ps` shows it) and never in a file.
 */
import { spawn } from 'node:child_process';

export interface GitRemote {
  /** Repository URL or path (tests: a bare repository on disk). */
  url: string;
  /** `AUTHORIZATION: basic …` for URLs under `authScope` (https only). */
  authHeader?: string;
  authScope?: string;
}

export interface GitResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'github-actions[bot]',
  GIT_AUTHOR_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'github-actions[bot]',
  GIT_COMMITTER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
};

export class GitError extends Error {}

export function gitEnvironment(
  gitDir: string,
  remote: GitRemote,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const config: [string, string][] = [
    ['core.hooksPath', '/dev/null'],
    ['protocol.ext.allow', 'never'],
    ['gc.auto', '0'],
  ];
  if (remote.authHeader && remote.authScope)
    config.push([`http.${remote.authScope}.extraheader`, remote.authHeader]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C',
    LC_ALL: 'C',
    GIT_DIR: gitDir,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: String(config.length),
    ...IDENTITY,
    ...extra,
  };
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Run git; resolves with its exit code, output as bytes, and errors as text. */
export function runGit(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { stdin?: string | Buffer; timeoutMs?: number } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new GitError(`could not start git: ${error.message}; the history needs git on PATH`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.on('error', () => {}); // git may exit before reading all of it
    child.stdin.end(options.stdin ?? '');
  });
}

/** The last line git wrote to stderr, with any URL's credentials removed. */
export function gitFailure(args: readonly string[], result: GitResult): string {
  const line = result.stderr
    .trim()
    .split('\n')
    .slice(-3)
    .join(' / ')
    .replace(/\/\/[^/@\s]*@/g, '//');
  return `git ${args[0]} failed (exit ${result.code}): ${line.slice(0, 400)}`;
}

/** Run git and return its output as text; throws a GitError naming the command when it fails. */
export async function gitText(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
): Promise<string> {
  const result = await runGit(args, env, { stdin });
  if (result.code !== 0) throw new GitError(gitFailure(args, result));
  return result.stdout.toString('utf8');
}
