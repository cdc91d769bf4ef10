/**
 * Callgrind as a counting method: each counted proxy is started under
 * `valgrind --tool=callgrind --instr-atstart=no`, so start-up runs uninstrumented; after the
 * warm-up `instrumentation on` (what `callgrind_control -i on PID` sends) switches it on. A batch
 * is bracketed by `zero` and `dump` (callgrind_control -z / -d): each dump is a new
 * callgrind.out.<pid>.<n> whose totals are exactly the instructions between the two. Commands go
 * to Valgrind's gdbserver through vgdb; a proxy blocked in epoll_wait is
 * woken with ptrace (root here; on a runner with Yama ptrace_scope 1 vgdb needs the same user or
 * sudo — only a real runner exercises that). Valgrind's gdbserver serves only the process it
 * started, so a proxy must not fork its workers (nginx runs with `master_process off`).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError, UserError } from '../../../errors.js';
import { run } from '../../../system/run-command.js';
import { readCallgrind, type CallgrindDump } from './callgrind-file.js';

const CONTROL_TIMEOUT_MS = 20_000;
export const VALGRIND_INSTALL_HINT = 'install Valgrind (Debian/Ubuntu: apt-get install valgrind)';

/** "valgrind-3.19.0", or undefined when valgrind is not on PATH. */
export async function valgrindVersion(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    const result = await run('valgrind', ['--version'], { timeoutMs: 10_000, env });
    const match = /valgrind-[\d.]+\S*/.exec(result.stdout);
    return result.exitCode === 0 && match ? match[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Exit 2 naming the profile field and what to install, when Valgrind is missing. */
export async function requireValgrind(field: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const version = await valgrindVersion(env);
  if (!version)
    throw new UserError(
      `${field}: callgrind counts instructions with Valgrind, which is not on PATH; ${VALGRIND_INSTALL_HINT}, or remove ${field}`,
    );
  return version;
}

/** The proxy command run under Callgrind, its dumps written to `outDir`. */
export function callgrindCommand(
  outDir: string,
  program: string,
  args: readonly string[],
): [string, string[]] {
  return [
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(outDir, 'callgrind.out.%p')}`,
      '--quiet',
      program,
      ...args,
    ],
  ];
}

/**
 * One Callgrind monitor command through vgdb itself (callgrind_control is a Perl wrapper whose
 * vgdb child would outlive a timeout and hold the pipes open): exit 0 once the command ran.
 */
async function control(pid: number, command: string[], what: string): Promise<void> {
  const result = await run('vgdb', [`--pid=${pid}`, ...command], { timeoutMs: CONTROL_TIMEOUT_MS });
  if (result.exitCode !== 0 || result.timedOut)
    throw new SetupError(
      `vgdb --pid=${pid} ${command.join(' ')} (${what}) failed${result.timedOut ? ` (no answer within ${CONTROL_TIMEOUT_MS / 1000} s)` : ''}: ${(result.stderr || result.stdout).trim().slice(0, 300) || 'no output'}; the counted proxy may be stopped or unreachable for vgdb (ptrace)`,
    );
}

const dumpIndex = (name: string, pid: number): number | undefined => {
  const match = new RegExp(`^callgrind\\.out\\.${pid}\\.(\\d+)$`).exec(name);
  return match ? Number(match[1]) : undefined;
};

/** One Callgrind-run process: instrumentation, zero, dump-and-read. */
export class CallgrindProcess {
  private dumps = 0;
  constructor(
    readonly pid: number,
    private readonly outDir: string,
  ) {}

  instrumentationOn(): Promise<void> {
    return control(this.pid, ['instrumentation', 'on'], 'instrumentation on');
  }

  zero(): Promise<void> {
    return control(this.pid, ['zero'], 'zero');
  }

  /** Dump and read the new file; the dump must be the next one, so no window is misread. */
  async dump(): Promise<CallgrindDump> {
    await control(this.pid, ['dump'], 'dump');
    const indexes = (await readdir(this.outDir))
      .map((name) => dumpIndex(name, this.pid))
      .filter((n) => n !== undefined);
    const latest = Math.max(0, ...indexes);
    if (latest !== this.dumps + 1)
      throw new SetupError(
        `callgrind dump of pid ${this.pid}: expected dump ${this.dumps + 1}, found ${latest}`,
      );
    this.dumps = latest;
    return readCallgrind(join(this.outDir, `callgrind.out.${this.pid}.${latest}`));
  }
}
