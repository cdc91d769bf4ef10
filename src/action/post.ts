/**
 * The action's post step: runs after main in a new process, also when main failed or was
 * cancelled. Each platform that leaves something behind (its cleanupFromState capability) cleans
 * up from the state it saved under platformStateKey().
 */
import * as core from '@actions/core';
import { cleanupAfterRun, platformsWithPostCleanup } from '../platform/registry.js';
import { coreLogger } from './log.js';
import {
  POST_STATE,
  parsePostState,
  platformStateKey,
  registerPostCleanup,
  runPost,
} from './post-cleanup.js';

for (const platform of platformsWithPostCleanup())
  registerPostCleanup(platform, async () => {
    const saved = core.getState(platformStateKey(platform));
    if (saved) await cleanupAfterRun(platform, JSON.parse(saved), coreLogger());
  });
await runPost(parsePostState(core.getState(POST_STATE)));
