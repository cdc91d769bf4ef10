/** Profiles for local platform tests: a URL build (the test's own app) and short loads. */
import { ProfileInputSchema } from '../../../src/profile/schema.js';
import type { Profile } from '../../../src/profile/types.js';

export function localProfile(appUrl: string, overrides: Record<string, unknown> = {}): Profile {
  return ProfileInputSchema.parse({
    name: 'local-test',
    platform: 'local',
    workload: { url: appUrl },
    mesh: ['none'],
    load: { rps: 400, connections: 4, threads: 1, duration: '1500ms', warmup: '300ms' },
    trials: 1,
    ...overrides,
  });
}
