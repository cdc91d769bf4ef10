/**
 * The HTML report as an artifact of this run, linked from the comment and the job summary.
 * An upload that fails costs the link, never the gate.
 */
import { errorMessage } from '../errors.js';
import type { ArtifactTransport } from '../github/artifacts.js';
import type { Logger } from '../util/log.js';

export const reportArtifactName = (profile: string): string => `meshgate-report-${profile}`;

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
