/**
 * HAProxy as a local sidecar: one process per hop in the foreground (`-db`), `concurrency`
 * threads, its access log (stdout) written to a file in the hop's directory. A mesh entry's own
 * files (user-config.ts) are written into the generated config (`include` in the frontend,
 * `global_include` in the global section) or replace it (`config`), and are checked with
 * `haproxy -c` before the hop starts.
 */
import { openSync, closeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HAPROXY } from '../../catalog/proxies/haproxy.js';
import type { MeshSpec } from '../../../profile/types.js';
import { haproxyConfig } from './haproxy-config.js';
import type { LocalDataPlane, LocalDataPlaneContext } from './types.js';
import { findProxyBinary, proxyBinaryMissing, requireProxyBinary, versionFrom } from './binary.js';
import { startProxyChain, type ProxyChain, type ProxyFlavour } from './chain.js';
import type { HopPlan } from './topology.js';
import { checkEachHop } from './hop-config-check.js';
import { checkUserSpec, checkWithProxy, fieldOf, renderUserFile } from './user-config.js';
import { checkHaproxyFile, RUN_PROFILE_CODE_FLAG, TRUSTED, type CheckPolicy } from './check-policy.js';

const INSTALL_HINT = 'install it (Debian: apt-get install haproxy)';

export function haproxyVersion(spec: MeshSpec): Promise<string | undefined> {
  return versionFrom(findProxyBinary(spec, HAPROXY.binary), ['-v'], /HAProxy version (\S+)/);
}

/** Write one hop's config (the user's files rendered into it); returns its path. */
export async function writeHaproxyConfig(plan: HopPlan, hopDir: string, spec: MeshSpec): Promise<string> {
  const configPath = join(hopDir, 'haproxy.cfg');
  const files = spec.dataPlane;
  const render = (key: 'config' | 'include' | 'globalInclude') =>
    files?.[key] ? renderUserFile(files, key, plan, hopDir) : Promise.resolve(undefined);
  const full = await render('config');
  const text =
    full ??
    haproxyConfig({
      plan,
      pidFile: join(hopDir, 'haproxy.pid'),
      threads: spec.concurrency,
      accessLog: spec.accessLog,
      include: await render('include'),
      globalInclude: await render('globalInclude'),
    });
  await writeFile(configPath, text.endsWith('\n') ? text : `${text}\n`);
  return configPath;
}

export async function checkHaproxyConfig(
  spec: MeshSpec,
  workDir: string,
  policy: CheckPolicy = TRUSTED,
): Promise<void> {
  if (!spec.dataPlane) return;
  checkUserSpec(spec);
  const files = spec.dataPlane;
  const binary = findProxyBinary(spec, HAPROXY.binary);
  await checkEachHop(spec, workDir, async (plan, hopDir) => {
    const configPath = await writeHaproxyConfig(plan, hopDir, spec);
    // What haproxy -c would load, before it runs (check-policy.ts).
    const lua: string[] = [];
    for (const key of ['config', 'include', 'globalInclude'] as const) {
      if (!files[key]) continue;
      const text = await renderUserFile(files, key, plan, hopDir);
      lua.push(
        ...checkHaproxyFile(
          text,
          (line) => `${fieldOf(files, key)} (${files[key]}), line ${line}`,
          workDir,
          policy,
        ),
      );
    }
    if (!binary) return;
    if (!policy.trusted && spec.binary)
      return policy.note?.(
        `${files.field}: haproxy -c not run: ${spec.binary} is the profile's own program (mesh ${spec.id} binary); pass ${RUN_PROFILE_CODE_FLAG} to run it`,
      );
    if (!policy.trusted && lua.length > 0)
      return policy.note?.(
        `${files.field}: ${plan.role}: haproxy -c not run: it would run ${lua.join(', ')} (lua-load); meshgate run checks it before starting, or pass ${RUN_PROFILE_CODE_FLAG}`,
      );
    policy.running?.(`${files.field}: ${plan.role}: runs ${binary} -c -f ${configPath}`);
    await checkWithProxy('haproxy', binary, ['-c', '-f', configPath], files);
  });
}

export async function startHaproxy(
  upstreamUrl: string,
  spec: MeshSpec,
  ctx: LocalDataPlaneContext,
): Promise<ProxyChain> {
  checkUserSpec(spec);
  const binary = requireProxyBinary(spec, HAPROXY.binary, INSTALL_HINT);
  const openFds: number[] = [];
  const flavour: ProxyFlavour = {
    proxyName: 'haproxy',
    binary,
    version: await haproxyVersion(spec),
    async prepareHop(plan, hopDir) {
      const configPath = await writeHaproxyConfig(plan, hopDir, spec);
      if (spec.dataPlane) await checkWithProxy('haproxy', binary, ['-c', '-f', configPath], spec.dataPlane);
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

export const haproxyDataPlane: LocalDataPlane = {
  name: HAPROXY.name,
  start: startHaproxy,
  version: haproxyVersion,
  checkConfig: checkHaproxyConfig,
  missing: (spec) => proxyBinaryMissing(spec, HAPROXY.binary, INSTALL_HINT),
};
