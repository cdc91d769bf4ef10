import { describe, expect, it } from '@jest/globals';
import { parseSettings } from '../../src/action/inputs.js';

const base = { 'github-token': 't', profile: 'profiles/p.yaml' };
const settingsWith = (inputs: Record<string, string>) =>
  parseSettings((name) => ({ ...base, ...inputs })[name] ?? '', {
    GITHUB_WORKSPACE: '/work/ws',
    RUNNER_TEMP: '/tmp/runner',
  });

describe('parseSettings', () => {
  it('defaults', () => {
    expect(settingsWith({})).toEqual({
      mode: 'measure',
      profilePath: '/work/ws/profiles/p.yaml',
      platform: undefined,
      token: 't',
      comment: 'always',
      commentAuthor: 'github-actions[bot]',
      failOnRegression: true,
      failOnInconclusive: false,
      baseline: { kind: 'artifact' },
      saveBaseline: 'auto',
      retentionDays: undefined,
      workingDirectory: '/work/ws',
      resultsDir: '/tmp/runner/meshgate',
    });
  });

  it.each([
    [{ baseline: 'file:base/results.json' }, { baseline: { kind: 'file', path: 'base/results.json' } }],
    [{ baseline: 'none' }, { baseline: { kind: 'none' } }],
    [
      { 'save-baseline': 'false', 'fail-on-regression': 'no' },
      { saveBaseline: false, failOnRegression: false },
    ],
    [
      { 'retention-days': '14', platform: 'kind' },
      { retentionDays: 14, platform: 'kind' },
    ],
    [
      { 'working-directory': 'sub', 'results-dir': 'out' },
      { profilePath: '/work/ws/sub/profiles/p.yaml', resultsDir: '/work/ws/sub/out' },
    ],
    [
      { mode: 'comment-from-artifact', profile: '' },
      { mode: 'comment-from-artifact', profilePath: undefined },
    ],
  ])('%j', (inputs, expected) => {
    expect(settingsWith(inputs)).toMatchObject(expected);
  });

  it.each([
    [
      { comment: 'sometimes' },
      'Invalid input comment "sometimes": expected one of always, on-regression, never',
    ],
    [{ baseline: 'file:' }, 'Invalid input baseline "file:"'],
    [{ baseline: 's3://x' }, 'expected artifact, file:PATH or none'],
    [{ 'fail-on-regression': 'maybe' }, 'Invalid input fail-on-regression "maybe": expected true or false'],
    [{ 'retention-days': '0' }, 'Invalid input retention-days "0"'],
    [{ 'retention-days': '3.5' }, 'from 1 to 90'],
    [{ platform: 'docker' }, 'Invalid input platform "docker"'],
    [{ mode: 'watch' }, 'Invalid input mode "watch"'],
    [{ profile: '' }, 'Input profile is required in measure mode'],
    [{ 'github-token': '' }, 'Input github-token is empty'],
  ])('rejects %j', (inputs, message) => {
    expect(() => settingsWith(inputs)).toThrow(message);
  });
});
