/**
 * nginx as a local sidecar: one master and `concurrency` workers per hop, run in the foreground
 * (`-g 'daemon off;'`) with its prefix, pid file, logs and temp files in the hop's directory.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeshSpec } from '../../../profile/types.js';
import type { LocalDataPlane } from './types.js';
import { nginxConfig } from './nginx-config.js';
import { findProxyBinary, requireProxyBinary, versionFrom } from './binary.js';
import { startProxyChain, type ProxyChain, type ProxyFlavour } from './chain.js';

const INSTALL_HINT = 'install it (Debian: apt-get install nginx-light)';

export function nginxVersion(spec: MeshSpec): Promise<string | undefined> {
  return versionFrom(findProxyBinary(spec, 'nginx'), ['-v'], /nginx\/(\S+)/);
}

export async function startNginx(upstreamUrl: string, spec: MeshSpec, ctx: Parameters<LocalDataPlane['start']>[2]): Promise<ProxyChain> {
  const binary = requireProxyBinary(spec, 'nginx', INSTALL_HINT);
  const flavour: ProxyFlavour = {
    proxyName: 'nginx',
    binary,
    version: await nginxVersion(spec),
    async prepareHop(plan, hopDir) {
      const configPath = join(hopDir, 'nginx.conf');
      await writeFile(configPath, nginxConfig({ plan, prefixDir: hopDir, workers: spec.concurrency, accessLog: spec.accessLog }));
      return {
        args: ['-p', `${hopDir}/`, '-c', configPath, '-e', join(hopDir, 'error.log'), '-g', 'daemon off;'],
        errorLogPath: join(hopDir, 'error.log'),
      };
    },
  };
  return startProxyChain(flavour, upstreamUrl, spec, ctx);
}

export const nginxDataPlane: LocalDataPlane = { name: 'nginx', start: startNginx, version: nginxVersion };
