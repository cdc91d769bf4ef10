/**
 * Every platform's implementation by name: adding one is a folder under platform/, its descriptor
 * in platform/catalog/platforms.ts (a line in the catalog's index) and one line here. The
 * profile's and the doors' lists of platform names come from the catalog. The doors (cli/,
 * action/), the pipeline and the cost phase reach a platform only through this file and
 * types.ts: its capabilities (validate, plan, post-step cleanup, tools) and the one mapping from
 * the doors' flags and inputs to its options.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Profile } from '../profile/types.js';
import type { Logger } from '../util/log.js';
import { PLATFORM_NAMES, isPlatformName, type PlatformName } from './catalog/index.js';
import { CLUSTER_CAPABILITIES } from './cluster/cluster-platform.js';
import { ClusterStepError, diagnosticsOf } from './cluster/diagnostics.js';
import { KindPlatform, type KindOptions } from './cluster/kind.js';
import { cleanupFromSavedState } from './cluster/kind-state.js';
import { KubernetesPlatform, type KubernetesOptions } from './cluster/kubernetes.js';
import { cleanupKubernetesFromState, isKubernetesState } from './cluster/kubernetes-state.js';
import { writeRunPlan } from './cluster/run-plan.js';
import {
  CLUSTER_SETTINGS,
  readClusterSettings,
  type ClusterSettings,
  type SettingsReader,
} from './cluster/settings.js';
import { partialCostOf } from './local/cost/phase.js';
import { LOCAL_CAPABILITIES, LocalPlatform } from './local/platform.js';
import type {
  Platform,
  PlatformCapabilities,
  PlatformContext,
  PlatformTool,
  ValidationPolicy,
} from './types.js';

/** Options for each platform, made by platformOptions() from a door's settings. */
export interface PlatformOptions {
  kind?: KindOptions;
  kubernetes?: KubernetesOptions;
}

interface PlatformEntry extends PlatformCapabilities {
  create(ctx: PlatformContext, options: PlatformOptions): Platform;
}

const PLATFORMS = {
  local: { ...LOCAL_CAPABILITIES, create: (ctx) => new LocalPlatform(ctx) },
  kind: {
    ...CLUSTER_CAPABILITIES,
    create: (ctx, options) => new KindPlatform(options.kind ?? {}, ctx),
    cleanupFromState: cleanupFromSavedState,
  },
  kubernetes: {
    ...CLUSTER_CAPABILITIES,
    create: (ctx, options) => new KubernetesPlatform(options.kubernetes ?? {}, ctx),
    cleanupFromState: async (saved, log) => {
      if (isKubernetesState(saved)) await cleanupKubernetesFromState(saved, log);
    },
  },
} as const satisfies Record<PlatformName, PlatformEntry>;

export { PLATFORM_NAMES, isPlatformName, type PlatformName };

const entry = (name: PlatformName): PlatformEntry => PLATFORMS[name];

export function createPlatform(
  name: PlatformName,
  ctx: PlatformContext,
  options: PlatformOptions = {},
): Platform {
  if (!isPlatformName(name)) throw new UserError(`platform "${name}" is not available in this build`);
  return entry(name).create(ctx, options);
}

// ---- Options from the doors: the same settings are action inputs and CLI flags ----

/** The platform settings both doors accept, parsed once (platform/cluster/settings.ts). */
export type PlatformSettings = ClusterSettings;
export type { SettingsReader };
/** Each setting's name (an action input and a CLI flag) and whether it is text or yes/no. */
export const PLATFORM_SETTINGS = CLUSTER_SETTINGS;
export const readPlatformSettings = readClusterSettings;

/** What only a door knows: the action pins tools, passes its token and saves the post step's state. */
export interface DoorContext {
  /** Use tools found on PATH (default true; the action wants pinned, checksummed ones). */
  preferPathTools?: boolean;
  githubToken?: string;
  diagnosticsDir?: string;
  /** Hand a platform's state to the post step (cleanupAfterRun reads it back). */
  saveState?: (platform: PlatformName, state: unknown) => void;
}

/** The one mapping from settings (and what the door adds) to the platforms' options. */
export function platformOptions(settings: PlatformSettings, door: DoorContext = {}): PlatformOptions {
  // Only what the door set: an absent key keeps each platform's own default.
  const doorOptions = (platform: PlatformName) => ({
    ...(door.preferPathTools !== undefined && { preferPathTools: door.preferPathTools }),
    ...(door.githubToken !== undefined && { githubToken: door.githubToken }),
    ...(door.diagnosticsDir !== undefined && { diagnosticsDir: door.diagnosticsDir }),
    ...(door.saveState && { onState: (state: unknown) => door.saveState!(platform, state) }),
  });
  return {
    kind: {
      clusterName: settings.kindCluster,
      keepCluster: settings.keepCluster,
      toolVersions: settings.toolVersions,
      generatorLeadMs: settings.generatorLeadMs,
      ...doorOptions('kind'),
    },
    kubernetes: {
      context: settings.kubernetesContext,
      toolVersions: settings.toolVersions,
      workloadNodeSelector: settings.workloadNodeSelector,
      loadNodeSelector: settings.loadNodeSelector,
      generatorLeadMs: settings.generatorLeadMs,
      ...doorOptions('kubernetes'),
    },
  };
}

// ---- Capabilities ----

/** The platform's checks of the profile before anything starts (exit 2 at once). */
export function checkProfileFor(name: PlatformName, profile: Profile): void {
  entry(name).checkProfile?.(profile, name);
}

/**
 * `meshgate validate`: every platform's checks of the profile's data-plane files (a profile's
 * platform can be overridden at run time, so all of them), each distinct check once, in table order.
 */
export async function validateForAllPlatforms(
  profile: Profile,
  workDir: string,
  policy: ValidationPolicy,
): Promise<void> {
  const checks = new Set(PLATFORM_NAMES.map((name) => entry(name).validate));
  for (const check of checks) await check?.(profile, workDir, policy);
}

/** `meshgate run --dry-run`: print the plan of `name` running `profile`; run nothing. */
export async function planRun(
  name: PlatformName,
  profile: Profile,
  options: { log: Logger; write: (text: string) => void; platformOptions?: PlatformOptions },
): Promise<void> {
  const { noPlan } = entry(name);
  if (noPlan) {
    const planned = PLATFORM_NAMES.filter((other) => !entry(other).noPlan);
    throw new UserError(
      `--dry-run plans the cluster platforms (${planned.join(', ')}); platform ${name} ${noPlan}`,
    );
  }
  const workDir = await mkdtemp(join(tmpdir(), 'meshgate-plan-'));
  try {
    const platform = createPlatform(name, { log: options.log, workDir }, options.platformOptions);
    if (!platform.planTrial) throw new UserError(`--dry-run: platform ${name} cannot print a plan`);
    await writeRunPlan(profile, platform as Platform & Required<Pick<Platform, 'planTrial'>>, options.write);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The action's post step: the platforms that leave something behind main's process. */
export function platformsWithPostCleanup(): PlatformName[] {
  return PLATFORM_NAMES.filter((name) => entry(name).cleanupFromState);
}

/** The action's post step: remove what `name` left behind, from the state it saved. */
export async function cleanupAfterRun(name: PlatformName, saved: unknown, log: Logger): Promise<void> {
  await entry(name).cleanupFromState?.(saved, log);
}

/** Programs `name` needs for `profile` that the action may install (Valgrind for cost on local). */
export function toolsNeeded(name: PlatformName, profile: Profile): PlatformTool[] {
  return (entry(name).tools ?? []).filter((tool) => tool.neededBy(profile));
}

/** A failed platform step that left a diagnostics bundle (a directory), or undefined. */
export { diagnosticsOf };

/** A failed platform step with its diagnostics (as diagnosticsOf gave them), under a new message. */
export function diagnosedError(message: string, diagnostics: { step: string; bundle: string }): Error {
  return new ClusterStepError(message, diagnostics.step, diagnostics.bundle);
}

/** The cost counted before a cost phase failed (kept on the error by the platform). */
export { partialCostOf };
