/**
 * Puts recording stand-ins of kind, kubectl, istioctl, linkerd and docker first on PATH for a
 * test, and reads back what they were asked to do.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_NAMES, TOOL_RELEASES } from '../../src/system/tool-versions.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Every cluster tool meshgate installs (its pin table names them, meshes' CLIs included), and docker. */
export const STAND_IN_TOOLS = [...TOOL_NAMES, 'docker'] as const;
/** The versions the stand-ins are by default: the pinned ones (a test may set STANDIN_ISTIO_VERSION …). */
const PINNED = JSON.stringify(Object.fromEntries(TOOL_NAMES.map((tool) => [tool, TOOL_RELEASES[tool].version])));

export interface StandInCall {
  tool: string;
  args: string[];
  stdin: string;
  config?: string;
}

export interface StandIns {
  dir: string;
  binDir: string;
  /** Every call so far, in order. */
  calls(): StandInCall[];
  /** Calls as "tool arg arg …" lines without kubectl's --context prefix. */
  lines(): string[];
  set(variable: string, value: unknown): void;
  restore(): void;
}

/**
 * Stand-ins whose pods run (pods.mjs): a generator Job's containers become local processes, the
 * sample workload's Deployment a local sample server. `env` is what a process needs to find them
 * (PATH and the STANDIN_* variables); nothing in this process's environment changes.
 */
export interface RunningStandIns {
  dir: string;
  env: Record<string, string>;
  calls(): StandInCall[];
  lines(): string[];
  /** Images pulled onto nodes by pods, in order. */
  pulls(): { pod: string; namespace: string; node: string; image: string; owner: { kind: string; name: string } }[];
  /** Pods whose runner still has a process group. */
  livePods(): string[];
  /** Stop every pod still running and remove the directory. */
  remove(): void;
}

const readLines = <T>(path: string): T[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as T)
    : [];

function writeWrappers(binDir: string): void {
  const script = join(here, 'stand-in.mjs');
  mkdirSync(binDir, { recursive: true });
  for (const tool of STAND_IN_TOOLS) {
    const path = join(binDir, tool);
    writeFileSync(path, `#!/bin/sh\nexport STANDIN_PINS='${PINNED}'\nexec "${process.execPath}" "${script}" ${tool} "$@"\n`);
    chmodSync(path, 0o755);
  }
}

/** Process groups with a member that has not exited (zombies, never reaped here, do not count). */
function liveGroups(): Set<number> {
  const groups = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && state !== 'X') groups.add(Number(pgrp));
    } catch {
      // exited while we looked
    }
  }
  return groups;
}

/** Every pod runner started under `state` (pods.mjs records them) whose process group still runs. */
function podRunners(state: string): { pod: string; pid: number }[] {
  const live = liveGroups();
  return readLines<{ pod: string; pid: number }>(join(state, 'runners.jsonl')).filter((runner) => live.has(runner.pid));
}

export function createRunningStandIns(): RunningStandIns {
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-standins-'));
  const binDir = join(dir, 'bin');
  writeWrappers(binDir);
  const log = join(dir, 'calls.jsonl');
  const state = join(dir, 'state');
  const env = {
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
    STANDIN_LOG: log,
    STANDIN_STATE: state,
    STANDIN_FIXTURES: join(here, 'fixtures'),
    STANDIN_RUN_PODS: '1',
  };
  const calls = () => readLines<StandInCall>(log);
  return {
    dir,
    env,
    calls,
    lines: () => calls().map((call) => [call.tool, ...(call.args[0] === '--context' ? call.args.slice(2) : call.args)].join(' ')),
    pulls: () => readLines(join(state, 'pulls.jsonl')),
    livePods: () => podRunners(state).map((runner) => runner.pod),
    remove: () => {
      for (const runner of podRunners(state))
        try {
          process.kill(-runner.pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function installStandIns(trials: object[] | { byJob: object[][] }): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-standins-'));
  const binDir = join(dir, 'bin');
  writeWrappers(binDir);
  const saved = { ...process.env };
  const log = join(dir, 'calls.jsonl');
  writeFileSync(join(dir, 'trials.json'), JSON.stringify(trials));
  Object.assign(process.env, {
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
    STANDIN_LOG: log,
    STANDIN_STATE: join(dir, 'state'),
    STANDIN_TRIALS: join(dir, 'trials.json'),
    STANDIN_FIXTURES: join(here, 'fixtures'),
  });
  const calls = (): StandInCall[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as StandInCall)
      : [];
  return {
    dir,
    binDir,
    calls,
    lines: () =>
      calls().map((call) =>
        [call.tool, ...(call.args[0] === '--context' ? call.args.slice(2) : call.args)].join(' '),
      ),
    set: (variable, value) =>
      (process.env[variable] = typeof value === 'string' ? value : JSON.stringify(value)),
    restore: () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
