/** The action's orchestration behind main.ts: one function per mode, every dependency injected. */
import type { ActionDeps } from './deps.js';
import type { Settings } from './inputs.js';
import type { ActionOutcome } from './outputs.js';
import { runCommentFromArtifact } from './run-comment.js';
import { runMeasure } from './run-measure.js';

export type { ActionOutcome };

export async function runAction(settings: Settings, deps: ActionDeps): Promise<ActionOutcome> {
  return settings.mode === 'measure' ? runMeasure(settings, deps) : runCommentFromArtifact(settings, deps);
}
