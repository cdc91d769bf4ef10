/** The baseline store a `baseline:` input asks for. */
import type { ArtifactTransport } from '../github/artifacts.js';
import type { GitHubClient } from '../github/client.js';
import type { RunContext } from '../github/context.js';
import type { Logger } from '../util/log.js';
import { artifactBaselineStore } from './artifact-store.js';
import { fileBaselineStore } from './file-store.js';
import { noBaselineStore, type BaselineSpec, type BaselineStore } from './store.js';

export interface StoreDependencies {
  client: GitHubClient;
  context: RunContext;
  transport: ArtifactTransport;
  log: Logger;
  workingDirectory: string;
  retentionDays?: number;
}

export function createBaselineStore(spec: BaselineSpec, deps: StoreDependencies): BaselineStore {
  switch (spec.kind) {
    case 'artifact':
      return artifactBaselineStore(deps);
    case 'file':
      return fileBaselineStore(spec.path, deps.workingDirectory);
    case 'none':
      return noBaselineStore;
  }
}
