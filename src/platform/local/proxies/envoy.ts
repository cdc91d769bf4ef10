/**
 * Envoy as a local sidecar: one process per hop with `concurrency` worker threads, hot restart
 * off (no shared memory between instances), logs in the hop's directory. Envoy is not packaged
 * by Debian: the binary comes from PATH or the mesh's `binary`. A mesh entry's own files add
 * HTTP filters before the router (`include`) or replace the bootstrap (`config`); they are
 * checked by envoy-user-config.ts and, before the hop starts, by `envoy --mode validate`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeshSpec } from '../../../profile/types.js';
import { envoyConfig } from './envoy-config.js';
import { checkEnvoyBootstrap, parseEnvoyFilters } from './envoy-user-config.js';
import type { LocalDataPlane, LocalDataPlaneContext } from './types.js';
import { findProxyBinary, proxyBinaryMissing, requireProxyBinary, versionFrom } from './binary.js';
import { startProxyChain, type HopLaunch, type ProxyChain, type ProxyFlavour } from './chain.js';
import type { HopPlan } from './topology.js';
import { checkEachHop } from './hop-config-check.js';
import { checkUserSpec, checkWithProxy, renderUserFile } from './user-config.js';
import { envoyLoadsCode, RUN_PROFILE_CODE_FLAG, TRUSTED, type CheckPolicy } from './check-policy.js';
import { readFile } from 'node:fs/promises';
import { ENVOY } from '../../catalog/proxies/envoy.js';

const INSTALL_HINT = 'put an Envoy build on PATH (e.g. from https://github.com/envoyproxy/envoy/releases)';

export function envoyVersion(spec: MeshSpec): Promise<string | undefined> {
  return versionFrom(findProxyBinary(spec, ENVOY.binary), ['--version'], /version: [0-9a-f]+\/(\S+?)\//);
}

/** Write one hop's bootstrap and return how to run it (exported for tests without Envoy). */
export async function prepareEnvoyHop(plan: HopPlan, hopDir: string, spec: MeshSpec): Promise<HopLaunch> {
  checkUserSpec(spec);
  const configPath = join(hopDir, 'envoy.json');
  const accessLogPath = spec.accessLog ? join(hopDir, 'access.log') : undefined;
  const files = spec.dataPlane;
  if (files?.config) {
    const text = await renderUserFile(files, 'config', plan, hopDir);
    checkEnvoyBootstrap(text, files);
    await writeFile(configPath, text);
  } else {
    const httpFilters = files?.include
      ? parseEnvoyFilters(await renderUserFile(files, 'include', plan, hopDir), files)
      : [];
    await writeFile(configPath, JSON.stringify(envoyConfig({ plan, accessLogPath, httpFilters }), null, 2));
  }
  const logPath = join(hopDir, 'envoy.log');
  return {
    args: [
      ...['-c', configPath, '--disable-hot-restart', '--log-path', logPath, '-l', 'warning'],
      ...(spec.concurrency ? ['--concurrency', String(spec.concurrency)] : []),
    ],
    errorLogPath: logPath,
  };
}

const validateArgs = (launch: HopLaunch) => ['--mode', 'validate', ...launch.args.slice(0, 2), '-l', 'error'];

/** Without an envoy binary only envoy-user-config.ts's checks run (shape, local files). */
export async function checkEnvoyConfig(
  spec: MeshSpec,
  workDir: string,
  policy: CheckPolicy = TRUSTED,
): Promise<void> {
  if (!spec.dataPlane) return;
  const files = spec.dataPlane;
  const binary = findProxyBinary(spec, ENVOY.binary);
  await checkEachHop(spec, workDir, async (plan, hopDir) => {
    const launch = await prepareEnvoyHop(plan, hopDir, spec);
    if (!binary) return;
    if (!policy.trusted && spec.binary)
      return policy.note?.(
        `${files.field}: envoy --mode validate not run: ${spec.binary} is the profile's own program (mesh ${spec.id} binary); pass ${RUN_PROFILE_CODE_FLAG} to run it`,
      );
    // Envoy compiles (Lua: runs the chunk's top level) and starts WASM VMs while validating.
    if (!policy.trusted && envoyLoadsCode(await readFile(launch.args[1], 'utf8')))
      return policy.note?.(
        `${files.field}: ${plan.role}: envoy --mode validate not run: the config loads a Lua or WASM filter, which the check would run; pass ${RUN_PROFILE_CODE_FLAG}`,
      );
    policy.running?.(`${files.field}: ${plan.role}: runs ${binary} ${validateArgs(launch).join(' ')}`);
    await checkWithProxy('envoy', binary, validateArgs(launch), files);
  });
}

export async function startEnvoy(
  upstreamUrl: string,
  spec: MeshSpec,
  ctx: LocalDataPlaneContext,
): Promise<ProxyChain> {
  const binary = requireProxyBinary(spec, ENVOY.binary, INSTALL_HINT);
  const flavour: ProxyFlavour = {
    proxyName: 'envoy',
    binary,
    version: await envoyVersion(spec),
    async prepareHop(plan, hopDir) {
      const launch = await prepareEnvoyHop(plan, hopDir, spec);
      if (spec.dataPlane) await checkWithProxy('envoy', binary, validateArgs(launch), spec.dataPlane);
      return launch;
    },
  };
  return startProxyChain(flavour, upstreamUrl, spec, ctx);
}

export const envoyDataPlane: LocalDataPlane = {
  name: ENVOY.name,
  start: startEnvoy,
  version: envoyVersion,
  checkConfig: checkEnvoyConfig,
  missing: (spec) => proxyBinaryMissing(spec, ENVOY.binary, INSTALL_HINT),
};
