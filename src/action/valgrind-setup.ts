/**
 * The action installs Valgrind when a profile asks for cost (method callgrind or auto) on platform
 * local and it is missing, and says how long that took: GitHub's Ubuntu images do not ship it.
 * Root runs apt-get itself; others through `sudo -n` (GitHub's runners allow it without a
 * password). Which platform needs it for which profile is the platform's `tools` capability.
 * Only a real runner exercises the install; tests drive it through `install`.
 */
import { SetupError } from '../errors.js';
import type { Profile, PlatformName } from '../profile/types.js';
import { toolsNeeded } from '../platform/registry.js';
import { outputTail, run, type RunResult } from '../system/run-command.js';
import type { Logger } from '../util/log.js';

const INSTALL_TIMEOUT_MS = 10 * 60_000;

export type Installer = (argv: string[]) => Promise<RunResult>;

const asRoot = (argv: string[]): string[] => (process.getuid?.() === 0 ? argv : ['sudo', '-n', ...argv]);

export const aptInstaller: Installer = (argv) => {
  const [program, ...args] = asRoot(argv);
  return run(program, args, {
    timeoutMs: INSTALL_TIMEOUT_MS,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};

/** Seconds spent installing, 0 when Valgrind was there or the profile does not count with it. */
export async function ensureValgrind(
  profile: Profile,
  platform: PlatformName,
  log: Logger,
  install: Installer = aptInstaller,
  version?: () => Promise<string | undefined>,
): Promise<number> {
  const valgrind = toolsNeeded(platform, profile).find((tool) => tool.debianPackage === 'valgrind');
  if (!valgrind) return 0;
  version ??= valgrind.version;
  if (await version()) return 0;
  const started = performance.now();
  log.info('cost: Valgrind is not installed; installing it (apt-get install valgrind)');
  let result = await install(['apt-get', 'install', '-y', '--no-install-recommends', 'valgrind']);
  if (result.exitCode !== 0) {
    // A fresh runner's package lists may be stale: update once and retry.
    await install(['apt-get', 'update']);
    result = await install(['apt-get', 'install', '-y', '--no-install-recommends', 'valgrind']);
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (result.exitCode !== 0 || !(await version()))
    throw new SetupError(
      `cost.method: installing Valgrind failed after ${seconds} s (${outputTail(result, 3) || `exit code ${result.exitCode}`}); ${valgrind.installHint} in an earlier step, or remove the profile's cost section`,
    );
  log.info(`cost: installed ${await version()} in ${seconds} s`);
  return seconds;
}
