/**
 * Artifacts through one small interface. Listing uses the REST API; downloading another run's
 * artifact uses @actions/artifact with `findBy` (REST: a 302 to blob storage, then unzip);
 * uploading uses @actions/artifact's results service (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN),
 * which exists only inside a GitHub Actions job.
 */
import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact';
import type { GitHubClient } from './client.js';
import type { RepoRef } from './context.js';

export interface ArtifactRef {
  id: number;
  name: string;
  runId: number;
  expired: boolean;
  sizeBytes: number;
}

export interface ArtifactTransport {
  /** Upload files of this run as one artifact; returns its id when the service reports one. */
  upload(
    name: string,
    files: string[],
    rootDirectory: string,
    retentionDays?: number,
  ): Promise<{ id?: number }>;
  /** Artifacts of a run in this repository, optionally with an exact name. */
  listForRun(runId: number, name?: string): Promise<ArtifactRef[]>;
  /** Download and unzip an artifact of another run into `directory`. */
  download(artifact: ArtifactRef, directory: string): Promise<void>;
}

export function githubArtifactTransport(
  client: GitHubClient,
  repo: RepoRef,
  token: string,
): ArtifactTransport {
  const artifacts = new DefaultArtifactClient();
  return {
    async upload(name, files, rootDirectory, retentionDays) {
      // Artifact names are unique within a workflow run, and "Re-run jobs" is the same run: an
      // earlier attempt's artifact would make this upload fail with 409 Conflict. Replace it, as
      // actions/upload-artifact's `overwrite: true` does.
      try {
        await artifacts.deleteArtifact(name);
      } catch (error) {
        if (!(error instanceof ArtifactNotFoundError)) throw error;
      }
      const response = await artifacts.uploadArtifact(
        name,
        files,
        rootDirectory,
        retentionDays ? { retentionDays } : {},
      );
      return { id: response.id };
    },
    async listForRun(runId, name) {
      const list = await client.paginate(client.rest.actions.listWorkflowRunArtifacts, {
        ...repo,
        run_id: runId,
        per_page: 100,
        ...(name ? { name } : {}),
      });
      return list.map((a) => ({
        id: a.id,
        name: a.name,
        runId,
        expired: a.expired,
        sizeBytes: a.size_in_bytes,
      }));
    },
    async download(artifact, directory) {
      await artifacts.downloadArtifact(artifact.id, {
        path: directory,
        findBy: {
          token,
          workflowRunId: artifact.runId,
          repositoryOwner: repo.owner,
          repositoryName: repo.repo,
        },
      });
    },
  };
}

/** Link to a run's artifact (the page GitHub shows for it). */
export function artifactPageUrl(
  serverUrl: string,
  repo: RepoRef,
  artifact: Pick<ArtifactRef, 'id' | 'runId'>,
): string {
  return `${serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${artifact.runId}/artifacts/${artifact.id}`;
}
