/**
 * The cost phase after the trials (profile `cost`): the platform counts each mesh variant's
 * instructions per request and they join the results. A failure keeps everything measured: the
 * trials and the batches counted before it go to results.json, marked incomplete.
 */
import type { Profile } from './profile/types.js';
import type { Platform, Target } from './platform/types.js';
import { partialCostOf } from './platform/registry.js';
import { attachCompletedTrials } from './results/incomplete.js';
import type { Results, VariantCost } from './results/schema.js';
import type { Logger } from './util/log.js';

/** Nothing counted: the platform's reason, for the verdict's one cost row (never a zero). */
const withReason = (results: Results, platform: Platform): Results => {
  const reason = platform.costUnavailable?.();
  return reason ? { ...results, costUnavailable: reason.slice(0, 500) } : results;
};

const withCost = (results: Results, costs: Map<string, VariantCost> | undefined): Results =>
  costs && costs.size > 0
    ? {
        ...results,
        variants: results.variants.map((v) => (costs.has(v.id) ? { ...v, cost: costs.get(v.id) } : v)),
      }
    : results;

export async function measureCost(
  profile: Profile,
  platform: Platform,
  targets: readonly Target[],
  results: Results,
  options: { log: Logger; signal: AbortSignal },
): Promise<Results> {
  if (!profile.cost) return results;
  if (!platform.measureCost) {
    const reason = platform.costUnavailable?.() ?? 'no counting method';
    options.log.warn(
      `cost: instructions per request are not available on platform ${platform.name} (${reason}); the trials are gated as usual`,
    );
    return withReason(results, platform);
  }
  try {
    const costs = await options.log.group('cost: instructions per request', () =>
      platform.measureCost!(profile, targets, options.signal),
    );
    return costs.size > 0 ? withCost(results, costs) : withReason(results, platform);
  } catch (error) {
    attachCompletedTrials(error, withCost(results, partialCostOf(error)));
    throw error;
  }
}
