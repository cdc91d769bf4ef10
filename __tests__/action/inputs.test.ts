// test-group: unit
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
      cluster: { kindCluster: undefined, keepCluster: false, kubernetesContext: undefined, toolVersions: {} },
      history: { enabled: false, branch: 'meshgate-history', keep: 500 },
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
    [
      { 'kind-cluster': 'ci', 'keep-cluster': 'true', 'tool-versions': 'istioctl=1.27.1, kind=v0.29.0' },
      { cluster: { kindCluster: 'ci', keepCluster: true, toolVersions: { istioctl: '1.27.1', kind: 'v0.29.0' } } },
    ],
    [{ 'kubernetes-context': 'perf-lab' }, { cluster: { kubernetesContext: 'perf-lab' } }],
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
    [{ 'tool-versions': 'helm=3.15' }, 'Invalid input tool-versions "helm=3.15": expected tool=version'],
    [{ 'tool-versions': 'kind v0.29' }, 'Invalid input tool-versions "kind v0.29"'],
    [{ 'keep-cluster': 'sure' }, 'Invalid input keep-cluster "sure"'],
    [{ history: 'please' }, 'Invalid input history "please": expected true or false'],
    [{ 'history-branch': '--upload-pack=x' }, 'Invalid input history-branch "--upload-pack=x"'],
    [{ 'history-branch': 'a..b' }, 'Invalid input history-branch "a..b"'],
    [{ 'history-keep': '3' }, 'Invalid input history-keep "3": expected a whole number of records from 10 to 5000'],
  ])('rejects %j', (inputs, message) => {
    expect(() => settingsWith(inputs)).toThrow(message);
  });
});

describe('cluster settings, the same for both doors', () => {
  it('node selectors are parsed with label syntax; the CLI flags give the same settings as the inputs', async () => {
    const { clusterFlags } = await import('../../src/cli/commands/run.js');
    const { parseSettings } = await import('../../src/action/inputs.js');
    const inputs: Record<string, string> = {
      profile: 'p.yaml',
      'github-token': 't',
      'kind-cluster': 'mine',
      'keep-cluster': 'true',
      'kubernetes-context': 'prod',
      'tool-versions': 'istioctl=1.27.3',
      'workload-node-selector': 'pool=workload',
      'load-node-selector': 'pool=load, kubernetes.io/arch=amd64',
      'generator-lead': '30s',
    };
    const fromAction = parseSettings((name) => inputs[name] ?? '', {}).cluster;
    const fromCli = clusterFlags({ ...inputs, 'keep-cluster': true });
    expect(fromCli).toEqual(fromAction);
    expect(fromAction.loadNodeSelector).toEqual({ pool: 'load', 'kubernetes.io/arch': 'amd64' });
    expect(fromAction.generatorLeadMs).toBe(30_000);
  });

  it.each(['30', '0s', '500ms', '11m', 'soon'])('refuses generator lead %p', async (bad) => {
    const { parseGeneratorLead } = await import('../../src/platform/cluster/settings.js');
    expect(() => parseGeneratorLead(bad, '--generator-lead')).toThrow(
      `Invalid --generator-lead "${bad}": expected a duration from 1s to 10m, e.g. 15s`,
    );
    expect(parseGeneratorLead('', '--generator-lead')).toBeUndefined();
  });

  it.each(['pool', 'pool=a=b', 'Pool Name=x', 'pool=a/b', `pool=${'v'.repeat(64)}`])('refuses node selector %p', async (bad) => {
    const { parseNodeSelector } = await import('../../src/platform/cluster/settings.js');
    expect(() => parseNodeSelector(bad, '--load-node-selector')).toThrow(/Invalid --load-node-selector/);
  });
});
