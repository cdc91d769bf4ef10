/**
 * Artifacts through one small interface. Listing uses the REST API; downloading another run's
 * artifact uses @actions/artifact with `findBy` (REST: a 302 to blob storage), saving the zip as
 * is, which artifact-zip.ts then reads within bounds; uploading uses @actions/artifact's results service (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN),
 * which exists only inside a GitHub Actions job.
 */
import { errorMessage } from '../errors.js';
import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_RESULTS_FILE_BYTES } from '../results/io.js';
import { readZipWithin, unsafeEntryName, type ZipLimits } from './artifact-zip.js';
import type { GitHubClient } from './client.js';
import type { RepoRef } from './context.js';

/**
 * What an artifact of another run may cost. meshgate's own artifacts hold a few files: a
 * baseline (one results file), or a hand-off (handoff.json, results.json and a baseline), so
 * two results files' worth plus a little bounds both the zip and what it declares.
 */
export const ARTIFACT_LIMITS: ZipLimits & { zipBytes: number } = {
  entries: 32,
  entryBytes: MAX_RESULTS_FILE_BYTES,
  totalBytes: 2 * MAX_RESULTS_FILE_BYTES + 1024 * 1024,
  zipBytes: 2 * MAX_RESULTS_FILE_BYTES + 1024 * 1024,
};

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
  /**
   * Download an artifact of another run and write the named top-level `files` of it into
   * `directory` (those it holds; nothing else is unpacked). The whole archive must be within
   * ARTIFACT_LIMITS, or nothing is written and the error names the entry and the bound.
   */
  download(artifact: ArtifactRef, directory: string, files: readonly string[]): Promise<void>;
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
      // earlier attempt's artifact would make this upload fail with 409 Conflict. A re-run
      // replaces it, as actions/upload-artifact's `overwrite: true` does. A first attempt never
      // deletes: a same-named artifact is then another job's of this run (a matrix over one
      // profile), which it must not destroy.
      const attempt = Number(process.env.GITHUB_RUN_ATTEMPT ?? 1);
      if (attempt > 1)
        try {
          await artifacts.deleteArtifact(name);
        } catch (error) {
          if (!(error instanceof ArtifactNotFoundError)) throw error;
        }
      try {
        const response = await artifacts.uploadArtifact(
          name,
          files,
          rootDirectory,
          retentionDays ? { retentionDays } : {},
        );
        return { id: response.id };
      } catch (error) {
        if (attempt <= 1 && /409|already exists/i.test(errorMessage(error)))
          throw new Error(
            `artifact ${name} already exists in this run: another job uploaded it (a matrix over one profile?); give each job's profile its own name`,
          );
        throw error;
      }
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
    async download(artifact, directory, files) {
      const bad = files.find((file) => file.includes('/') || unsafeEntryName(file));
      if (bad !== undefined) throw new Error(`not a top-level file name: ${JSON.stringify(bad)}`);
      const where = `zip of artifact ${artifact.name}`;
      // The listing's size is the blob's: a zip past the bound is not even fetched.
      if (artifact.sizeBytes > ARTIFACT_LIMITS.zipBytes)
        throw new Error(`${where}: ${artifact.sizeBytes} bytes, more than ${ARTIFACT_LIMITS.zipBytes}`);
      const raw = await mkdtemp(join(tmpdir(), 'meshgate-artifact-'));
      try {
        // skipDecompress: @actions/artifact's own unzip writes every entry out, unbounded.
        await artifacts.downloadArtifact(artifact.id, {
          path: raw,
          skipDecompress: true,
          findBy: {
            token,
            workflowRunId: artifact.runId,
            repositoryOwner: repo.owner,
            repositoryName: repo.repo,
          },
        });
        const saved = await readdir(raw);
        if (saved.length !== 1)
          throw new Error(`${where}: the download left ${saved.length} files, not one zip`);
        const zipPath = join(raw, saved[0]);
        const { size } = await stat(zipPath);
        if (size > ARTIFACT_LIMITS.zipBytes)
          throw new Error(`${where}: ${size} bytes, more than ${ARTIFACT_LIMITS.zipBytes}`);
        const contents = readZipWithin(await readFile(zipPath), files, ARTIFACT_LIMITS, where);
        for (const [name, content] of contents)
          await writeFile(join(directory, name), content, { flag: 'wx' });
      } finally {
        await rm(raw, { recursive: true, force: true });
      }
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
