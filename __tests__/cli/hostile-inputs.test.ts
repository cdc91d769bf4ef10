// Hostile and broken inputs through the real CLI (bundled once, see helpers/cli-bundle.ts): every
// one must end with exit 2, one line on stderr naming the file and the field, no stack trace, in
// bounded time and memory (a 256 MB heap cap; peak RSS when GNU time is installed).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { around, makeResults } from '../__fixtures__/results.js';
import { bundleCli, runBounded, type BoundedRun, type BundledCli } from '../helpers/cli-bundle.js';
import { HOSTILE_HISTOGRAMS } from '../helpers/hostile-histograms.js';
import type { Results } from '../../src/results/schema.js';

interface Case {
  name: string;
  /** File name and content (string, bytes, or a function of a valid results document). */
  file: string;
  content: string | Buffer | ((valid: Results) => unknown) | { sparseBytes: number };
  /** Command line after the file is written; FILE stands for its path. */
  args?: string[];
  /** What the one line must name (besides the file). */
  expected: RegExp;
}

const profile = (yaml: string): Pick<Case, 'file' | 'content'> => ({ file: 'profile.yaml', content: `name: hostile\n${yaml}\n` });
const smp = (client: string, extra = ''): Pick<Case, 'file' | 'content'> => ({
  file: 'smp.yaml',
  content: `test:\n  name: t\n  duration: 1s\n  clients:\n    - ${client}\n${extra}`,
});
const results = (edit: (r: any) => void, args?: string[]): Pick<Case, 'file' | 'content' | 'args'> => ({
  file: 'results.json',
  content: (valid) => {
    const copy = structuredClone(valid) as any;
    edit(copy);
    return copy;
  },
  args,
});
const histogram = (make: () => string, field = 'histogram') =>
  results((r) => (r.variants[0].trials[1][field] = make()));

const billionLaughs = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const name = String.fromCharCode(98 + i);
    const prev = String.fromCharCode(97 + i);
    return `${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
  }),
  'name: lol',
].join('\n');
const aliasChain = ['a0: &a0 x', ...Array.from({ length: 2000 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}]`), 'name: chain'].join('\n');

const CASES: Case[] = [
  // Profiles: the engine's limits, framing, characters.
  { name: 'rps beyond the engine', ...profile('load: { rps: 1e12 }'), expected: /load\.rps: expected at most 10000000/ },
  { name: 'duration of 100000h', ...profile('load: { duration: 100000h }'), expected: /load\.duration: expected a duration above 0 and at most 24h/ },
  { name: 'timeout 0s', ...profile('load: { timeout: 0s }'), expected: /load\.timeout: expected a duration above 0/ },
  { name: 'timeout of an hour', ...profile('load: { timeout: 1h }'), expected: /load\.timeout: .*at most 600s/ },
  { name: 'warmup of 1000000h', ...profile('load: { warmup: 1000000h }'), expected: /load\.warmup:/ },
  { name: 'a million connections', ...profile('load: { connections: 1000000 }'), expected: /load\.connections: expected at most 100000/ },
  { name: '1000 threads', ...profile('load: { threads: 1000 }'), expected: /load\.threads: expected at most 256/ },
  { name: 'CRLF in a header name', ...profile('load: { request: { headers: { "a\\r\\nb": x } } }'), expected: /load\.request\.headers\["a\\r\\nb"\]: must be a header name/ },
  { name: 'CRLF in a header value', ...profile('load: { request: { headers: { x: "a\\r\\nInjected: 1" } } }'), expected: /load\.request\.headers\.x: must not contain line breaks/ },
  { name: 'NUL in a header value', ...profile('load: { request: { headers: { x: "a\\0b" } } }'), expected: /load\.request\.headers\.x: must not contain/ },
  { name: 'space in the path', ...profile('load: { request: { path: "/a b" } }'), expected: /load\.request\.path: must start with "\/" and contain no whitespace/ },
  { name: 'CRLF in the path', ...profile('load: { request: { path: "/a\\r\\nHost: evil" } }'), expected: /load\.request\.path:/ },
  { name: 'a path that is a URL', ...profile('load: { request: { path: "http://evil.example/" } }'), expected: /load\.request\.path:/ },
  { name: 'a user content-length', ...profile('load: { request: { headers: { Content-Length: "0" }, body: hello } }'), expected: /load\.request\.headers\.Content-Length: is set by the load engine/ },
  { name: 'a user transfer-encoding', ...profile('load: { request: { headers: { transfer-encoding: chunked } } }'), expected: /load\.request\.headers\.transfer-encoding: is set by the load engine/ },
  { name: 'a 1.5 MB request body', ...profile(`load: { request: { body: "${'x'.repeat(1_500_000)}" } }`), expected: /load\.request\.body: must be at most 1048576 bytes/ },
  { name: '150 headers', ...profile(`load: { request: { headers: { ${Array.from({ length: 150 }, (_, i) => `h${i}: v`).join(', ')} } } }`), expected: /load\.request\.headers: at most 100 headers/ },
  { name: 'a method with CRLF', ...profile('load: { request: { method: "GET / HTTP/1.1\\r\\nX: y" } }'), expected: /load\.request\.method: expected an HTTP method/ },
  { name: 'a url build with a path', ...profile('workload: { url: "http://127.0.0.1:1/x" }'), expected: /workload\.url: expected an http:\/\/ or https:\/\/ base URL without a path/ },
  { name: 'a file: url build', ...profile('workload: { url: "file:///etc/passwd" }'), expected: /workload\.url: expected an http:\/\/ or https:\/\/ base URL/ },
  { name: 'rps NaN', ...profile('load: { rps: .nan }'), expected: /load\.rps:/ },
  { name: 'rps infinite', ...profile('load: { rps: .inf }'), expected: /load\.rps:/ },
  { name: 'negative trials', ...profile('trials: -1'), expected: /trials: expected a whole number/ },
  { name: 'a confidence of 5', ...profile('gate: { confidence: 5 }'), expected: /gate\.confidence: (expected a confidence level|a bare number is a fraction)/ },
  { name: 'an unknown mesh', ...profile('mesh: [bogus]'), expected: /mesh\[0\]: unknown mesh/ },
  { name: 'an unknown key', ...profile('lod: { rps: 1 }'), expected: /\(top level\): unknown key "lod"/ },
  { name: 'a header value that is a list', ...profile('load: { request: { headers: { x: [1, 2] } } }'), expected: /load\.request\.headers\.x:/ },
  { name: 'a name with an escape sequence', file: 'profile.yaml', content: 'name: "\\e[31mred"\n', expected: /name: expected lowercase letters.*\\u001b/ },
  { name: 'a name with a line break', file: 'profile.yaml', content: 'name: "a\\nb"\n', expected: /name: expected lowercase letters/ },
  // YAML itself.
  { name: 'a billion laughs', file: 'profile.yaml', content: billionLaughs, expected: /invalid YAML: too many aliases/ },
  { name: 'a 2000-deep alias chain', file: 'profile.yaml', content: aliasChain, expected: /invalid YAML: too many aliases/ },
  { name: 'nesting 50,000 deep', file: 'profile.yaml', content: `name: deep\nx: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, expected: /invalid YAML: nested too deeply/ },
  { name: 'a 5 MB scalar', file: 'profile.yaml', content: `name: big\ndescription: ${'x'.repeat(5_000_000)}\n`, expected: /more than a profile may hold/ },
  { name: 'binary garbage', file: 'profile.yaml', content: randomBytes(4096), expected: /profile\.yaml: / },
  { name: 'a duplicate key', file: 'profile.yaml', content: 'name: a\nname: b\n', expected: /invalid YAML: Map keys must be unique/ },
  { name: 'an undefined alias', file: 'profile.yaml', content: 'name: *nope\n', expected: /invalid YAML/ },
  { name: 'a list at the top', file: 'profile.yaml', content: '- a\n- b\n', expected: /expected a YAML mapping/ },
  { name: 'an empty file', file: 'profile.yaml', content: '', expected: /expected a YAML mapping/ },
  // SMP conversion.
  { name: 'an SMP endpoint that is not a URL', ...smp('endpoint_urls: ["not a url"]'), expected: /test\.clients\[0\]\.endpoint_urls\[0\]: expected an http:\/\/ or https:\/\/ URL, got "not a url"/ },
  { name: 'an SMP file: endpoint', ...smp('endpoint_urls: ["file:///etc/passwd"]'), expected: /test\.clients\[0\]\.endpoint_urls\[0\]:/ },
  { name: 'an SMP endpoint that is a number', ...smp('endpoint_urls: [42]'), expected: /test\.clients\[0\]\.endpoint_urls\[0\]:/ },
  { name: 'an SMP mesh type that is text', ...smp('endpoint_urls: ["http://127.0.0.1:1"]', 'mesh:\n  type: "x"\n'), expected: /mesh\.type: "x"/ },
  { name: 'an SMP test without clients', file: 'smp.yaml', content: 'test:\n  name: t\n  clients: []\n', expected: /test\.clients: expected at least one client/ },
  { name: 'an SMP header with CRLF', ...smp('endpoint_urls: ["http://127.0.0.1:1"]\n      headers: { "x": "a\\r\\nb: c" }'), expected: /load\.request\.headers\.x: must not contain line breaks/ },
  // Results files (check; report and export below).
  { name: 'results that are not JSON', file: 'results.json', content: '{ "schema": ', args: ['check', 'FILE'], expected: /not valid JSON/ },
  { name: 'results of binary garbage', file: 'results.json', content: randomBytes(4096), args: ['check', 'FILE'], expected: /not valid JSON/ },
  { name: 'results of another schema', ...results((r) => (r.schema = 'other@1')), expected: /schema: expected "meshgate\/results@1"/ },
  { name: 'a negative latency', ...results((r) => (r.variants[0].trials[0].latencyMs.p99 = -5)), expected: /variants\[0\]\.trials\[0\]\.latencyMs\.p99: expected a latency ≥ 0/ },
  { name: 'a negative variant latency', ...results((r) => (r.variants[1].latencyMs.p50 = -1)), expected: /variants\[1\]\.latencyMs\.p50:/ },
  { name: 'an infinite latency', file: 'results.json', content: (valid) => JSON.stringify(valid).replace('"p999":', '"p999":1e999,"x":'), args: ['check', 'FILE'], expected: /variants\[0\]\..*p999/ },
  { name: 'more errors than requests', ...results((r) => (r.variants[0].trials[2].errors = r.variants[0].trials[2].requests + 1)), expected: /variants\[0\]\.trials\[2\]\.errors: \d+ errors in \d+ requests/ },
  { name: 'negative requests', ...results((r) => (r.variants[0].trials[0].requests = -3)), expected: /variants\[0\]\.trials\[0\]\.requests:/ },
  { name: 'duplicate variant ids', ...results((r) => (r.variants[1].id = r.variants[0].id)), expected: /variants\[1\]\.id: "base\/none" is also variants\[0\]/ },
  { name: 'an embedded confidence of 5', ...results((r) => (r.profile.gate.confidence = 5)), expected: /profile\.gate\.confidence: expected a confidence level between 0\.5 and 1/ },
  { name: 'an embedded negative threshold', ...results((r) => (r.profile.gate.latency = { p99: { maxIncrease: -1, minDeltaMs: 0 } })), expected: /profile\.gate\.latency\.p99\.maxIncrease:/ },
  { name: 'a variant id with markup', ...results((r) => (r.variants[0].id = '@octocat [x](https://evil.example)')), expected: /variants\[0\]\.id: expected a variant id/ },
  { name: 'a mesh name with markup', ...results((r) => (r.variants[0].mesh = '<img src=x>')), expected: /variants\[0\]\.mesh: expected a mesh name/ },
  { name: 'a 5000-character runner', ...results((r) => (r.environment.runner = 'r'.repeat(5000))), expected: /environment\.runner: expected at most 200 characters/ },
  { name: 'a profile name with a marker', ...results((r) => (r.profile.name = 'x --> <!-- meshgate:profile=y')), expected: /profile\.name: expected a profile name/ },
  { name: 'no variants', ...results((r) => (r.variants = [])), expected: /variants:/ },
  { name: 'a results file of 65 MB', file: 'results.json', content: { sparseBytes: 65 * 1024 * 1024 }, args: ['check', 'FILE'], expected: /more than a results file may hold/ },
  { name: 'a histogram that is not base64', ...histogram(HOSTILE_HISTOGRAMS.notBase64), expected: /variants\[0\]\.trials\[1\]\.histogram: not a valid histogram: not base64/ },
  { name: 'a histogram with a bad cookie', ...histogram(HOSTILE_HISTOGRAMS.badCookie), expected: /trials\[1\]\.histogram: not a valid histogram: .*bad cookie/ },
  { name: 'a truncated histogram', ...histogram(HOSTILE_HISTOGRAMS.truncated), expected: /trials\[1\]\.histogram: not a valid histogram/ },
  { name: 'a histogram compression bomb', ...histogram(HOSTILE_HISTOGRAMS.bomb), expected: /trials\[1\]\.histogram: not a valid histogram: inflates to more than 2097152 bytes/ },
  { name: 'a bomb in the uncorrected histogram', ...histogram(HOSTILE_HISTOGRAMS.bomb, 'uncorrectedHistogram'), expected: /trials\[1\]\.uncorrectedHistogram: not a valid histogram: inflates/ },
  { name: 'a histogram of a huge range', ...histogram(HOSTILE_HISTOGRAMS.hugeRange), expected: /trials\[1\]\.histogram: not a valid histogram: declares a range needing \d+ buckets/ },
  { name: 'a histogram of 0 digits', ...histogram(HOSTILE_HISTOGRAMS.zeroDigits), expected: /trials\[1\]\.histogram: not a valid histogram: declares 0 significant digits/ },
  { name: 'a run of empty buckets past the end', ...histogram(HOSTILE_HISTOGRAMS.runOfZerosPastTheEnd), expected: /trials\[1\]\.histogram: not a valid histogram: its counts run past/ },
  { name: 'a histogram lying about its length', ...histogram(HOSTILE_HISTOGRAMS.payloadLengthLie), expected: /trials\[1\]\.histogram: not a valid histogram: declares \d+ payload bytes/ },
  { name: 'a histogram of a million characters', ...histogram(HOSTILE_HISTOGRAMS.tooLong), expected: /trials\[1\]\.histogram: not a valid histogram: \d+ characters/ },
  {
    name: 'a bad interval histogram',
    ...results((r) => (r.variants[0].trials[0].intervals = [{ startOffsetMs: 0, histogram: HOSTILE_HISTOGRAMS.badCookie() }])),
    expected: /trials\[0\]\.intervals\[0\]\.histogram: not a valid histogram/,
  },
  { name: 'report on a histogram bomb', ...histogram(HOSTILE_HISTOGRAMS.bomb), args: ['report', 'FILE', '--html', 'out.html'], expected: /histogram: not a valid histogram/ },
  { name: 'export of a bad histogram', ...histogram(HOSTILE_HISTOGRAMS.badCookie), args: ['export', 'FILE', '--hlog', 'out.hlog'], expected: /histogram: not a valid histogram/ },
  { name: 'a bad baseline', ...histogram(HOSTILE_HISTOGRAMS.hugeRange), args: ['check', 'GOOD', '--baseline', 'FILE'], expected: /histogram: not a valid histogram/ },
];

describe('hostile inputs through the CLI', () => {
  let cli: BundledCli;
  let directory = '';
  const runs = new Map<string, BoundedRun & { file: string }>();

  beforeAll(async () => {
    cli = await bundleCli();
    directory = await mkdtemp(join(tmpdir(), 'meshgate-hostile-'));
    const valid = makeResults({
      histograms: true,
      variants: { 'base/none': { p99Ms: around(10, 4) }, 'head/none': { p99Ms: around(11, 4) } },
    });
    await writeFile(join(directory, 'good.json'), JSON.stringify(valid));
    const queue = CASES.map((c, index) => ({ c, index }));
    // Two at a time: the machine is shared, and each start is mostly CPU.
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { c, index } = next;
        const caseDir = join(directory, String(index));
        await mkdtemp(caseDir).catch(() => undefined);
        const { mkdir } = await import('node:fs/promises');
        await mkdir(caseDir, { recursive: true });
        const file = join(caseDir, c.file);
        if (typeof c.content === 'function') await writeFile(file, (() => {
          const produced = (c.content as (v: Results) => unknown)(valid);
          return typeof produced === 'string' ? produced : JSON.stringify(produced);
        })());
        else if (Buffer.isBuffer(c.content) || typeof c.content === 'string') await writeFile(file, c.content);
        else {
          await writeFile(file, '');
          await truncate(file, c.content.sparseBytes);
        }
        const args = (c.args ?? (c.file.endsWith('.json') ? ['check', 'FILE'] : ['validate', 'FILE'])).map((a) =>
          a === 'FILE' ? file : a === 'GOOD' ? join(directory, 'good.json') : a,
        );
        runs.set(c.name, { ...(await runBounded(cli.script, args, { cwd: caseDir, timeoutMs: 20_000 })), file });
      }
    };
    await Promise.all([worker(), worker()]);
  }, 240_000);

  afterAll(async () => {
    await cli?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  test('there are at least 60 of them', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s: exit 2, one line naming file and field', (_name, c) => {
    const run = runs.get(c.name)!;
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    expect({ code: run.code, stderr: run.stderr.slice(0, 600) }).toMatchObject({ code: 2 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(run.file);
    expect(lines[0]).toMatch(c.expected);
    expect(lines[0].length).toBeLessThan(run.file.length + 400);
    expect(run.stderr).not.toMatch(/\n\s+at |unexpected error/);
    expect(run.ms).toBeLessThan(15_000);
    if (run.maxRssKb !== undefined) expect(run.maxRssKb).toBeLessThan(300_000);
  });
});
