/**
 * The cluster settings both doors accept (action inputs and CLI flags of the same names):
 * kind-cluster, keep-cluster, kubernetes-context, tool-versions, workload-node-selector,
 * load-node-selector and generator-lead. Parsed here once, so that the CLI reproduces what the
 * action does.
 */
import { UserError } from '../../errors.js';
import { TOOL_NAMES, toolVersionProblem, type ToolName } from '../../system/tool-versions.js';
import { parseDurationMs } from '../../util/units.js';

export interface ClusterSettings {
  kindCluster?: string;
  keepCluster: boolean;
  kubernetesContext?: string;
  toolVersions: Partial<Record<ToolName, string>>;
  /** Node labels the workload's pods and the generators' pods must run on (platform kubernetes). */
  workloadNodeSelector?: Record<string, string>;
  loadNodeSelector?: Record<string, string>;
  /** Time from creating a trial's generator Job to its pods' common start; default per platform. */
  generatorLeadMs?: number;
}

const quote = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** "kind=v0.29.0, istioctl=1.27.1" → { kind: 'v0.29.0', istioctl: '1.27.1' }. `where` names the input or flag. */
export function parseToolVersions(value: string, where = 'tool-versions'): Partial<Record<ToolName, string>> {
  const versions: Partial<Record<ToolName, string>> = {};
  for (const item of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z]+)=([A-Za-z0-9._+-]+)$/.exec(item);
    if (!match || !(TOOL_NAMES as readonly string[]).includes(match[1]))
      throw new UserError(
        `Invalid ${where} ${quote(item)}: expected tool=version with tool one of ${TOOL_NAMES.join(', ')}`,
      );
    const problem = toolVersionProblem(match[1] as ToolName, match[2]);
    if (problem) throw new UserError(`Invalid ${where} ${quote(item)}: ${problem}`);
    versions[match[1] as ToolName] = match[2];
  }
  return versions;
}

const LABEL_KEY =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** "pool=load, kubernetes.io/arch=amd64" → a nodeSelector; Kubernetes' label syntax is checked. */
export function parseNodeSelector(value: string, where: string): Record<string, string> | undefined {
  const selector: Record<string, string> = {};
  for (const item of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [key, label, ...rest] = item.split('=');
    if (
      rest.length > 0 ||
      label === undefined ||
      !LABEL_KEY.test(key) ||
      key.split('/')[0].length > 253 ||
      !LABEL_VALUE.test(label)
    )
      throw new UserError(
        `Invalid ${where} ${quote(item)}: expected label=value pairs separated by commas, with Kubernetes label syntax (e.g. pool=load)`,
      );
    selector[key] = label;
  }
  return Object.keys(selector).length > 0 ? selector : undefined;
}

/** Longest generator lead accepted: beyond it the Job's deadline, not the lead, is the problem. */
const MAX_GENERATOR_LEAD_MS = 600_000;

/**
 * "15s" → 15000: how long before the generators' common start their Job is created (pods must be
 * scheduled and started meanwhile; images are pulled before trial 1). Empty → the platform's default.
 */
export function parseGeneratorLead(value: string, where: string): number | undefined {
  if (value.trim() === '') return undefined;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < 1000 || ms > MAX_GENERATOR_LEAD_MS)
    throw new UserError(
      `Invalid ${where} ${quote(value)}: expected a duration from 1s to ${MAX_GENERATOR_LEAD_MS / 60_000}m, e.g. 15s`,
    );
  return ms;
}

/** How a door reads one setting: the action's input or the CLI flag of the same name. */
export interface SettingsReader {
  /** The trimmed text ('' when not given). */
  text(name: string): string;
  /** A yes/no setting, parsed by the door (the action accepts true/yes/1/on …, the CLI a bare flag). */
  flag(name: string): boolean;
  /** How a problem names the setting: "input tool-versions", "--tool-versions". */
  where(name: string): string;
}

/** The settings' names, each one action input and one CLI flag; `flag` ones are yes/no. */
export const CLUSTER_SETTINGS = {
  'kind-cluster': 'text',
  'keep-cluster': 'flag',
  'kubernetes-context': 'text',
  'tool-versions': 'text',
  'workload-node-selector': 'text',
  'load-node-selector': 'text',
  'generator-lead': 'text',
} as const;

/** The one mapping from the doors' inputs or flags to the cluster settings. */
export function readClusterSettings(read: SettingsReader): ClusterSettings {
  return {
    kindCluster: read.text('kind-cluster') || undefined,
    keepCluster: read.flag('keep-cluster'),
    kubernetesContext: read.text('kubernetes-context') || undefined,
    toolVersions: parseToolVersions(read.text('tool-versions'), read.where('tool-versions')),
    workloadNodeSelector: parseNodeSelector(
      read.text('workload-node-selector'),
      read.where('workload-node-selector'),
    ),
    loadNodeSelector: parseNodeSelector(read.text('load-node-selector'), read.where('load-node-selector')),
    generatorLeadMs: parseGeneratorLead(read.text('generator-lead'), read.where('generator-lead')),
  };
}
