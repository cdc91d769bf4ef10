// requires: nginx
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { stringify } from 'yaml';
import { UserError } from '../../src/errors.js';
import { loadProfile, parseProfileText } from '../../src/profile/load.js';
import { profileToInput } from '../../src/profile/to-input.js';
import { profileWarnings } from '../../src/profile/warnings.js';
import { runCli } from '../helpers/cli.js';

const profile = (capacity: string, extra = '') =>
  `name: c\nworkload: { sample: echo, delay: 2ms, concurrency: 1 }\nload:\n  duration: 2s\n  warmup: 500ms\n  capacity: ${capacity}\n${extra}`;
const GOOD = '{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000 }';

describe('profile: load.capacity', () => {
  test('normalised with its defaults; connections sized for twice the SLO at max_rps', () => {
    const parsed = parseProfileText(profile(GOOD), 'p.yaml');
    expect(parsed.load.capacity).toEqual({
      slo: { latencyMs: { p99: 5 }, errorRate: 0.001 },
      minRps: 100,
      maxRps: 2000,
      precision: 0.05,
      maxTimeS: 300,
      borderline: 0.1,
      retries: 2,
    });
    expect(parsed.load.connections).toBe(20); // 2000 rps × 2 × 5 ms
    expect(parseProfileText(profile('{ slo: { p99: 5ms }, min_rps: 100, max_rps: 500 }'), 'p.yaml').load.connections).toBe(16);
    expect(parsed.workload.builds.head).toMatchObject({ kind: 'sample', delayMs: 2, concurrency: 1 });
    expect(profileWarnings({ ...parsed, trials: 1 }, 'p.yaml')).toEqual([]);
  });

  test('the printed form reads back to the same profile', () => {
    const parsed = parseProfileText(
      profile('{ slo: { p50: 1ms, p99: 5ms, errors: 0% }, min_rps: 50, max_rps: 800, precision: 2%, max_time: 90s, borderline: 5%, retries: 1 }', 'gate: { capacity: { max_decrease: 15% }, overhead: { capacity: { max_decrease: 40% } } }\n'),
      'p.yaml',
    );
    expect(parsed.gate.capacity).toEqual({ maxDecrease: 0.15 });
    expect(parsed.gate.overheadCapacity).toEqual({ maxDecrease: 0.4 });
    const again = parseProfileText(stringify(profileToInput(parsed)), 'printed.yaml');
    expect(again).toEqual(parsed);
  });

  test.each([
    ['{ min_rps: 100, max_rps: 2000 }', 'load.capacity.slo: missing'],
    ['{ slo: { errors: 1% }, min_rps: 100, max_rps: 2000 }', 'load.capacity.slo: expected at least one latency ceiling'],
    ['{ slo: { p99: 5 }, min_rps: 100, max_rps: 2000 }', 'load.capacity.slo.p99: expected a duration with a unit'],
    ['{ slo: { p99: 5ms, p98: 4ms }, min_rps: 100, max_rps: 2000 }', 'load.capacity.slo: unknown key "p98"'],
    ['{ slo: { p99: 5ms }, min_rps: 0, max_rps: 2000 }', 'load.capacity.min_rps: expected a rate ≥ 1 request per second where the search starts'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 100 }', 'load.capacity.max_rps: must be above min_rps (100), got 100'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, precision: 0.1% }', 'load.capacity.precision: expected a precision from 0.5% to 100%'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, precision: 5 }', 'load.capacity.precision: a bare number is a fraction'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, max_time: 7h }', 'load.capacity.max_time: expected a duration above 0 and at most 6h'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, max_time: 2s }', 'load.capacity.max_time: 2s is less than one step of each of the 1 variant(s)'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, retries: 9 }', 'load.capacity.retries: expected a whole number from 0 to 4'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, borderline: 60% }', 'load.capacity.borderline: expected a band from 0% to 50%'],
    ['{ slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, precison: 5% }', 'load.capacity: unknown key "precison"; did you mean "precision"?'],
  ])('%s → %s', (capacity, message) => {
    expect(() => parseProfileText(profile(capacity), 'p.yaml')).toThrow(UserError);
    expect(() => parseProfileText(profile(capacity), 'p.yaml')).toThrow(`p.yaml: ${message}`);
  });

  test('capacity thresholds without a capacity search, and a search with imported results, are refused', () => {
    expect(() => parseProfileText('name: c\ngate: { capacity: { max_decrease: 10% } }\n', 'p.yaml')).toThrow(
      'p.yaml: gate.capacity: applies to capacity profiles only (load.capacity)',
    );
    expect(() => parseProfileText(profile(GOOD, 'import_results: [{ file: f.json, variant: head/none }]\n'), 'p.yaml')).toThrow(
      'p.yaml: load.capacity: a capacity search runs load; it cannot be combined with import_results',
    );
    expect(() => parseProfileText(profile(GOOD, 'gate: { capacity: { max_decrease: 100% } }\n'), 'p.yaml')).toThrow(
      'p.yaml: gate.capacity.max_decrease: expected a share below 100%',
    );
  });

  test('max_time must hold one step of every variant', () => {
    const twoBuilds = `name: c\nworkload:\n  builds:\n    base: { sample: echo }\n    head: { sample: echo }\nmesh: [none, nginx]\nload:\n  duration: 2s\n  warmup: 500ms\n  capacity: { slo: { p99: 5ms }, min_rps: 100, max_rps: 2000, max_time: 9s }\n`;
    expect(() => parseProfileText(twoBuilds, 'p.yaml')).toThrow(
      'p.yaml: load.capacity.max_time: 9s is less than one step of each of the 4 variant(s) (4 × 2500ms of warm-up and duration)',
    );
  });

  test('the sample server\'s concurrency needs a delay', () => {
    expect(() => parseProfileText('name: c\nworkload: { sample: echo, concurrency: 1 }\n', 'p.yaml')).toThrow(
      'p.yaml: workload.concurrency: concurrency needs a delay',
    );
    expect(() => parseProfileText('name: c\nworkload: { url: "http://127.0.0.1:1", concurrency: 1 }\n', 'p.yaml')).toThrow(
      'concurrency does not apply to a url build',
    );
  });

  test('the example profiles are valid', async () => {
    for (const name of ['capacity-known', 'capacity-sidecar']) {
      const loaded = await loadProfile(join('profiles', `${name}.yaml`));
      expect(loaded.load.capacity).toBeDefined();
    }
  });
});

describe('meshgate validate on a broken capacity profile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshgate-capacity-profile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('exit 2, one line naming the file and the field, no stack trace', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, profile('{ slo: { p99: fast }, min_rps: 100, max_rps: 2000 }'));
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `meshgate: ${file}: load.capacity.slo.p99: expected a duration with a unit, like 250us, 500ms, 15s or 2m, got "fast"`,
    );
    expect(run.stdout).toBe('');
  });
});
