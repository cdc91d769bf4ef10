/**
 * The action's inputs, read once into one typed Settings object (never at import time). Every
 * field is validated here; errors name the input and the bad value. action.yml documents the same
 * inputs for users, and a test keeps the two in step.
 */
import * as core from '@actions/core';
import { isAbsolute, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError, quoteValue } from '../errors.js';
import type { BaselineSpec } from '../baseline/store.js';
import type { PlatformName } from '../profile/types.js';
import { PLATFORM_NAMES, readPlatformSettings, type PlatformSettings } from '../platform/registry.js';
import { checkBranchName, DEFAULT_HISTORY_BRANCH, DEFAULT_KEEP } from '../history/branch-store.js';
import type { HistorySettings } from '../history/action-steps.js';

export type CommentPolicy = 'always' | 'on-regression' | 'never';
export type ActionMode = 'measure' | 'comment-from-artifact';

export interface Settings {
  /** measure: run the profile. comment-from-artifact: post the comment a fork PR's run left behind. */
  mode: ActionMode;
  /** Profile file, resolved against workingDirectory. Required in measure mode. */
  profilePath?: string;
  /** Overrides the profile's platform. */
  platform?: PlatformName;
  /** Token for the REST API (comments, runs, artifacts). Never logged. */
  token: string;
  /** When to post or update the sticky PR comment. */
  comment: CommentPolicy;
  /** Login that owns the token's comments; only its comments are updated. */
  commentAuthor: string;
  /** Fail the step when the verdict is "regression". */
  failOnRegression: boolean;
  /** Fail the step when the verdict is "inconclusive". */
  failOnInconclusive: boolean;
  /** Where the baseline comes from. */
  baseline: BaselineSpec;
  /** Save this run's results as the baseline: 'auto' = on pushes to the default branch. */
  saveBaseline: 'auto' | boolean;
  /** Retention of uploaded artifacts in days (undefined: the repository's default). */
  retentionDays?: number;
  /** Directory the profile and relative paths are resolved against. */
  workingDirectory: string;
  /** Directory for results.json, verdict.json and report.md (one subdirectory per profile). */
  resultsDir: string;
  /** The history on a data branch (push runs write it, pull requests read it): off unless asked for. */
  history: HistorySettings;
  /** Cluster platforms: an existing kind cluster, keeping a created one, the kubeconfig context, tool versions. */
  cluster: PlatformSettings;
}

const PLATFORMS: readonly PlatformName[] = PLATFORM_NAMES;

function oneOf<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`Invalid input ${input} ${quoteValue(value)}: expected one of ${allowed.join(', ')}`);
}

function flag(input: string, value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(normalised)) return true;
  if (['false', 'no', '0', 'off'].includes(normalised)) return false;
  throw new UserError(`Invalid input ${input} ${quoteValue(value)}: expected true or false`);
}

export function parseBaselineSpec(value: string): BaselineSpec {
  if (value === 'artifact' || value === 'none') return { kind: value };
  if (value.startsWith('file:') && value.length > 'file:'.length)
    return { kind: 'file', path: value.slice('file:'.length) };
  throw new UserError(`Invalid input baseline ${quoteValue(value)}: expected artifact, file:PATH or none`);
}

/** How an error names an action input. */
const where = (name: string) => `input ${name}`;

/** Read inputs through `get` (core.getInput in the action; a map in tests). */
export function parseSettings(get: (name: string) => string, env: NodeJS.ProcessEnv = process.env): Settings {
  const text = (name: string, fallback = '') => get(name).trim() || fallback;
  const mode = oneOf('mode', text('mode', 'measure'), ['measure', 'comment-from-artifact'] as const);
  const workingDirectory = resolve(env.GITHUB_WORKSPACE ?? process.cwd(), text('working-directory', '.'));
  const profile = text('profile');
  if (mode === 'measure' && !profile)
    throw new UserError('Input profile is required in measure mode (a path to a profile YAML file)');
  const platform = text('platform');
  const saveBaseline = text('save-baseline', 'auto');
  const retention = text('retention-days');
  const retentionDays = retention ? Number(retention) : undefined;
  if (
    retentionDays !== undefined &&
    !(Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 90)
  )
    throw new UserError(
      `Invalid input retention-days ${quoteValue(retention)}: expected a whole number of days from 1 to 90`,
    );
  const resultsDir = text('results-dir', join(env.RUNNER_TEMP || tmpdir(), 'meshgate'));
  const historyBranch = text('history-branch', DEFAULT_HISTORY_BRANCH);
  const branchProblem = checkBranchName(historyBranch);
  if (branchProblem)
    throw new UserError(`Invalid input history-branch ${quoteValue(historyBranch)}: ${branchProblem}`);
  const keepText = text('history-keep', String(DEFAULT_KEEP));
  const keep = Number(keepText);
  if (!(Number.isInteger(keep) && keep >= 10 && keep <= 5000))
    throw new UserError(
      `Invalid input history-keep ${quoteValue(keepText)}: expected a whole number of records from 10 to 5000`,
    );
  const token = get('github-token').trim();
  if (!token) throw new UserError('Input github-token is empty; the default is ${{ github.token }}');
  return {
    mode,
    profilePath: profile ? resolve(workingDirectory, profile) : undefined,
    platform: platform ? oneOf('platform', platform, PLATFORMS) : undefined,
    token,
    comment: oneOf('comment', text('comment', 'always'), ['always', 'on-regression', 'never'] as const),
    commentAuthor: text('comment-author', 'github-actions[bot]'),
    failOnRegression: flag('fail-on-regression', text('fail-on-regression', 'true')),
    failOnInconclusive: flag('fail-on-inconclusive', text('fail-on-inconclusive', 'false')),
    baseline: parseBaselineSpec(text('baseline', 'artifact')),
    saveBaseline: saveBaseline === 'auto' ? 'auto' : flag('save-baseline', saveBaseline),
    retentionDays,
    workingDirectory,
    resultsDir: isAbsolute(resultsDir) ? resultsDir : resolve(workingDirectory, resultsDir),
    history: { enabled: flag('history', text('history', 'false')), branch: historyBranch, keep },
    cluster: readPlatformSettings({
      text: (name) => text(name),
      flag: (name) => flag(name, text(name, 'false')),
      where,
    }),
  };
}

/** The action's settings from its inputs, each logged with core.debug (the token as a length only). */
export function readInputs(): Settings {
  const settings = parseSettings((name) => core.getInput(name));
  core.setSecret(settings.token);
  for (const [key, value] of Object.entries(settings))
    core.debug(
      `input ${key}: ${key === 'token' ? `(${String(value).length} characters)` : JSON.stringify(value)}`,
    );
  return settings;
}
