/**
 * nginx as a local sidecar: one master and `concurrency` workers per hop, run in the foreground
 * (`-g 'daemon off;'`) with its prefix, pid file, logs and temp files in the hop's directory.
 * A mesh entry's own files (user-config.ts) are either included into the generated config
 * (`include` in the http block, `global_include` in the main context) or replace it (`config`),
 * and are checked with `nginx -t` before the hop starts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NGINX } from '../../catalog/proxies/nginx.js';
import type { MeshSpec } from '../../../profile/types.js';
import type { LocalDataPlane } from './types.js';
import { nginxConfig } from './nginx-config.js';
import { findProxyBinary, proxyBinaryMissing, requireProxyBinary, versionFrom } from './binary.js';
import { startProxyChain, type HopLaunch, type ProxyChain, type ProxyFlavour } from './chain.js';
import type { HopPlan } from './topology.js';
import { checkEachHop } from './hop-config-check.js';
import { checkUserSpec, checkWithProxy, fieldOf, renderUserFile } from './user-config.js';
import { checkNginxFiles, RUN_PROFILE_CODE_FLAG, TRUSTED, type CheckPolicy } from './check-policy.js';

const INSTALL_HINT = 'install it (Debian: apt-get install nginx-light)';

export function nginxVersion(spec: MeshSpec): Promise<string | undefined> {
  return versionFrom(findProxyBinary(spec, NGINX.binary), ['-v'], /nginx\/(\S+)/);
}

/** Write one hop's config (the user's files rendered into it) and return how to run it. */
export async function prepareNginxHop(plan: HopPlan, hopDir: string, spec: MeshSpec): Promise<HopLaunch> {
  const configPath = join(hopDir, 'nginx.conf');
  const files = spec.dataPlane;
  const errorLogPath = join(hopDir, 'error.log');
  // A full config gets its pid file from the command line, like meshgate's own sets it in the file.
  const globals = files?.config ? `daemon off; pid ${join(hopDir, 'nginx.pid')};` : 'daemon off;';
  if (files?.config) {
    await writeFile(configPath, await renderUserFile(files, 'config', plan, hopDir));
  } else {
    const fragment = async (key: 'include' | 'globalInclude', name: string) => {
      if (!files?.[key]) return undefined;
      const path = join(hopDir, name);
      await writeFile(path, await renderUserFile(files, key, plan, hopDir));
      return path;
    };
    const include = await fragment('include', 'user-http.conf');
    const globalInclude = await fragment('globalInclude', 'user-main.conf');
    await writeFile(
      configPath,
      nginxConfig({
        plan,
        prefixDir: hopDir,
        workers: spec.concurrency,
        accessLog: spec.accessLog,
        include,
        globalInclude,
      }),
    );
  }
  return { args: ['-p', `${hopDir}/`, '-c', configPath, '-e', errorLogPath, '-g', globals], errorLogPath };
}

/** `nginx -t` on a hop's config, with the user's paths in the message instead of the copies'. */
async function checkNginxHop(
  binary: string,
  launch: HopLaunch,
  hopDir: string,
  spec: MeshSpec,
): Promise<void> {
  const files = spec.dataPlane;
  if (!files) return;
  const renamed = Object.fromEntries(
    (
      [
        ['user-http.conf', files.include],
        ['user-main.conf', files.globalInclude],
        ['nginx.conf', files.config],
      ] as const
    )
      .filter(([, original]) => original)
      .map(([copy, original]) => [join(hopDir, copy), original!]),
  );
  await checkWithProxy('nginx', binary, ['-t', '-q', ...launch.args], files, renamed);
}

export async function checkNginxConfig(
  spec: MeshSpec,
  workDir: string,
  policy: CheckPolicy = TRUSTED,
): Promise<void> {
  if (!spec.dataPlane) return;
  checkUserSpec(spec);
  const files = spec.dataPlane;
  // The profile's own nginx is a program of the profile's: run only when trusted.
  const binary = findProxyBinary(spec, NGINX.binary);
  const runnable = binary && (policy.trusted || !spec.binary);
  if (binary && !runnable)
    policy.note?.(
      `${files.field}: nginx -t not run: ${spec.binary} is the profile's own program (mesh ${spec.id} binary); pass ${RUN_PROFILE_CODE_FLAG} to run it`,
    );
  const systemNginx = spec.binary ? findProxyBinary({ ...spec, binary: undefined }, NGINX.binary) : binary;
  await checkEachHop(spec, workDir, async (plan, hopDir) => {
    const launch = await prepareNginxHop(plan, hopDir, spec);
    // What nginx -t would load or write, before it runs (check-policy.ts).
    for (const key of ['config', 'include', 'globalInclude'] as const) {
      if (!files[key]) continue;
      const text = await renderUserFile(files, key, plan, hopDir);
      checkNginxFiles(
        {
          text,
          where: (line) => `${fieldOf(files, key)} (${files[key]}), line ${line}`,
          prefixDir: hopDir,
          workDir,
        },
        policy,
        systemNginx,
      );
    }
    if (binary && runnable) {
      policy.running?.(`${files.field}: ${plan.role}: runs ${binary} -t -q ${launch.args.join(' ')}`);
      await checkNginxHop(binary, launch, hopDir, spec);
    }
  });
}

export async function startNginx(
  upstreamUrl: string,
  spec: MeshSpec,
  ctx: Parameters<LocalDataPlane['start']>[2],
): Promise<ProxyChain> {
  checkUserSpec(spec);
  const binary = requireProxyBinary(spec, NGINX.binary, INSTALL_HINT);
  const flavour: ProxyFlavour = {
    proxyName: 'nginx',
    binary,
    version: await nginxVersion(spec),
    async prepareHop(plan, hopDir) {
      const launch = await prepareNginxHop(plan, hopDir, spec);
      await checkNginxHop(binary, launch, hopDir, spec);
      if (!ctx.counting) return launch;
      // Counted: one process serves (a forked worker is out of the counting tool's reach).
      const globals = launch.args.length - 1;
      return {
        ...launch,
        args: [...launch.args.slice(0, globals), `${launch.args[globals]} master_process off;`],
      };
    },
  };
  return startProxyChain(flavour, upstreamUrl, spec, ctx);
}

export const nginxDataPlane: LocalDataPlane = {
  name: NGINX.name,
  start: startNginx,
  version: nginxVersion,
  checkConfig: checkNginxConfig,
  missing: (spec) => proxyBinaryMissing(spec, NGINX.binary, INSTALL_HINT),
};
