/**
 * Envoy as a local sidecar: one process per hop with `concurrency` worker threads, hot restart
 * off (no shared memory between instances), logs in the hop's directory. Envoy is not packaged
 * by Debian: the binary comes from PATH or the mesh's `binary`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeshSpec } from '../../../profile/types.js';
import { envoyConfig } from './envoy-config.js';
import type { LocalDataPlane, LocalDataPlaneContext } from './types.js';
import { findProxyBinary, requireProxyBinary, versionFrom } from './binary.js';
import { startProxyChain, type HopLaunch, type ProxyChain, type ProxyFlavour } from './chain.js';
import type { HopPlan } from './topology.js';

const INSTALL_HINT = 'put an Envoy build on PATH (e.g. from https://github.com/envoyproxy/envoy/releases)';

export function envoyVersion(spec: MeshSpec): Promise<string | undefined> {
  return versionFrom(findProxyBinary(spec, 'envoy'), ['--version'], /version: [0-9a-f]+\/(\S+?)\//);
}

/** Write one hop's bootstrap and return how to run it (exported for tests without Envoy). */
export async function prepareEnvoyHop(plan: HopPlan, hopDir: string, spec: MeshSpec): Promise<HopLaunch> {
  const configPath = join(hopDir, 'envoy.json');
  const accessLogPath = spec.accessLog ? join(hopDir, 'access.log') : undefined;
  await writeFile(configPath, JSON.stringify(envoyConfig({ plan, accessLogPath }), null, 2));
  const logPath = join(hopDir, 'envoy.log');
  return {
    args: [
      ...['-c', configPath, '--disable-hot-restart', '--log-path', logPath, '-l', 'warning'],
      ...(spec.concurrency ? ['--concurrency', String(spec.concurrency)] : []),
    ],
    errorLogPath: logPath,
  };
}

export async function startEnvoy(upstreamUrl: string, spec: MeshSpec, ctx: LocalDataPlaneContext): Promise<ProxyChain> {
  const flavour: ProxyFlavour = {
    proxyName: 'envoy',
    binary: requireProxyBinary(spec, 'envoy', INSTALL_HINT),
    version: await envoyVersion(spec),
    prepareHop: prepareEnvoyHop,
  };
  return startProxyChain(flavour, upstreamUrl, spec, ctx);
}

export const envoyDataPlane: LocalDataPlane = { name: 'envoy', start: startEnvoy, version: envoyVersion };
