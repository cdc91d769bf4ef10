/** Validation of what a generator pod prints: its last JSON line must be one LoadTrial. */
import { SetupError } from '../../errors.js';
import type { LoadTrial } from '../../load/types.js';
import { LoadTrialSchema } from '../../results/schema.js';

/** The trial a generator pod printed; `pod` names it in errors. */
export function parseGeneratorOutput(log: string, pod: string): LoadTrial {
  const line = log
    .split('\n')
    .map((text) => text.trim())
    .filter((text) => text.startsWith('{'))
    .pop();
  const tail = log.trim().split('\n').slice(-5).join('\n');
  if (!line)
    throw new SetupError(
      `load generator pod ${pod} printed no trial; its log ends:\n${tail}\nCheck: the pod's events and that dist/loadgen is current`,
    );
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new SetupError(`load generator pod ${pod} printed a line that is not JSON: ${line.slice(0, 120)}`);
  }
  const parsed = LoadTrialSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SetupError(
      `load generator pod ${pod} printed an invalid trial: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return parsed.data as LoadTrial;
}
