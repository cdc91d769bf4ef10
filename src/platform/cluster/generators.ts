/**
 * One trial of in-cluster load: create the generators' indexed Job, wait until it completes (or
 * fails), read every pod's trial from its log, merge them exactly, and delete the Job.
 * Waiting is done by `kubectl wait`, never by sleeping.
 */
import { SetupError } from '../../errors.js';
import { mergeTrials } from '../../load/merge-trials.js';
import type { LoadJob, LoadTrial } from '../../load/types.js';
import type { Logger } from '../../util/log.js';
import { GENERATOR_CONTAINER, generatorJob } from './workload/generator-job.js';
import type { BundleFile } from './workload/objects.js';
import { assertValidObjects } from './workload/validate.js';
import type { Kubectl, KubeObject } from '../../system/kubectl.js';
import { parseGeneratorOutput } from './trial-output.js';
import { run } from '../../system/run-command.js';

export interface GeneratorSetup {
  kubectl: Kubectl;
  log: Logger;
  runId: string;
  namespace: string;
  generators: number;
  nodeImage: string;
  bundleFiles: readonly BundleFile[];
  podMeta: { labels: Record<string, string>; annotations: Record<string, string> };
  nodeSelector?: Record<string, string>;
  /** Time between creating the Job and the common start, for pods to be scheduled and start. */
  leadMs: number;
}

interface PodList {
  items: { metadata: { name: string; annotations?: Record<string, string> }; status?: { phase?: string } }[];
}

const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/**
 * Generators that start further apart than this did not load the target together for part of the
 * window: the merged histogram would mix periods at a fraction of the rate.
 */
export const MAX_START_SKEW_MS = 1000;

/** The span of a trial that counts, in epoch ms: the generators' synchronised start to their end. */
export interface MeasuredWindow {
  startEpochMs: number;
  endEpochMs: number;
}

/** Generator Jobs (and so their pods) are named load-<run>-<n>. */
export const GENERATOR_POD_PREFIX = 'load-';

/** A trial whose generators started too far apart; it carries the trial, which is kept if repeats fail too. */
export class GeneratorSkewError extends Error {
  constructor(
    readonly skewMs: number,
    readonly trial: LoadTrial,
  ) {
    super(`load generators started ${skewMs} ms apart (more than ${MAX_START_SKEW_MS} ms)`);
  }
}
let jobSequence = 0;

/** Wait for one of the Job's terminal conditions; resolves with the one that was met. */
async function waitForJob(
  setup: GeneratorSetup,
  name: string,
  timeoutS: number,
  signal: AbortSignal,
): Promise<'complete' | 'failed' | 'timeout'> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const argv = (condition: string) => [
    ...(setup.kubectl.context ? ['--context', setup.kubectl.context] : []),
    ...[
      'wait',
      `--for=condition=${condition}`,
      `job/${name}`,
      '-n',
      setup.namespace,
      `--timeout=${timeoutS}s`,
    ],
  ];
  const waitFor = async (condition: 'complete' | 'failed') => {
    const result = await run(setup.kubectl.path, argv(condition), {
      timeoutMs: (timeoutS + 30) * 1000,
      signal: stop.signal,
    });
    if (result.exitCode !== 0) throw new Error(condition);
    return condition;
  };
  try {
    return await Promise.any([waitFor('complete'), waitFor('failed')]);
  } catch {
    return 'timeout';
  } finally {
    stop.abort(); // ends the wait that lost
    signal.removeEventListener('abort', onAbort);
  }
}

async function describeFailure(setup: GeneratorSetup, name: string): Promise<string> {
  const pods = await setup.kubectl.attempt(
    ['get', 'pods', '-n', setup.namespace, '-l', `meshgate.dev/job=${name}`, '-o', 'wide'],
    30_000,
  );
  return pods.stdout.trim() || pods.stderr.trim();
}

/** The Job of one trial's generators (its name, the object, and how long to wait for it). */
export function generatorJobFor(
  setup: GeneratorSetup,
  job: LoadJob,
): { name: string; object: KubeObject; timeoutS: number; window: MeasuredWindow } {
  const name = `${GENERATOR_POD_PREFIX}${setup.runId}-${++jobSequence}`.slice(0, 63);
  const startAtEpochMs = Date.now() + setup.leadMs;
  const timeoutS = Math.ceil((setup.leadMs + (job.warmupS + job.durationS) * 1000) / 1000) + 120;
  const object = generatorJob({
    name,
    namespace: setup.namespace,
    runId: setup.runId,
    generators: setup.generators,
    job: { ...job, startAtEpochMs },
    nodeImage: setup.nodeImage,
    bundleFiles: setup.bundleFiles,
    podMeta: setup.podMeta,
    nodeSelector: setup.nodeSelector,
    activeDeadlineS: timeoutS,
  });
  const measuredStartMs = startAtEpochMs + job.warmupS * 1000;
  return {
    name,
    object,
    timeoutS,
    window: { startEpochMs: measuredStartMs, endEpochMs: measuredStartMs + job.durationS * 1000 },
  };
}

/** Run one trial's Job; `onWindow` learns when its measured part will be (for resource sampling). */
export async function runGenerators(
  setup: GeneratorSetup,
  job: LoadJob,
  signal: AbortSignal,
  onWindow?: (window: MeasuredWindow) => void,
): Promise<LoadTrial> {
  const { name, object, timeoutS, window } = generatorJobFor(setup, job);
  onWindow?.(window);
  assertValidObjects([object]);
  await setup.kubectl.apply([object], {
    hint: `that namespace ${setup.namespace} exists and the Job quota allows ${setup.generators} pods`,
  });
  try {
    const outcome = await waitForJob(setup, name, timeoutS, signal);
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('trial aborted');
    if (outcome !== 'complete')
      throw new SetupError(
        `load generator Job ${name} in ${setup.namespace} ${outcome === 'failed' ? 'failed' : `did not complete within ${timeoutS} s`}:\n${await describeFailure(setup, name)}\n` +
          'Check: `kubectl describe pod` of the generator pods (image pull of the Node image, node resources, the load node label) and their logs',
      );
    const pods = await setup.kubectl.getJson<PodList>(
      ['pods', '-n', setup.namespace, '-l', `meshgate.dev/job=${name}`],
      {
        hint: `the generator pods of Job ${name}`,
      },
    );
    const ordered = [...pods.items].sort(
      (a, b) =>
        Number(a.metadata.annotations?.[COMPLETION_INDEX] ?? 0) -
        Number(b.metadata.annotations?.[COMPLETION_INDEX] ?? 0),
    );
    const trials: LoadTrial[] = [];
    for (const pod of ordered.filter((p) => p.status?.phase === 'Succeeded')) {
      const log = await setup.kubectl.logs(
        pod.metadata.name,
        setup.namespace,
        GENERATOR_CONTAINER,
        `the log of generator pod ${pod.metadata.name}`,
      );
      trials.push(parseGeneratorOutput(log, pod.metadata.name));
    }
    if (trials.length !== setup.generators)
      throw new SetupError(
        `load generator Job ${name} completed with ${trials.length} of ${setup.generators} generator trials; check the pods in ${setup.namespace}`,
      );
    const starts = trials.map((trial) => Date.parse(trial.startTime));
    const skewMs = Math.max(...starts) - Math.min(...starts);
    const merged = mergeTrials(trials);
    if (skewMs > MAX_START_SKEW_MS) throw new GeneratorSkewError(skewMs, merged);
    return merged;
  } finally {
    await setup.kubectl.attempt(
      [
        'delete',
        'job',
        name,
        '-n',
        setup.namespace,
        '--ignore-not-found',
        '--wait=false',
        '--cascade=background',
      ],
      60_000,
    );
  }
}
