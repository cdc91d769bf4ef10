/**
 * HAProxy as a local sidecar: one process per hop in the foreground (`-db`), `concurrency`
 * threads, its access log (stdout) written to a file in the hop's directory.
 */
import { openSync, closeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeshSpec } from '../../../profile/types.js';
import { haproxyConfig } from './haproxy-config.js';
import type { LocalDataPlane, LocalDataPlaneContext } from './types.js';
import { findProxyBinary, requireProxyBinary, versionFrom } from './binary.js';
import { startProxyChain, type ProxyChain, type ProxyFlavour } from './chain.js';

const INSTALL_HINT = 'install it (Debian: apt-get install haproxy)';

export function haproxyVersion(spec: MeshSpec): Promise<string | undefined> {
  return versionFrom(findProxyBinary(spec, 'haproxy'), ['-v'], /HAProxy version (\S+)/);
}

export async function startHaproxy(upstreamUrl: string, spec: MeshSpec, ctx: LocalDataPlaneContext): Promise<ProxyChain> {
  const binary = requireProxyBinary(spec, 'haproxy', INSTALL_HINT);
  const openFds: number[] = [];
  const flavour: ProxyFlavour = {
    proxyName: 'haproxy',
    binary,
    version: await haproxyVersion(spec),
    async prepareHop(plan, hopDir) {
      const configPath = join(hopDir, 'haproxy.cfg');
      const pidFile = join(hopDir, 'haproxy.pid');
      await writeFile(configPath, haproxyConfig({ plan, pidFile, threads: spec.concurrency, accessLog: spec.accessLog }));
      // stdout (the access log, and startup warnings) to a file; stderr stays piped for errors.
      const stdoutFd = openSync(join(hopDir, 'stdout.log'), 'a');
      openFds.push(stdoutFd);
      return { args: ['-db', '-f', configPath], errorLogPath: join(hopDir, 'stdout.log'), stdoutFd };
    },
  };
  try {
    return await startProxyChain(flavour, upstreamUrl, spec, ctx);
  } finally {
    for (const fd of openFds) closeSync(fd); // the children hold their own copies
  }
}

export const haproxyDataPlane: LocalDataPlane = { name: 'haproxy', start: startHaproxy, version: haproxyVersion };
