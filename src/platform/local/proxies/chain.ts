/**
 * Starts the proxies of one local data plane, hop by hop (the one nearest the app first), and
 * watches them. Shared by nginx, HAProxy and Envoy: each supplies only how to configure and run
 * one hop. Every process is started with spawnManaged (own process group, argv only) and, on any
 * failure, everything already started is stopped before the error is thrown.
 */
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError, UserError, errorMessage } from '../../../errors.js';
import type { MeshSpec } from '../../../profile/types.js';
import { spawnManaged, untilReadyOrExit, type ManagedProcess } from '../../../system/processes.js';
import { freePort, waitForHttp } from '../../../system/readiness.js';
import { processTree } from '../resources.js';
import type { LocalDataPlaneContext, RunningDataPlane } from './types.js';
import { waitForTcp } from './readiness.js';
import {
  checkSpec,
  describeSpec,
  entryUrl,
  needsTls,
  planHops,
  type HopPlan,
  type HopRole,
} from './topology.js';
import { generateTlsMaterial, type TlsMaterial } from './tls.js';

const READY_TIMEOUT_MS = 20_000;

/** How one hop's proxy is run: its config is already written when this is returned. */
export interface HopLaunch {
  args: string[];
  /** A log whose last lines explain a failure (the proxy's error log). */
  errorLogPath?: string;
  /** Send the proxy's stdout to this file descriptor (e.g. HAProxy's access log) instead of a pipe. */
  stdoutFd?: number;
}

export interface ProxyFlavour {
  proxyName: 'nginx' | 'haproxy' | 'envoy';
  binary: string;
  version?: string;
  prepareHop(plan: HopPlan, hopDir: string, spec: MeshSpec): Promise<HopLaunch>;
}

export interface RunningHop {
  role: HopRole;
  url: string;
  proc: ManagedProcess;
}

/** A running chain; beyond RunningDataPlane, tests and diagnostics see its hops and certificates. */
export interface ProxyChain extends RunningDataPlane {
  hops: RunningHop[];
  tls?: TlsMaterial;
}

async function tailOf(path: string | undefined, lines = 4): Promise<string> {
  if (!path) return '';
  try {
    return (await readFile(path, 'utf8')).trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function isRunning(proc: ManagedProcess): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL'); // a master's orphaned workers, if the master died first
  } catch {
    // already gone
  }
}

export async function startProxyChain(
  flavour: ProxyFlavour,
  upstreamUrl: string,
  spec: MeshSpec,
  ctx: LocalDataPlaneContext,
): Promise<ProxyChain> {
  checkSpec(spec);
  const dir = await mkdtemp(join(ctx.workDir, `${spec.id}-`));
  let tls: TlsMaterial | undefined;
  if (needsTls(spec)) {
    await mkdir(join(dir, 'tls'));
    tls = await generateTlsMaterial(join(dir, 'tls'));
  }
  const ports = await Promise.all(Array.from({ length: spec.hops }, () => freePort()));
  const plans = planHops(spec, upstreamUrl, ports, tls);
  const hops: RunningHop[] = [];
  const errorLogs = new Map<ManagedProcess, string | undefined>();
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const hop of [...hops].reverse()) {
      await hop.proc.stop();
      killGroup(hop.proc.pid);
    }
  };

  try {
    for (const plan of plans) {
      const hopDir = join(dir, plan.role);
      await mkdir(hopDir, { recursive: true });
      const launch = await flavour.prepareHop(plan, hopDir, spec);
      const [program, args] = ctx.counting
        ? ctx.counting.wrap(flavour.binary, launch.args)
        : ctx.cpuList
          ? ['taskset', ['-c', ctx.cpuList, flavour.binary, ...launch.args]]
          : [flavour.binary, launch.args];
      const name = `${flavour.proxyName} ${plan.role} proxy (${spec.id})`;
      const proc = spawnManaged(name, program, args, {
        cwd: hopDir,
        ...(launch.stdoutFd !== undefined ? { stdio: ['ignore', launch.stdoutFd, 'pipe'] } : {}),
      });
      errorLogs.set(proc, launch.errorLogPath);
      const url = `${plan.listen.tls ? 'https' : 'http'}://${plan.listen.host}:${plan.listen.port}`;
      hops.push({ role: plan.role, url, proc });
      await untilReadyOrExit(proc, waitForTcp(plan.listen, name, READY_TIMEOUT_MS), name);
    }
    const url = entryUrl(plans);
    const whole = Promise.all(
      hops.map((hop) => untilReadyOrExit(hop.proc, new Promise(() => undefined), hop.proc.name)),
    );
    await Promise.race([waitForHttp(url, `${spec.id} in front of ${upstreamUrl}`, READY_TIMEOUT_MS), whole]);
  } catch (error) {
    const logs = (await Promise.all(hops.map((hop) => tailOf(errorLogs.get(hop.proc)))))
      .filter(Boolean)
      .join('\n');
    await stop();
    if (error instanceof UserError) throw error; // the user's config was rejected: exit 2, as is
    throw new SetupError(`${errorMessage(error)}${logs ? `\nerror log:\n${logs}` : ''}`);
  }

  const died = new Promise<string>((resolve) => {
    for (const hop of hops)
      void hop.proc.exited.then(async ({ code, signal }) => {
        if (stopping) return;
        killGroup(hop.proc.pid);
        const log = await tailOf(errorLogs.get(hop.proc), 2);
        resolve(
          `${hop.proc.name}, pid ${hop.proc.pid}, exited unexpectedly (${signal ?? `exit code ${code}`})${log ? `; error log: ${log}` : ''}`,
        );
      });
  });
  const processes = hops.length * (flavour.proxyName === 'nginx' ? 1 + (spec.concurrency ?? 1) : 1);
  return {
    url: entryUrl(plans),
    hops: [...hops].reverse(),
    tls,
    pids: () => hops.flatMap((hop) => (isRunning(hop.proc) ? processTree(hop.proc.pid) : [])),
    description: `${flavour.proxyName}${flavour.version ? ` ${flavour.version}` : ''}, ${describeSpec(spec)}, ${processes} process${processes > 1 ? 'es' : ''}`,
    died,
    stop,
  };
}
