/** verdict.json as read back (`meshgate report --verdict`): this or another release's, upgraded and checked. */
import { UserError } from '../errors.js';
import { upgradeDocument } from '../results/compat.js';
import { parseVerdict, type Verdict } from './schema.js';

/** verdict.json text of this or another release, checked (parseVerdict) in this release's form. */
export function readVerdictDocument(text: string, file: string): Verdict {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON: ${(error as Error).message.split('\n')[0].slice(0, 100)}`);
  }
  return parseVerdict(upgradeDocument('verdict', document, file), file);
}
