// test-group: unit
/** Profile options the local platform refuses before starting anything, with a clear message. */
import { expect, it } from '@jest/globals';
import { LocalPlatform } from '../../../src/platform/local/platform.js';
import { runningProcesses } from '../../../src/system/processes.js';
import { memoryLogger } from '../../../src/util/log.js';
import { localProfile } from './helpers.js';

it.each([
  ['isolation: netns', { isolation: 'netns', mesh: ['none', 'nginx'] }, /isolation: netns is not available on platform local/],
  ['a cluster mesh', { mesh: ['none', 'istio'] }, /mesh "istio" does not run on platform local; local data planes: none, nginx, haproxy, envoy/],
])('%s is a UserError (exit 2)', async (_what, overrides, message) => {
  const platform = new LocalPlatform({ log: memoryLogger(), workDir: '/nonexistent' });
  const error = await platform.prepare(localProfile('http://127.0.0.1:9', overrides)).catch((e: Error & { exitCode?: number }) => e);
  expect(error).toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
  await platform.cleanup();
  expect(runningProcesses()).toHaveLength(0);
});
