/**
 * Checking a data plane's user files before anything starts (`meshgate validate`, and the local
 * platform before it starts the application): every hop's config is generated as it would be
 * for the run — placeholders filled, certificates made when TLS is on — in a throw-away folder,
 * and handed to the proxy's own check. Ports are picked but never bound.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeshSpec } from '../../../profile/types.js';
import { freePort } from '../../../system/readiness.js';
import { generateTlsMaterial } from './tls.js';
import { needsTls, planHops, type HopPlan } from './topology.js';

/** The app's address in a dry run: nothing listens there and nothing is sent to it. */
const DRY_RUN_APP = 'http://127.0.0.1:9';

/** Call `check` with each hop's plan and folder, then remove the folder. */
export async function checkEachHop(
  spec: MeshSpec,
  workDir: string,
  check: (plan: HopPlan, hopDir: string) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(workDir, `check-${spec.id}-`));
  try {
    const tls = needsTls(spec)
      ? (await mkdir(join(dir, 'tls')), await generateTlsMaterial(join(dir, 'tls')))
      : undefined;
    const ports = await Promise.all(Array.from({ length: spec.hops }, () => freePort()));
    for (const plan of planHops(spec, DRY_RUN_APP, ports, tls)) {
      const hopDir = join(dir, plan.role);
      await mkdir(hopDir, { recursive: true });
      await check(plan, hopDir);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
