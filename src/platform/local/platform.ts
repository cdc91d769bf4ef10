/**
 * `platform: local` — the system under test runs as processes on this machine: the workload's
 * builds (the built-in sample server, a command, or a URL already running) and, per mesh variant,
 * local proxies in front of them. Load comes from the in-process engine (worker threads).
 */
import { SetupError, UserError } from '../../errors.js';
import { runLoad } from '../../load/engine.js';
import { loadProtocolOf } from '../../load/protocols/registry.js';
import { DeathWatch } from './death-watch.js';
import type { LoadJob, LoadTrial } from '../../load/types.js';
import { localDataPlane, localDataPlaneNames } from './proxies/registry.js';
import type { RunningDataPlane } from './proxies/types.js';
import type { CheckPolicy } from './proxies/check-policy.js';
import type { BuildSpec, DataPlaneFiles, MeshSpec, Profile } from '../../profile/types.js';
import type { Environment } from '../../results/schema.js';
import { nodeArgsFor } from '../../util/entry.js';
import { spawnManaged, untilAborted, untilReadyOrExit, type ManagedProcess } from '../../system/processes.js';
import { allowedCpus, pinnedCommand, pinProcess, planPinning, type PinningPlan } from './pinning.js';
import { freePort, waitForHttp, type ReadinessProbe } from '../../system/readiness.js';
import { sampleProcessResources, type MeasuredWindow } from './resources.js';
import { variantsOf } from '../data-plane-variants.js';
import {
  keepPartialCost,
  partialCostOf,
  runCostPhase,
  type CountedProcess,
  type Wrap,
} from './cost/phase.js';
import type { VariantCost } from '../../results/schema.js';
import type {
  BuildName,
  Platform,
  PlatformCapabilities,
  PlatformContext,
  ResourceSampler,
  Target,
} from '../types.js';
import { valgrindVersion, VALGRIND_INSTALL_HINT } from './cost/callgrind.js';

const READY_TIMEOUT_MS = 30_000;

// Shared with the cluster platform (data-plane-variants.ts); re-exported for existing callers.
export { variantsOf };

/**
 * Check every data plane's user files with its proxy's own check mode before anything starts
 * (the platform's prepare, and `meshgate validate`). Exit 2 naming the field when one is invalid.
 */
export async function validateDataPlaneConfigs(
  meshes: readonly MeshSpec[],
  workDir: string,
  policy?: CheckPolicy,
): Promise<number> {
  let checked = 0;
  for (const [, mesh] of variantsOf('head', meshes)) {
    const plane = mesh.dataPlane && localDataPlane(mesh.name);
    if (!plane) continue;
    await plane.checkConfig(mesh, workDir, policy);
    checked++;
  }
  return checked;
}

/** What platform local can do beyond measuring (platform/types.ts). */
export const LOCAL_CAPABILITIES = {
  validate: async (profile, workDir, policy) => {
    // A profile for this platform whose proxy is not installed: `run` would stop (exit 3) before
    // measuring; validate says so now (the action's runner or the user may install it first).
    if (profile.platform === 'local') {
      const said = new Set<string>();
      for (const [, mesh] of variantsOf('head', profile.mesh)) {
        const missing = localDataPlane(mesh.name)?.missing(mesh);
        if (!missing || said.has(missing)) continue;
        said.add(missing);
        policy.warn?.(`${missing}; until then \`meshgate run\` here stops before measuring (exit 3)`);
      }
    }
    return validateDataPlaneConfigs(profile.mesh, workDir, policy);
  },
  noPlan: 'only starts processes on this machine',
  tools: [
    {
      name: 'Valgrind',
      // Counting with callgrind (method callgrind, or auto where perf is not chosen).
      neededBy: (profile) => Boolean(profile.cost) && profile.cost?.method !== 'perf',
      version: () => valgrindVersion(),
      debianPackage: 'valgrind',
      installHint: VALGRIND_INSTALL_HINT,
    },
  ],
} as const satisfies PlatformCapabilities;

const describeFiles = (files: DataPlaneFiles): string =>
  (['config', 'include', 'globalInclude'] as const)
    .filter((key) => files[key])
    .map((key) => `${key} ${files[key]}`)
    .join(', ') || 'stock config';

export class LocalPlatform implements Platform {
  readonly name = 'local';
  private readonly processes: ManagedProcess[] = [];
  /** Each build's application and each variant's proxies: the first death ends the run. */
  private readonly deaths = new DeathWatch();
  private signal?: AbortSignal;
  private readonly dataPlanes = new Map<string, RunningDataPlane>();
  /** Measured part of each variant's latest trial, so resource figures leave out warm-up. */
  private readonly measuredWindows = new Map<string, MeasuredWindow>();
  private readonly versions: Record<string, string> = {};
  /** The application URL each variant's proxies forward to (the cost phase starts its own in front). */
  private readonly appUrls = new Map<string, string>();
  /** The application build each variant runs in front of (mesh builds: one build for both sides). */
  private readonly appBuilds = new Map<string, BuildName>();
  private cleanedUp = false;
  private pinning?: PinningPlan;
  /** The generator's CPU list before pinning, restored at cleanup. */
  private unpinnedCpus?: string;

  /** Start sample servers with h2c (gRPC profiles). */
  private sampleHttp2 = false;
  /** How a build's own server is asked whether it is up: the protocol the load speaks. */
  private probe: ReadinessProbe = 'http1';

  constructor(private readonly ctx: PlatformContext) {}

  async prepare(profile: Profile, signal?: AbortSignal): Promise<Target[]> {
    this.signal = signal;
    this.probe = loadProtocolOf(profile.load).probe;
    for (const mesh of profile.mesh)
      if (mesh.name !== 'none' && !localDataPlane(mesh.name))
        throw new UserError(
          `mesh "${mesh.name}" does not run on platform local; local data planes: none${localDataPlaneNames()
            .map((n) => `, ${n}`)
            .join('')}`,
        );
    if (profile.isolation === 'netns')
      throw new UserError(
        'isolation: netns is not available on platform local: the load generator runs in the root network namespace and may only send to loopback, so no namespace can be a load target here (see docs/local-data-planes.md); use isolation: none',
      );
    if (profile.load.grpc) {
      const proxied = profile.mesh.find((m) => m.name !== 'none');
      if (proxied)
        throw new UserError(
          `load.protocol grpc: the local data planes do not pass gRPC (its trailers) yet; mesh "${proxied.id}" needs platform kind or kubernetes, or use mesh none`,
        );
      this.sampleHttp2 = true; // the sample server answers gRPC on h2c
    }
    await validateDataPlaneConfigs(profile.mesh, this.ctx.workDir);
    if (profile.cpuPinning) await this.pinGenerator();
    const builds = Object.entries(profile.workload.builds) as [BuildName, BuildSpec][];
    const targets: Target[] = [];
    for (const [build, spec] of builds) {
      const appUrl = await this.startBuild(build, spec);
      for (const [side, mesh] of variantsOf(build, profile.mesh)) {
        const variantId = `${side}/${mesh.id}`;
        let url = appUrl;
        if (mesh.name !== 'none') {
          const plane = localDataPlane(mesh.name)!;
          const own = mesh.dataPlane ? ` with ${describeFiles(mesh.dataPlane)}` : '';
          this.ctx.log.info(`starting ${variantId}${own} in front of the ${build} build (${appUrl})`);
          const running = await untilAborted(
            plane.start(appUrl, mesh, {
              log: this.ctx.log,
              workDir: this.ctx.workDir,
              cpuList: this.pinning?.proxies,
            }),
            this.signal,
          );
          // Started after an abort (the race above let go of it): stop it with the rest.
          if (this.signal?.aborted) void running.stop();
          this.dataPlanes.set(variantId, running);
          this.deaths.watch(
            running.died.then(
              (died) => (inFlight) =>
                `${mesh.id} data plane of ${variantId} failed${inFlight ? ` (the trial in flight, ${inFlight}, was abandoned)` : ''}: ${died}`,
            ),
          );
          this.versions[mesh.name] ??= (await plane.version(mesh)) ?? 'unknown';
          url = running.url;
        }
        this.appUrls.set(variantId, appUrl);
        this.appBuilds.set(variantId, build);
        targets.push({ variantId, build: side, mesh, url });
      }
    }
    return targets;
  }

  private async pinGenerator(): Promise<void> {
    this.pinning = planPinning(allowedCpus());
    if (!this.pinning) {
      this.ctx.log.warn('cpu_pinning: only one CPU is available, nothing is pinned');
      return;
    }
    this.unpinnedCpus = await pinProcess(process.pid, this.pinning.generator);
    const { generator, proxies, app } = this.pinning;
    this.ctx.log.info(
      `cpu pinning: load generator on CPU ${generator}, proxies on ${proxies}, app on ${app}`,
    );
  }

  private async startBuild(build: BuildName, spec: BuildSpec): Promise<string> {
    switch (spec.kind) {
      case 'url':
        await waitForHttp(spec.url, `the ${build} build`, READY_TIMEOUT_MS, this.signal, this.probe);
        return spec.url;
      case 'sample':
        return this.startSample(build, spec);
      case 'command':
        return this.startCommand(build, spec);
      case 'image':
        throw new UserError(`workload.builds.${build}.image needs platform kind or kubernetes, not local`);
    }
  }

  private async startSample(build: BuildName, spec: Extract<BuildSpec, { kind: 'sample' }>): Promise<string> {
    let announce: (url: string) => void = () => undefined;
    const announced = new Promise<string>((resolve) => (announce = resolve));
    const args = [
      ...nodeArgsFor('sample-server'),
      ...['--host', '127.0.0.1', '--port', '0', '--delay-ms', String(spec.delayMs)],
      ...['--jitter-ms', String(spec.jitterMs), '--response-bytes', String(spec.responseBytes)],
      ...(spec.concurrency !== undefined ? ['--concurrency', String(spec.concurrency)] : []),
      ...(this.sampleHttp2 ? ['--http2'] : []),
    ];
    const [program, argv] = pinnedCommand(this.pinning?.app, process.execPath, args);
    const proc = spawnManaged(`sample server (${build})`, program, argv, {
      onStdoutLine: (line) => {
        const match = /^listening (\S+)/.exec(line);
        if (match) announce(match[1]);
      },
    });
    this.processes.push(proc);
    const timeout = setTimeout(() => announce(''), READY_TIMEOUT_MS);
    const url = await untilReadyOrExit(
      proc,
      announced,
      `the sample server for the ${build} build`,
      this.signal,
    ).finally(() => clearTimeout(timeout));
    if (!url) throw new SetupError(`the sample server for the ${build} build did not start within 30 s`);
    this.watchBuild(proc);
    this.ctx.log.info(`${build} build: sample server (delay ${spec.delayMs} ms) at ${url}`);
    return url;
  }

  private async startCommand(
    build: BuildName,
    spec: Extract<BuildSpec, { kind: 'command' }>,
  ): Promise<string> {
    const { port, program, rest, env } = await commandLaunch(spec);
    const [pinnedProgram, argv] = pinnedCommand(this.pinning?.app, program, rest);
    const proc = spawnManaged(`${build} build (${program})`, pinnedProgram, argv, { env });
    this.processes.push(proc);
    const url = `http://127.0.0.1:${port}`;
    await untilReadyOrExit(
      proc,
      waitForHttp(
        `${url}${spec.readyPath}`,
        `the ${build} build (${spec.command.join(' ')})`,
        READY_TIMEOUT_MS,
        this.signal,
        this.probe,
      ),
      `the ${build} build (${program})`,
      this.signal,
    );
    this.watchBuild(proc);
    this.ctx.log.info(`${build} build: ${spec.command.join(' ')} at ${url}`);
    return url;
  }

  /**
   * A build's application, watched like the proxies from the moment it is ready: if it exits,
   * the run ends with exit 3 naming it (otherwise every remaining trial would run against
   * nothing, or a proxy's 502s be judged a regression). A URL build is not ours to watch.
   */
  private watchBuild(proc: ManagedProcess): void {
    this.deaths.watch(
      proc.exited.then((how) => (inFlight) => {
        const tail = proc.outputTail().split('\n').slice(-3).join(' | ').slice(0, 300);
        return `${proc.name} exited during the run (${how.signal ?? `exit code ${how.code}`})${inFlight ? `; the trial in flight (${inFlight}) was abandoned` : ''}${tail ? `; its last output: ${tail}` : ''}`;
      }),
    );
  }

  async runTrial(target: Target, job: LoadJob, signal: AbortSignal): Promise<LoadTrial> {
    const trial = await this.deaths.during(target.variantId, signal, (trialSignal) =>
      runLoad(job, { signal: trialSignal }),
    );
    if (this.dataPlanes.has(target.variantId))
      this.measuredWindows.set(target.variantId, {
        startEpochMs: Date.parse(trial.startTime),
        endEpochMs: Date.parse(trial.endTime),
      });
    return trial;
  }

  sampleResources(target: Target): ResourceSampler | undefined {
    const plane = this.dataPlanes.get(target.variantId);
    if (!plane) return undefined;
    this.measuredWindows.delete(target.variantId);
    return sampleProcessResources(
      () => plane.pids(),
      plane.description,
      () => this.measuredWindows.get(target.variantId),
    );
  }

  async measureCost(
    profile: Profile,
    targets: readonly Target[],
    signal: AbortSignal,
  ): Promise<Map<string, VariantCost>> {
    const cost = profile.cost;
    if (!cost) return new Map();
    const variants = targets
      .filter((t) => (t.mesh.name !== 'none' || cost.workload) && this.appUrls.has(t.variantId))
      .map((t) => {
        const build = this.appBuilds.get(t.variantId)!;
        const spec = profile.workload.builds[build];
        // The profile refuses cost.workload for anything but native command builds (cost-schema.ts).
        const workload =
          cost.workload && spec?.kind === 'command'
            ? { label: `${build} build`, start: (wrap?: Wrap) => this.startCountedCommand(build, spec, wrap) }
            : undefined;
        return {
          variantId: t.variantId,
          mesh: t.mesh,
          appUrl: this.appUrls.get(t.variantId)!,
          ...(workload ? { workload } : {}),
        };
      });
    if (variants.length === 0) {
      this.ctx.log.warn(
        'cost: no variant has a local proxy to count (mesh none runs no data plane; cost.workload counts the application)',
      );
      return new Map();
    }
    // The application builds stay watched: one dying ends the phase like a trial (exit 3).
    let failure: unknown;
    try {
      return await this.deaths.during('the cost phase', signal, (phaseSignal) =>
        runCostPhase(variants, {
          spec: profile.cost!,
          request: profile.load.request,
          log: this.ctx.log,
          workDir: this.ctx.workDir,
          signal: phaseSignal,
        }).catch((error: unknown) => {
          failure = error;
          throw error;
        }),
      );
    } catch (error) {
      keepPartialCost(error, partialCostOf(failure));
      throw error;
    }
  }

  /** Another instance of a command build for the cost phase, run through `wrap` (the counting tool). */
  private async startCountedCommand(
    build: BuildName,
    spec: Extract<BuildSpec, { kind: 'command' }>,
    wrap?: Wrap,
  ): Promise<CountedProcess> {
    const { port, program, rest, env } = await commandLaunch(spec);
    const [wrapped, argv] = wrap ? wrap(program, rest) : [program, rest];
    const proc = spawnManaged(`${build} build (${program}), counted`, wrapped, argv, { env });
    const url = `http://127.0.0.1:${port}`;
    try {
      // Under Callgrind start-up runs several times slower: twice the usual wait.
      await untilReadyOrExit(
        proc,
        waitForHttp(
          `${url}${spec.readyPath}`,
          `the counted ${build} build`,
          2 * READY_TIMEOUT_MS,
          this.signal,
        ),
        proc.name,
        this.signal,
      );
    } catch (error) {
      await proc.stop();
      throw error;
    }
    let stopping = false;
    return {
      url,
      pid: proc.pid,
      died: proc.exited.then(
        (how) =>
          new Promise<string>((resolve) =>
            stopping
              ? undefined
              : resolve(
                  `${proc.name}, pid ${proc.pid}, exited unexpectedly (${how.signal ?? `exit code ${how.code}`})`,
                ),
          ),
      ),
      stop: async () => {
        stopping = true;
        await proc.stop();
      },
    };
  }

  async describe(): Promise<Partial<Environment>> {
    return { platform: 'local', meshVersions: { ...this.versions } };
  }

  async cleanup(): Promise<void> {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    this.deaths.close();
    await Promise.allSettled([...this.dataPlanes.values()].map((plane) => plane.stop()));
    // An application may ignore SIGTERM (3 s grace). Interrupted before cleanup: 1 s, so the run
    // still ends within 2 s of the Ctrl-C; interrupted during cleanup: killed at once.
    const interrupted = this.signal?.aborted === true;
    await Promise.allSettled(
      this.processes.map((proc) => (interrupted ? proc.stop(1000) : proc.stop(undefined, this.signal))),
    );
    if (this.unpinnedCpus) await pinProcess(process.pid, this.unpinnedCpus).catch(() => undefined);
  }
}

/** A command build's program, arguments and environment on a free port ({port} and PORT filled in). */
async function commandLaunch(spec: Extract<BuildSpec, { kind: 'command' }>) {
  const port = await freePort();
  const fill = (text: string) => text.replaceAll('{port}', String(port));
  const [program, ...rest] = spec.command.map(fill);
  const env = {
    ...process.env,
    PORT: String(port),
    ...Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fill(v)])),
  };
  return { port, program, rest, env };
}
