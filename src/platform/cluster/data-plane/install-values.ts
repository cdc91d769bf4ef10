/**
 * A mesh entry's `install_values`: one YAML document (Istio: an IstioOperator for
 * `istioctl install -f`; Linkerd: Helm values for `linkerd install --values`), checked before
 * anything starts so that a typo is exit 2 naming the field, not a failed install minutes in.
 * At most 256 KiB: an install file is settings, not data.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../../errors.js';
import type { ClusterDataPlaneRules } from './types.js';

export const INSTALL_VALUES_MAX_BYTES = 262_144;

export function checkInstallValues(file: string, field: string, rules: ClusterDataPlaneRules, version: string): void {
  const where = `${field} (${file})`;
  const bytes = statSync(file).size;
  if (bytes > INSTALL_VALUES_MAX_BYTES)
    throw new UserError(`${where}: ${bytes} bytes; an install file may have at most ${INSTALL_VALUES_MAX_BYTES} bytes`);
  const documents = parseAllDocuments(readFileSync(file, 'utf8')).filter((d) => d.contents !== null || d.errors.length > 0);
  if (documents.length !== 1) throw new UserError(`${where}: expected one YAML document, found ${documents.length}`);
  const [document] = documents;
  if (document.errors.length > 0) throw new UserError(`${where}: not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
  const problems = rules.installValuesProblems(document.toJS(), version);
  if (problems.length > 0)
    throw new UserError(`${where}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}`);
}
