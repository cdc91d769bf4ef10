// The profiles meshgate ships are examples people copy: none may draw a warning about its own
// settings (issue #34: five warned "use at least 3 trials"). Warnings about files a workflow
// builds first (pr-p99.yaml's ./base/bin/server) are about the checkout, not the profile.
import { expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfile } from '../../src/profile/load.js';
import { profileWarnings } from '../../src/profile/warnings.js';

// profiles/dataplane/ holds the proxies' and meshes' own configuration files, not profiles.
const shipped = readdirSync('profiles', { encoding: 'utf8' })
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => join('profiles', file))
  .sort();

test('there are shipped profiles to check', () => {
  expect(shipped.length).toBeGreaterThan(10);
});

test.each(shipped)('%s has no warning about its settings', async (file) => {
  const profile = await loadProfile(file);
  expect(profileWarnings(profile, file)).toEqual([]);
});
