/**
 * What runAction needs from the outside world, as one object: tests pass fakes or stand-ins,
 * main.ts passes `defaultDeps`. The judge (src/gate.ts) is shared with the CLI's `check`.
 */
import { join } from 'node:path';
import * as core from '@actions/core';
import { judge, type Judgement } from '../gate.js';
import { sequentialDesign } from '../verdict/looks.js';
import { githubArtifactTransport, type ArtifactTransport } from '../github/artifacts.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import { loadRunContext, type RunContext } from '../github/context.js';
import { measure, type MeasureOptions } from '../pipeline.js';
import { platformOptions } from '../platform/registry.js';
import { loadProfile } from '../profile/load.js';
import type { Profile } from '../profile/types.js';
import type { Results } from '../results/schema.js';
import type { Logger } from '../util/log.js';
import type { Settings } from './inputs.js';
import { coreLogger } from './log.js';
import { ensureValgrind } from './valgrind-setup.js';
import { platformStateKey } from './post-cleanup.js';
import { onSecret } from '../util/secrets.js';

export type JudgeFn = (results: Results, options: { baseline?: Results }) => Judgement;

export type ActionMeasureOptions = Pick<MeasureOptions, 'log' | 'signal' | 'platform' | 'checkpoint'> & {
  baseline?: Results;
};

export interface ActionDeps {
  log: Logger;
  context: RunContext;
  signal: AbortSignal;
  client: GitHubClient;
  transport: ArtifactTransport;
  loadProfile: (file: string) => Promise<Profile>;
  /** Measure a profile; the default runs its sequential design (more trials while inconclusive). */
  measure: (profile: Profile, options: ActionMeasureOptions) => Promise<Results>;
  judge: JudgeFn;
  writeSummary: (markdown: string) => Promise<void>;
  /** Hand a value to the post step (core.saveState). */
  saveState: (name: string, value: string) => void;
}

export function defaultDeps(settings: Settings, signal: AbortSignal): ActionDeps {
  // Every credential the profile holds (URL user information, credential headers, header values
  // from \${…}) is masked in the job's log by GitHub, as the artifacts mask them (util/secrets.ts).
  onSecret((value) => core.setSecret(value));
  // Pinned, checksummed tools rather than whatever the runner image has on PATH; kind and
  // kubernetes hand the post step what it needs to clean up, as soon as it is known.
  const platforms = platformOptions(settings.cluster, {
    preferPathTools: false,
    githubToken: settings.token,
    diagnosticsDir: join(settings.resultsDir, 'diagnostics'),
    saveState: (platform, state) => core.saveState(platformStateKey(platform), JSON.stringify(state)),
  });
  const context = loadRunContext();
  const client = createGitHubClient(settings.token, context.apiUrl);
  return {
    log: coreLogger(),
    context,
    signal,
    client,
    transport: githubArtifactTransport(client, context.repo, settings.token),
    loadProfile,
    measure: async (profile, { baseline, ...options }) => {
      await ensureValgrind(profile, options.platform ?? profile.platform, options.log);
      return measure(profile, {
        ...options,
        platformOptions: platforms,
        ...sequentialDesign(profile, baseline),
      });
    },
    judge,
    writeSummary: async (markdown) => {
      await core.summary.addRaw(markdown, true).write();
    },
    saveState: (name, value) => core.saveState(name, value),
  };
}
