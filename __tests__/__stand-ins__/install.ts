/**
 * Puts recording stand-ins of kind, kubectl, istioctl, linkerd and docker first on PATH for a
 * test, and reads back what they were asked to do.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const STAND_IN_TOOLS = ['kind', 'kubectl', 'istioctl', 'linkerd', 'docker'] as const;

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

export function installStandIns(trials: object[] | { byJob: object[][] }): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-standins-'));
  const binDir = join(dir, 'bin');
  const script = join(here, 'stand-in.mjs');
  mkdirSync(binDir, { recursive: true });
  for (const tool of STAND_IN_TOOLS) {
    const path = join(binDir, tool);
    writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${script}" ${tool} "$@"\n`);
    chmodSync(path, 0o755);
  }
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
