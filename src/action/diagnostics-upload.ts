/**
 * A failed cluster step's diagnostics bundle (platform/cluster/diagnostics.ts) as one artifact of
 * this run, linked from the job summary and named in the failure message. The name carries the
 * job and a random suffix: a matrix over one profile has several jobs, and an upload replaces a
 * same-named artifact of the run — another job's.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { ArtifactTransport } from '../github/artifacts.js';
import { diagnosedError } from '../platform/registry.js';
import type { Logger } from '../util/log.js';

export function diagnosticsArtifactName(profile: string, job = process.env.GITHUB_JOB ?? 'job'): string {
  const safeJob =
    job
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'job';
  return `meshgate-diagnostics-${profile}-${safeJob}-${randomBytes(3).toString('hex')}`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/** Upload the bundle, write the summary; the error to fail with names the step and the artifact. */
export async function publishDiagnostics(
  error: unknown,
  diagnostics: { step: string; bundle: string },
  options: {
    profile: string;
    transport: ArtifactTransport;
    runUrl: string;
    retentionDays?: number;
    writeSummary: (markdown: string) => Promise<void>;
    log: Logger;
  },
): Promise<Error> {
  const name = diagnosticsArtifactName(options.profile);
  let where = `artifact ${name} could not be uploaded; the bundle is ${diagnostics.bundle} on the runner`;
  let link = '';
  try {
    const { id } = await options.transport.upload(
      name,
      filesUnder(diagnostics.bundle),
      diagnostics.bundle,
      options.retentionDays,
    );
    const url = id === undefined ? `${options.runUrl}#artifacts` : `${options.runUrl}/artifacts/${id}`;
    where = `artifact ${name}: ${url}`;
    link = `[${name}](${url})`;
  } catch (failure) {
    options.log.warn(`could not upload the diagnostics artifact ${name}: ${errorMessage(failure)}`);
  }
  // The step name is ours (log group names); the error text is a tool's output: code-fenced.
  const fence = '````';
  const firstLines = errorMessage(error)
    .split('\n')
    .slice(0, 12)
    .join('\n')
    .replaceAll('`'.repeat(4), '` ` ` `');
  await options
    .writeSummary(
      [
        `### meshgate: cluster step failed`,
        '',
        `Step: **${diagnostics.step.replace(/[^\w ./›:-]/g, '')}**. Diagnostics (the step and the commands before it, tool versions, pods, events, the mesh's check, kind's logs): ${link || 'not uploaded (see the log)'}`,
        '',
        fence,
        firstLines,
        fence,
        '',
      ].join('\n'),
    )
    .catch((failure: unknown) =>
      options.log.warn(`could not write the job summary: ${errorMessage(failure)}`),
    );
  const message = errorMessage(error).replace(/\nDiagnostics \(.*\): .*$/, '');
  // The same failure (its exit code and diagnostics), now naming where the bundle went.
  return diagnosedError(`${message}\nDiagnostics: ${where}`, diagnostics);
}
