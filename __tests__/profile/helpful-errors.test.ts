// requires: nginx
/**
 * Profiles that help: every improved message, table-driven, plus the round trip of `validate`,
 * `${NAME}` substitution and the warnings. In process (parseProfileText), except the CLI's own
 * words for commands and flags.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { optionError } from '../../src/cli/args.js';
import { parseProfile, parseProfileText } from '../../src/profile/load.js';
import { closest, editDistance } from '../../src/util/suggest.js';
import { profileToInput } from '../../src/profile/to-input.js';
import { profileWarnings } from '../../src/profile/warnings.js';
import { runCli } from '../helpers/cli.js';

const messageOf = (yaml: string, env: NodeJS.ProcessEnv = {}): string => {
  try {
    parseProfile(parseYaml(yaml), 'p.yaml', env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the profile to be rejected');
};

describe('improved profile errors', () => {
  const cases: [string, string, string][] = [
    [
      'a typo of a key gets a suggestion',
      'name: x\nload: {rsp: 500}',
      'p.yaml: load: unknown key "rsp"; did you mean "rps"?',
    ],
    [
      'a typo at the top level',
      'name: x\ntrails: 2',
      'p.yaml: (top level): unknown key "trails"; did you mean "trials"?',
    ],
    [
      'in a threshold',
      'name: x\ngate: {p99: {max_increse: 10%}}',
      'p.yaml: gate.p99: unknown key "max_increse"; did you mean "max_increase"?',
    ],
    [
      'in a mesh entry',
      'name: x\nmesh: [{name: istio, mtsl: true}]',
      'p.yaml: mesh[0]: unknown key "mtsl"; did you mean "mtls"?',
    ],
    [
      'in a build',
      'name: x\nworkload: {builds: {base: {sample: echo}, head: {sample: echo, dealy: 1ms}}}',
      'unknown key "dealy"; did you mean "delay"?',
    ],
    ['nothing close: no suggestion', 'name: x\nload: {banana: 1}', 'p.yaml: load: unknown key "banana"'],
    [
      'bare 10 is not +1000%',
      'name: x\ngate: {p99: {max_increase: 10}}',
      'gate.p99.max_increase: a bare number is a fraction (1 = 100%); write 10% for 10 percent, or 0.1 as a fraction',
    ],
    [
      'bare error-rate number',
      'name: x\ngate: {error_rate: {max: 5}}',
      'gate.error_rate.max: a bare number is a fraction',
    ],
    [
      'an unset variable names itself and the field',
      'name: x\nworkload: {image: "app:${IMAGE_TAG}"}',
      'p.yaml: workload.image: environment variable IMAGE_TAG is not set (used as ${IMAGE_TAG})',
    ],
    [
      'a malformed reference',
      'name: x\nworkload: {image: "app:${1TAG}"}',
      'p.yaml: workload.image: "${1TAG}" is not a variable name',
    ],
  ];
  test.each(cases)('%s', (_label, yaml, expected) => {
    expect(messageOf(yaml)).toContain(expected);
  });

  test('an unknown key brings no follow-on errors from the defaults it left in place', () => {
    const message = messageOf('name: x\ntrails: 2\nmax_trials: 4');
    expect(message).toBe('p.yaml: (top level): unknown key "trails"; did you mean "trials"?');
  });

  test('several unknown keys: one line with each suggestion', () => {
    expect(messageOf('name: x\nload: {rsp: 5, duraton: 5s}')).toBe(
      'p.yaml: load: unknown keys "rsp", "duraton"; did you mean "rsp" → "rps", "duraton" → "duration"?',
    );
  });

  test('YAML syntax errors name the line and column', () => {
    expect(() => parseProfileText('name: x\nload:\n  rps: [1, 2\n', 'p.yaml')).toThrow(
      /^p\.yaml: line \d+, column \d+: invalid YAML/,
    );
  });

  test('fractions up to 1 and percentages still work', () => {
    const profile = parseProfileText(
      'name: x\ngate: {p99: {max_increase: 0.1}, error_rate: {max: 1%}}',
      'p.yaml',
    );
    expect(profile.gate.latency.p99!.maxIncrease).toBe(0.1);
    expect(profile.gate.errorRate.max).toBeCloseTo(0.01);
  });
});

describe('${NAME} in profile strings', () => {
  test('is replaced in every string value, $${ stays literal', () => {
    const profile = parseProfile(
      parseYaml(
        'name: x\nworkload: {image: "registry.local/app:${GITHUB_SHA}", port: 8080}\ndescription: "cost $${HOME}"',
      ),
      'p.yaml',
      { GITHUB_SHA: 'abc123' },
    );
    expect(profile.workload.builds.head).toEqual({
      kind: 'image',
      image: 'registry.local/app:abc123',
      port: 8080,
    });
    expect(profile.description).toBe('cost ${HOME}');
  });

  test('a substituted value is validated like any other', () => {
    expect(
      messageOf('name: x\nworkload: {url: "${TARGET}"}', { TARGET: 'ftp://x' } as NodeJS.ProcessEnv),
    ).toContain('workload.url');
  });
});

describe('warnings', () => {
  test.each([
    [
      1,
      /trials: 1 trial per variant cannot estimate the noise: every verdict will be inconclusive; use at least 3/,
    ],
    [2, /trials: 2 trials per variant give an interval so wide/],
  ])('trials: %p', (trials, expected) => {
    const [warning] = profileWarnings(parseProfileText(`name: x\ntrials: ${trials}`, 'p.yaml'), 'p.yaml');
    expect(warning).toMatch(expected);
  });

  test('none for 3 trials or more', () => {
    expect(profileWarnings(parseProfileText('name: x\ntrials: 3', 'p.yaml'), 'p.yaml')).toEqual([]);
  });
});

describe('validate round-trips', () => {
  const files = readdirSync('profiles').filter((f) => f.endsWith('.yaml'));
  test.each(files)('profiles/%s: the printed form is a profile that normalises to the same thing', (file) => {
    // Named by their path, so a data plane's files resolve next to the profile.
    const profile = parseProfileText(readFileSync(join('profiles', file), 'utf8'), join('profiles', file));
    const printed = stringify(profileToInput(profile));
    expect(printed).not.toMatch(/durationS|maxTrials|cpuPinning|maxIncrease/);
    expect(parseProfileText(printed, join('profiles', 'printed.yaml'))).toEqual(profile);
  });

  test('with local proxies, mTLS, overhead and throughput thresholds', () => {
    const profile = parseProfileText(
      [
        'name: rt',
        'mesh: [none, {name: nginx, hops: 2, tls: true}, {name: istio, mode: ambient, mtls: true}]',
        'workload: {builds: {base: {command: [./srv, "{port}"], env: {A: b}}, head: {url: "http://127.0.0.1:9"}}}',
        'load: {rps: 0, duration: 1500ms, warmup: 250us}',
        'gate: {p90: {max_increase: 12.5%, min_delta: 300us}, overhead: {p99: {max_increase: 50%}}, throughput: {max_decrease: 5%}}',
      ].join('\n'),
      'p.yaml',
    );
    expect(parseProfileText(stringify(profileToInput(profile)), 'again.yaml')).toEqual(profile);
  });
});

describe('did you mean, for commands and flags', () => {
  test.each([
    ['rps', 'rsp', ['rps', 'connections']],
    ['trials', 'trails', ['trials', 'max_trials']],
    [undefined, 'zzz', ['rps']],
  ])('%p for %p', (expected, word, candidates) => expect(closest(word, candidates)).toBe(expected));

  test('edit distance counts a swap as one', () => expect(editDistance('trails', 'trials')).toBe(1));

  test('a mistyped flag is named with a suggestion, not parseArgs advice', () => {
    const message = optionError(
      "TypeError [ERR_PARSE_ARGS_UNKNOWN_OPTION]: Unknown option '--markdwon'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--markdwon\"",
      { markdown: { type: 'string' }, json: { type: 'string' } },
    );
    expect(message).toBe('unknown option --markdwon; did you mean --markdown?');
  });

  test('the CLI: an unknown command and an unknown flag', async () => {
    const command = await runCli(['chekc']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('meshgate: unknown command "chekc"; did you mean "check"?');
    const flag = await runCli(['check', 'x.json', '--markdwon', 'c.md']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(
      'meshgate check: unknown option --markdwon; did you mean --markdown? (see meshgate check --help)',
    );
  }, 30_000);
});
