/**
 * The fork hand-off. A pull request from a fork runs with a read-only token, so its measuring run
 * uploads what the comment needs as artifact meshgate-pr-<profile>: handoff.json (the PR number
 * from the event, the head SHA, the baseline's origin), results.json and, when one was used,
 * baseline.json. A `workflow_run` workflow (mode: comment-from-artifact) validates all three with
 * zod, confirms the PR number against the triggering run's head SHA, renders the report itself
 * (nothing from the artifact is posted verbatim) and comments.
 */
import { z } from 'zod';

export const HANDOFF_SCHEMA = 'meshgate/comment-handoff@1';
export const HANDOFF_FILE = 'handoff.json';
export const HANDOFF_RESULTS_FILE = 'results.json';
export const HANDOFF_BASELINE_FILE = 'baseline.json';
export const HANDOFF_PREFIX = 'meshgate-pr-';

const sha = z.string().regex(/^[0-9a-f]{40}$/, { error: 'expected a 40-digit commit SHA' });
const profileName = z.string().regex(/^[a-z0-9-]{1,100}$/, { error: 'expected a profile name [a-z0-9-]+' });

export const HandoffSchema = z.strictObject({
  schema: z.literal(HANDOFF_SCHEMA),
  pullRequest: z.number().int().positive(),
  headSha: sha,
  profile: profileName,
  baseline: z
    .discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('artifact'),
        artifactName: z.string().regex(/^meshgate-baseline-[a-z0-9-]+$/),
        runId: z.number().int().positive(),
        runNumber: z.number().int().positive(),
        headSha: sha,
        baseRef: z.string().regex(/^[A-Za-z0-9._/-]{1,255}$/),
        matchesMergeBase: z.boolean(),
        conclusion: z.string().regex(/^[a-z_]{1,40}$/).optional(),
      }),
      z.strictObject({ kind: z.literal('file'), path: z.string().regex(/^[A-Za-z0-9._/-]{1,255}$/) }),
    ])
    .nullable(),
});

export type Handoff = z.infer<typeof HandoffSchema>;

export function handoffArtifactName(profile: string): string {
  return `${HANDOFF_PREFIX}${profile}`;
}

/** Validate handoff.json text; errors name the artifact. */
export function parseHandoff(text: string, where: string): Handoff {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${where}: ${HANDOFF_FILE} is not JSON`);
  }
  const parsed = HandoffSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}: ${HANDOFF_FILE}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
