/**
 * The HTML report as an artifact of this run, linked from the comment and the job summary.
 * An upload that fails costs the link, never the gate.
 */
import { randomBytes } from 'node:crypto';
import { errorMessage } from '../errors.js';
import type { ArtifactTransport } from '../github/artifacts.js';
import type { Logger } from '../util/log.js';

/**
 * Per job: a matrix over one profile runs several jobs in one run, and artifact names are unique
 * per run (an upload would otherwise meet another job's). The report is linked by id, never looked
 * up by name, so its name carries the job and a random suffix.
 */
export const reportArtifactName = (profile: string, job = process.env.GITHUB_JOB ?? 'job'): string => {
  const safeJob =
    job
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'job';
  return `meshgate-report-${profile}-${safeJob}-${randomBytes(3).toString('hex')}`;
};

export async function uploadReport(
  transport: ArtifactTransport,
  options: {
    profile: string;
    directory: string;
    files: string[];
    runUrl: string;
    retentionDays?: number;
    log: Logger;
  },
): Promise<{ label: string; url: string } | undefined> {
  const name = reportArtifactName(options.profile);
  try {
    const { id } = await transport.upload(name, options.files, options.directory, options.retentionDays);
    return {
      label: 'HTML report',
      url: id === undefined ? `${options.runUrl}#artifacts` : `${options.runUrl}/artifacts/${id}`,
    };
  } catch (error) {
    options.log.warn(`could not upload the report artifact ${name}: ${errorMessage(error)}`);
    return undefined;
  }
}
