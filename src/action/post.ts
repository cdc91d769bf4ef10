/**
 * The action's post step: runs after main in a new process, also when main failed or was
 * cancelled. Platforms that leave things behind register their clean-up in post-cleanup.ts.
 */
import * as core from '@actions/core';
import { POST_STATE, parsePostState, runPost } from './post-cleanup.js';

await runPost(parsePostState(core.getState(POST_STATE)));
