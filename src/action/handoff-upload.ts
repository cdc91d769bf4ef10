/** Writing and uploading the fork hand-off artifact (see src/github/handoff.ts for its contract). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaselineLookup } from '../baseline/store.js';
import type { ArtifactTransport } from '../github/artifacts.js';
import type { PullRequestInfo } from '../github/context.js';
import {
  HANDOFF_BASELINE_FILE,
  HANDOFF_FILE,
  HANDOFF_RESULTS_FILE,
  HANDOFF_SCHEMA,
  handoffArtifactName,
  type Handoff,
} from '../github/handoff.js';
import { writeResults } from '../results/io.js';
import type { Results } from '../results/schema.js';

export async function uploadHandoff(
  transport: ArtifactTransport,
  {
    directory,
    pullRequest,
    results,
    lookup,
    retentionDays,
  }: {
    directory: string;
    pullRequest: PullRequestInfo;
    results: Results;
    lookup: BaselineLookup;
    retentionDays?: number;
  },
): Promise<string> {
  const handoff: Handoff = {
    schema: HANDOFF_SCHEMA,
    pullRequest: pullRequest.number,
    headSha: pullRequest.headSha,
    profile: results.profile.name,
    baseline: lookup.status === 'found' ? lookup.origin : null,
  };
  await mkdir(directory, { recursive: true });
  const files = [join(directory, HANDOFF_FILE), join(directory, HANDOFF_RESULTS_FILE)];
  await writeFile(files[0], `${JSON.stringify(handoff, null, 2)}\n`);
  await writeResults(files[1], results);
  if (lookup.status === 'found') {
    files.push(join(directory, HANDOFF_BASELINE_FILE));
    await writeResults(files[2], lookup.results);
  }
  const name = handoffArtifactName(results.profile.name);
  await transport.upload(name, files, directory, retentionDays ?? 7);
  return `This run cannot comment on #${pullRequest.number} (a fork's token is read-only): the report is in the job summary, and artifact \`${name}\` carries it to a \`workflow_run\` workflow with \`mode: comment-from-artifact\`, which comments.`;
}
