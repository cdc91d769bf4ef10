/**
 * Choosing the counting method of a profile's `cost` section: Callgrind (everywhere Valgrind is
 * installed) or perf (only where `instructions:u` really counts, probe in perf.ts). The two are
 * never compared with each other: a variant's batches all come from one method, and the rows
 * compare variants of one run.
 */
import { SetupError } from '../../../errors.js';
import type { CostSpec } from '../../../profile/types.js';
import { requireValgrind } from './callgrind.js';
import { probePerf } from './perf.js';

export interface ChosenMethod {
  method: 'callgrind' | 'perf';
  /** Tool and version, for results. */
  tool: string;
}

export async function chooseMethod(
  spec: CostSpec,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChosenMethod> {
  if (spec.method !== 'callgrind') {
    const probe = await probePerf(env);
    if (probe.available) return { method: 'perf', tool: probe.detail };
    if (spec.method === 'perf')
      throw new SetupError(
        `cost.method perf: instructions:u cannot be counted here (${probe.detail}); use cost.method callgrind (Valgrind) or auto`,
      );
  }
  return { method: 'callgrind', tool: await requireValgrind('cost.method callgrind', env) };
}
