import { UserError } from '../../errors.js';
import { sequentialDesign } from '../../verdict/looks.js';
import { measure } from '../../pipeline.js';
import { validateProfileFiles } from '../../profile/file-validation.js';
import { loadProfile } from '../../profile/load.js';
import { profileWarnings } from '../../profile/warnings.js';
import type { PlatformName } from '../../profile/types.js';
import {
  PLATFORM_NAMES,
  PLATFORM_SETTINGS,
  planRun,
  platformOptions,
  readPlatformSettings,
  type PlatformSettings,
} from '../../platform/registry.js';
import { measureIntoFile } from '../../results/measured-file.js';
import { prepareOutput } from '../../system/output-file.js';
import { renderVariantSummary } from '../../report/variant-summary.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';
import { pathFromRepositoryRoot } from '../../util/repo-path.js';

const PLATFORMS: readonly PlatformName[] = PLATFORM_NAMES;

export function platformOption(value: string | boolean | undefined): PlatformName | undefined {
  if (value === undefined) return undefined;
  if (!PLATFORMS.includes(value as PlatformName))
    throw new UserError(`--platform: expected one of ${PLATFORMS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as PlatformName;
}

/** The platform flags, named and parsed like the action's inputs of the same names. */
export function clusterFlags(values: Record<string, string | boolean | undefined>): PlatformSettings {
  return readPlatformSettings({
    text: (name) => (typeof values[name] === 'string' ? (values[name] as string).trim() : ''),
    flag: (name) => values[name] === true,
    where: (name) => `--${name}`,
  });
}

const CLUSTER_OPTIONS = {
  'dry-run': { type: 'boolean' },
  ...(Object.fromEntries(
    Object.entries(PLATFORM_SETTINGS).map(([name, kind]) => [
      name,
      { type: kind === 'flag' ? 'boolean' : 'string' },
    ]),
  ) as Record<keyof typeof PLATFORM_SETTINGS, { type: 'boolean' | 'string' }>),
} as const;

export const runCommand: Command = {
  name: 'run',
  summary: 'measure every variant of a profile, write results.json',
  usage: `meshgate run PROFILE [--platform ${PLATFORM_NAMES.join('|')}] [--out results.json] [cluster flags]

Prepares the platform, measures every variant (build × mesh) for the profile's trials in
interleaved order, writes the results file, and cleans up everything it started (also on
Ctrl-C). Exit 0 when measured, 2 for a bad profile, 3 when the system under test could not be
set up or measured.

  --platform P   override the profile's platform
  --out FILE     where to write the results (default: results.json)

  --dry-run      kind/kubernetes: print every tool command and manifest, in order, and
                 run none of them (exit 0; touches no cluster, Docker or network)

Cluster flags (the action's inputs of the same names):
  --kind-cluster NAME             use this existing kind cluster (never deleted)
  --keep-cluster                  leave the kind cluster this run created in place
  --kubernetes-context CTX        kubeconfig context for platform kubernetes
  --tool-versions T=V,...         override pinned versions (kind, kubectl, istioctl, linkerd)
  --workload-node-selector K=V,...  nodes for the workload's pods (platform kubernetes)
  --load-node-selector K=V,...    nodes for the load generators' pods (platform kubernetes)
  --generator-lead DURATION       time from creating a trial's generator Job to the pods'
                                  common start (default 15s on kind, 20s on kubernetes)

  --quiet        no progress on stderr
  --verbose      per-trial details on stderr`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'run',
      argv,
      { ...commonOptions, ...CLUSTER_OPTIONS, platform: { type: 'string' }, out: { type: 'string' } },
      { min: 1, max: 1 },
    );
    if (values.help) {
      io.out(runCommand.usage);
      return 0;
    }
    const platform = platformOption(values.platform);
    const cluster = clusterFlags(values);
    const options = platformOptions(clusterFlags(values));
    const profile = await loadProfile(positionals[0], io.signal);
    validateProfileFiles(profile, positionals[0]);
    if (values['dry-run']) {
      await planRun(platform ?? profile.platform, profile, {
        log: io.log,
        write: io.out,
        platformOptions: options,
      });
      return 0;
    }
    for (const warning of profileWarnings(profile, positionals[0])) io.log.warn(warning);
    // Checked before any load: a bad --out is exit 2 now, not after the measurement.
    const out = await prepareOutput(typeof values.out === 'string' ? values.out : 'results.json', '--out');
    const results = await measureIntoFile(
      out,
      io.log,
      (checkpoint) =>
        measure(profile, {
          log: io.log,
          signal: io.signal,
          platform,
          platformOptions: options,
          checkpoint,
          ...sequentialDesign(profile),
        }),
      { profile: pathFromRepositoryRoot(positionals[0]) },
    );
    io.log.info(renderVariantSummary(results));
    io.log.info(`results: ${out}`);
    return 0;
  },
};
