/**
 * The hostile corpus: bad and hostile inputs (profiles, proxy fragments, results files, paths,
 * markup), each a row run through the real CLI by __tests__/cli/hostile-corpus.test.ts. A row
 * writes its files into a folder of its own (the case folder), runs one command there and says
 * what must come of it: the exit code, what stderr names, and markers that must not exist after
 * (a file a hostile input would create if it ran: an injection). Every run is also checked for a
 * stack trace and for its time against the row's bound.
 *
 * In file contents, arguments, environment values and marker paths, `@@CASE@@` is the case folder, `@@OUTSIDE_NAME@@` the name of
 * the folder `@@OUTSIDE@@` beside it that no check may write in. Static inputs live next to this
 * file; large ones are generated. To add a row (e.g. a FIFO or /dev/zero as an argument), give its
 * files with `{ fifo: true }`, `{ sparseBytes }` or a path argument such as /dev/zero.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHistogram, encodeHistogram, recordUs } from '../../../src/load/histogram.js';
import type { Results } from '../../../src/results/schema.js';
import { around, makeResults } from '../results.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export type CorpusFile =
  /** A file of this folder, `@@…@@` filled in. */
  | { fixture: string; mode?: number }
  /** Text (`@@…@@` filled in) or bytes. */
  | { content: string | Buffer }
  /** Made when the corpus runs (large inputs are not kept as files). */
  | { generate: () => string | Buffer }
  | { fifo: true }
  | { sparseBytes: number };

export interface CorpusRow {
  name: string;
  /** The issue item it comes from, e.g. "#31.1". */
  item: string;
  files?: Record<string, CorpusFile>;
  /** Files written into @@OUTSIDE@@. */
  outside?: Record<string, CorpusFile>;
  /** A C file of this folder compiled to a shared object in the case folder (needs cc). */
  compile?: { source: string; output: string; define: Record<string, string> };
  /** The CLI's arguments. */
  args: string[];
  env?: Record<string, string>;
  /** Programs the row needs; without one it is skipped and the reason printed. */
  needs?: Array<'nginx' | 'haproxy' | 'cc'>;
  expect: {
    code: number;
    /** stderr must match (all of these). */
    stderr?: RegExp[];
    /** A bad input's message: exactly one line, none of it cut short ("..."). */
    oneLine?: boolean;
    stdout?: RegExp[];
    /** Must match neither stdout nor stderr (e.g. a secret). */
    never?: RegExp[];
    /** Files that must not exist after the run: an injection if one does. */
    absent?: string[];
    /** Files the run wrote whose text must not match: [path, pattern]. */
    filesNot?: Array<[string, RegExp]>;
  };
  /** The bound on the run's time (default 15 s); beyond it the run is killed and counts as a hang. */
  timeoutMs?: number;
  /** V8's heap cap for the run (default 256 MB; peak RSS is bounded at 400 MB either way). */
  heapMb?: number;
}

export const fixturePath = (name: string): string => join(HERE, name);
export const fixtureText = (name: string): string => readFileSync(fixturePath(name), 'utf8');

const nginxProfile = (main: string, http = '# nothing\n'): Record<string, CorpusFile> => ({
  'profile.yaml': { fixture: 'validate/nginx-profile.yaml' },
  'main.conf': { content: main },
  'http.conf': { content: http },
});
const haproxyProfile = (global: string, frontend = '# nothing\n'): Record<string, CorpusFile> => ({
  'profile.yaml': { fixture: 'validate/haproxy-profile.yaml' },
  'global.cfg': { content: global },
  'frontend.cfg': { content: frontend },
});
const validate = ['validate', '@@CASE@@/profile.yaml'];
const refused = (...stderr: RegExp[]) => ({ code: 2, oneLine: true, stderr });

/** `validate` runs nobody's code (#31 item 1), and names what is missing (#29). */
export const VALIDATE_ROWS: CorpusRow[] = [
  {
    name: 'a load_module whose constructor writes a file',
    item: '#31.1',
    files: nginxProfile('load_module @@CASE@@/evil.so;\n'),
    compile: {
      source: 'validate/evil-module.c',
      output: 'evil.so',
      define: { MARKER: '"@@OUTSIDE@@/module-ran"' },
    },
    args: validate,
    needs: ['nginx', 'cc'],
    expect: {
      ...refused(
        /main\.conf\), line 1: load_module .*evil\.so: validate loads modules only from nginx's own module folder/,
      ),
      absent: ['@@OUTSIDE@@/module-ran'],
    },
  },
  {
    name: 'a load_module with its name in quotes',
    item: '#31.1',
    files: nginxProfile('"load_module" @@CASE@@/evil.so;\n'),
    compile: {
      source: 'validate/evil-module.c',
      output: 'evil.so',
      define: { MARKER: '"@@OUTSIDE@@/module-ran"' },
    },
    args: validate,
    needs: ['nginx', 'cc'],
    expect: {
      ...refused(/"load_module": a directive name written with quotes/),
      absent: ['@@OUTSIDE@@/module-ran'],
    },
  },
  {
    name: 'a load_module in a file the fragment includes',
    item: '#31.1',
    files: nginxProfile('include @@OUTSIDE@@/more.conf;\n'),
    outside: { 'more.conf': { content: '\n\nload_module @@CASE@@/evil.so;\n' } },
    compile: {
      source: 'validate/evil-module.c',
      output: 'evil.so',
      define: { MARKER: '"@@OUTSIDE@@/module-ran"' },
    },
    args: validate,
    needs: ['nginx', 'cc'],
    expect: { ...refused(/line 1 → .*more\.conf, line 3: load_module/), absent: ['@@OUTSIDE@@/module-ran'] },
  },
  {
    name: 'an error_log outside the work directory',
    item: '#31.1',
    files: nginxProfile('error_log @@OUTSIDE@@/error.log;\n'),
    args: validate,
    needs: ['nginx'],
    expect: {
      ...refused(/main\.conf\), line 1: error_log .*: nginx -t creates this path/),
      absent: ['@@OUTSIDE@@/error.log'],
    },
  },
  {
    name: 'an access_log outside the work directory',
    item: '#31.1',
    files: nginxProfile('# main\n', 'access_log @@OUTSIDE@@/access.log;\n'),
    args: validate,
    needs: ['nginx'],
    expect: { ...refused(/http\.conf\), line 1: access_log/), absent: ['@@OUTSIDE@@/access.log'] },
  },
  {
    name: 'a temp path outside the work directory',
    item: '#31.1',
    files: nginxProfile('# main\n', 'proxy_temp_path @@OUTSIDE@@/tmp-proxy;\n'),
    args: validate,
    needs: ['nginx'],
    expect: { ...refused(/proxy_temp_path/), absent: ['@@OUTSIDE@@/tmp-proxy'] },
  },
  {
    name: 'a js_import from outside the profile folder',
    item: '#31.1',
    files: nginxProfile(
      'load_module /usr/lib/nginx/modules/ngx_http_js_module.so;\n',
      'js_import m from @@OUTSIDE@@/evil.js;\n',
    ),
    outside: { 'evil.js': { fixture: 'validate/evil.js' } },
    args: validate,
    needs: ['nginx'],
    expect: refused(
      /http\.conf\), line 1: js_import .*validate loads scripts only from the profile's folder/,
    ),
  },
  {
    name: 'a js_path leading out with ..',
    item: '#31.1',
    files: nginxProfile('# main\n', 'js_path ../../..;\n'),
    args: validate,
    needs: ['nginx'],
    expect: refused(/js_path \.\.\/\.\.\/\.\.: validate loads scripts only/),
  },
  {
    name: 'Perl at config time',
    item: '#31.1',
    files: nginxProfile('# main\n', 'perl_modules @@OUTSIDE@@;\nperl_require evil.pm;\n'),
    args: validate,
    needs: ['nginx'],
    expect: refused(/line 1: perl_modules .*: runs code when nginx reads its config/),
  },
  {
    name: 'an OpenSSL engine key',
    item: '#31.1',
    files: nginxProfile(
      '# main\n',
      'server { listen 127.0.0.1:1 ssl; ssl_certificate_key engine:evil:key; }\n',
    ),
    args: validate,
    needs: ['nginx'],
    expect: refused(/loads an OpenSSL engine/),
  },
  {
    name: 'a lua-load whose script runs os.execute, outside the folder',
    item: '#31.1',
    files: haproxyProfile('lua-load @@OUTSIDE@@/evil.lua\n'),
    outside: { 'evil.lua': { fixture: 'validate/evil.lua' } },
    args: validate,
    needs: ['haproxy'],
    expect: {
      ...refused(
        /global\.cfg\), line 1: lua-load .*evil\.lua: validate accepts Lua only from the profile's folder/,
      ),
      absent: ['@@OUTSIDE@@/lua-ran'],
    },
  },
  {
    name: 'a lua-load whose script runs os.execute, in the folder',
    item: '#31.1',
    files: {
      ...haproxyProfile('lua-load {{config_dir}}/evil.lua\n'),
      'evil.lua': { fixture: 'validate/evil.lua' },
    },
    args: validate,
    needs: ['haproxy'],
    expect: {
      code: 0,
      stderr: [/haproxy -c not run: it would run .*evil\.lua \(lua-load\)/],
      absent: ['@@OUTSIDE@@/lua-ran'],
    },
  },
  {
    name: 'a lua-load spelt with an environment variable',
    item: '#31.1',
    files: {
      ...haproxyProfile('setenv KW lua-load\n"${KW}" @@CASE@@/evil.lua\n'),
      'evil.lua': { fixture: 'validate/evil.lua' },
    },
    args: validate,
    needs: ['haproxy'],
    expect: {
      ...refused(/line 2: "\$\{KW\}": a keyword written with quotes/),
      absent: ['@@OUTSIDE@@/lua-ran'],
    },
  },
  {
    name: 'an HAProxy log socket outside the work directory',
    item: '#31.1',
    files: haproxyProfile('log @@OUTSIDE@@/log.sock local0\n'),
    args: validate,
    needs: ['haproxy'],
    expect: refused(/log .*log\.sock local0: a log socket outside/),
  },
  {
    name: "the profile's own nginx binary",
    item: '#31.1',
    files: {
      'profile.yaml': { fixture: 'validate/binary-profile.yaml' },
      'http.conf': { content: 'gzip on;\n' },
      'fake-nginx': { fixture: 'validate/fake-nginx', mode: 0o755 },
    },
    args: validate,
    expect: {
      code: 0,
      stderr: [/nginx -t not run: \.\/fake-nginx is the profile's own program/],
      absent: ['@@OUTSIDE@@/binary-ran'],
    },
  },
  {
    name: 'njs not installed (dataplane-filters)',
    item: '#29',
    files: {
      'profile.yaml': { content: fixtureText('../../../profiles/dataplane-filters.yaml') },
      'dataplane/nginx-njs-main.conf': { content: 'load_module @@CASE@@/modules/ngx_http_js_module.so;\n' },
      ...Object.fromEntries(
        [
          'nginx-njs.conf',
          'nginx-native.conf',
          'haproxy-native.cfg',
          'haproxy-lua.cfg',
          'haproxy-lua-global.cfg',
          'route.js',
          'route.lua',
        ].map((name) => [
          `dataplane/${name}`,
          { content: fixtureText(`../../../profiles/dataplane/${name}`) },
        ]),
      ),
      'modules/README': { content: 'an empty module folder: njs is not installed here\n' },
    },
    env: { MESHGATE_NGINX_MODULES_DIR: '@@CASE@@/modules' },
    args: validate,
    needs: ['nginx'],
    expect: refused(
      /mesh\[2\]\.builds\.head\.global_include \(.*nginx-njs-main\.conf\), line 1: load_module .*ngx_http_js_module\.so: the module is not installed; it comes with the Debian\/Ubuntu package libnginx-mod-http-js \(apt-get install libnginx-mod-http-js\)$/m,
    ),
  },
  {
    name: 'a module that is not installed, written relative',
    item: '#29',
    files: nginxProfile('load_module modules/ngx_http_image_filter_module.so;\n'),
    args: validate,
    needs: ['nginx'],
    expect: refused(
      /load_module modules\/ngx_http_image_filter_module\.so: the module is not installed \(a relative path is read from meshgate's prefix.*libnginx-mod-http-image-filter/,
    ),
  },
];

/** A valid results file (2 variants × 4 trials, real histograms), edited by `edit`. */
export function results(edit: (r: Results) => void = () => undefined): string {
  const valid = makeResults({
    histograms: true,
    variants: { 'base/none': { p99Ms: around(10, 4) }, 'head/none': { p99Ms: around(11, 4) } },
  });
  edit(valid);
  return JSON.stringify(valid);
}
const oneMs = (() => {
  const histogram = createHistogram();
  recordUs(histogram, 1000);
  return encodeHistogram(histogram);
})();
const intervals = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ startOffsetMs: i * 10, histogram: oneMs }));
const smpTest = (name: string) =>
  `test:\n  name: ${name}\n  duration: 1s\n  clients:\n    - endpoint_urls: ["http://127.0.0.1:1"]\n`;

/** Inputs that used to end in a stack trace (#31 item 7), and results files #31 item 10 names. */
export const STACK_ROWS: CorpusRow[] = [
  {
    name: 'report on a trial of 100,000 intervals',
    item: '#31.7',
    files: {
      'results.json': {
        generate: () => results((r) => (r.variants[0].trials[0].intervals = intervals(100_000))),
      },
    },
    args: ['report', '@@CASE@@/results.json', '--html', '@@CASE@@/report.html'],
    expect: { code: 0, stdout: [/Wrote .*report\.html/] },
    // ~330 MB resident; 4-9 s on an idle 2-core machine with a 1 GB heap (under 256 MB V8 collects
    // for ~20 s), up to ~60 s at a load average of 19 (other jobs on the same 2 cores): bound 150 s.
    heapMb: 1024,
    timeoutMs: 150_000,
  },
  {
    name: 'report on 8,000 intervals in every trial',
    item: '#31.7',
    files: {
      'results.json': {
        generate: () =>
          results((r) =>
            r.variants.forEach((v) => v.trials.forEach((t) => (t.intervals = intervals(8_000)))),
          ),
      },
    },
    args: ['report', '@@CASE@@/results.json', '--html', '@@CASE@@/report.html'],
    expect: { code: 0, stdout: [/Wrote .*report\.html/] },
    // ~330 MB resident; 4-9 s on an idle 2-core machine with a 1 GB heap (under 256 MB V8 collects
    // for ~20 s), up to ~60 s at a load average of 19 (other jobs on the same 2 cores): bound 150 s.
    heapMb: 1024,
    timeoutMs: 150_000,
  },
  {
    name: 'report on a profile nested 100,000 deep',
    item: '#31.7',
    files: {
      'results.json': {
        generate: () =>
          results().replace('"profile":{', `"profile":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)},`),
      },
    },
    args: ['report', '@@CASE@@/results.json', '--html', '@@CASE@@/report.html'],
    expect: refused(/results\.json: profile\.deep\[0\]: nested more than 64 levels deep/),
  },
  {
    name: 'export of a profile nested 100,000 deep',
    item: '#31.7',
    files: {
      'results.json': {
        generate: () =>
          results().replace(
            '"profile":{',
            `"profile":{"deep":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)},`,
          ),
      },
    },
    args: ['export', '@@CASE@@/results.json', '--smp', '@@CASE@@/smp.json'],
    expect: refused(/profile\.deep\.a: nested more than 64 levels deep/),
  },
  {
    name: 'an SMP test whose name is an object',
    item: '#31.7',
    files: { 'smp.yaml': { content: smpTest('{ toString: 1 }') } },
    args: ['validate', '@@CASE@@/smp.yaml'],
    expect: refused(/smp\.yaml: test\.name: expected text, got \{"toString":1\}/),
  },
  {
    name: 'an SMP cookie that is an object',
    item: '#31.7',
    files: { 'smp.yaml': { content: `${smpTest('t')}      cookies: { a: { toString: 1 } }\n` } },
    args: ['validate', '@@CASE@@/smp.yaml'],
    expect: refused(/test\.clients\[0\]\.cookies\.a: expected text/),
  },
  {
    name: 'a command whose program is empty',
    item: '#31.7',
    files: { 'profile.yaml': { content: 'name: empty\nworkload:\n  command: [""]\n' } },
    args: ['run', '@@CASE@@/profile.yaml', '--out', '@@CASE@@/results.json'],
    expect: refused(/profile\.yaml: workload\.command.*the program \(the first element\) is empty/),
  },
  {
    name: 'results starting with a byte-order mark',
    item: '#31.10',
    files: { 'results.json': { generate: () => `\ufeff${results()}` } },
    args: ['check', '@@CASE@@/results.json'],
    expect: { code: 0, stdout: [/head\/none vs base\/none/] },
  },
  {
    name: 'results with no trials',
    item: '#31.10',
    files: { 'results.json': { generate: () => results((r) => r.variants.forEach((v) => (v.trials = []))) } },
    args: ['check', '@@CASE@@/results.json'],
    expect: refused(/results\.json: variants: no variant has a trial/),
  },
  {
    name: 'a report of results with no trials',
    item: '#31.10',
    files: { 'results.json': { generate: () => results((r) => r.variants.forEach((v) => (v.trials = []))) } },
    args: ['report', '@@CASE@@/results.json', '--html', '@@CASE@@/report.html'],
    expect: { ...refused(/no variant has a trial/), absent: ['@@CASE@@/report.html'] },
  },
];

const SECRET_ENV = { TOKEN: 'tok-s3cret-0001', OTHER: 'other-s3cret-0002' };
/** Anything of the secrets below, in any artifact or output. */
const SECRET = /s3cret|literal-key-1234|tok-s3cret|other-s3cret/;
const secretProfile = (workload: string, extra = '') =>
  [
    'name: secrets',
    `workload: ${workload}`,
    'load:',
    '  rps: 50',
    '  duration: 1s',
    '  warmup: 0s',
    '  request:',
    '    headers: { Authorization: "Bearer ${TOKEN}", X-Custom: "${OTHER}", X-Api-Key: literal-key-1234 }',
    extra,
    'trials: 2',
    '',
  ].join('\n');
/** A results file as an earlier meshgate wrote it: credentials in the embedded profile and the targets. */
const leakyResults = () =>
  results((r) => {
    const profile = r.profile as Record<string, unknown>;
    profile.workload = { url: 'http://admin:s3cret@127.0.0.1:1' };
    profile.load = {
      request: { headers: { Authorization: 'Bearer tok-s3cret-0001', Cookie: 'sid=s3cret' } },
    };
    for (const variant of r.variants) variant.target = 'http://admin:s3cret@127.0.0.1:1';
  });

/** Secrets never copied into artifacts or output (#31 item 8). */
export const SECRET_ROWS: CorpusRow[] = [
  {
    name: 'a run with credential headers and ${…} values',
    item: '#31.8',
    files: { 'profile.yaml': { content: secretProfile('{ sample: echo }') } },
    env: SECRET_ENV,
    args: ['run', '@@CASE@@/profile.yaml', '--out', '@@CASE@@/results.json'],
    expect: {
      code: 0,
      never: [SECRET],
      filesNot: [['@@CASE@@/results.json', SECRET]],
      stderr: [/results: .*results\.json/],
    },
    timeoutMs: 60_000,
  },
  {
    name: 'validate prints no credential',
    item: '#31.8',
    files: { 'profile.yaml': { content: secretProfile('{ url: "http://admin:s3cret@127.0.0.1:9" }') } },
    env: SECRET_ENV,
    args: ['validate', '@@CASE@@/profile.yaml'],
    expect: {
      code: 0,
      never: [SECRET],
      stdout: [/Authorization: "\*\*\*"/, /url: http:\/\/\*\*\*@127\.0\.0\.1:9/],
    },
  },
  {
    name: 'an error message quoting a URL with credentials',
    item: '#31.8',
    files: {
      'profile.yaml': { content: 'name: x\nworkload: { url: "http://admin:s3cret@127.0.0.1:9/path" }\n' },
    },
    args: ['validate', '@@CASE@@/profile.yaml'],
    expect: { ...refused(/workload\.url: expected an http/), never: [SECRET] },
  },
  {
    name: 'message_file reading the environment',
    item: '#31.8',
    files: {
      'profile.yaml': {
        content:
          'name: g\nload:\n  protocol: grpc\n  grpc: { method: /a.B/C, message_file: /proc/self/environ }\n',
      },
    },
    args: ['validate', '@@CASE@@/profile.yaml'],
    expect: refused(
      /profile\.yaml: load\.grpc\.message_file: "\/proc\/self\/environ" is outside the profile's folder/,
    ),
  },
  {
    name: 'message_file leading out with ..',
    item: '#31.8',
    files: {
      'profile.yaml': {
        content:
          'name: g\nload:\n  protocol: grpc\n  grpc: { method: /a.B/C, message_file: ../@@OUTSIDE_NAME@@/m.bin }\n',
      },
    },
    outside: { 'm.bin': { content: 'secret message' } },
    args: ['validate', '@@CASE@@/profile.yaml'],
    expect: refused(/message_file: .* is outside the profile's folder/),
  },
  {
    name: 'a report of results holding credentials',
    item: '#31.8',
    files: { 'results.json': { generate: leakyResults } },
    args: ['report', '@@CASE@@/results.json', '--html', '@@CASE@@/report.html'],
    expect: { code: 0, never: [SECRET], filesNot: [['@@CASE@@/report.html', SECRET]] },
  },
  {
    name: 'an SMP export of results holding credentials',
    item: '#31.8',
    files: { 'results.json': { generate: leakyResults } },
    args: ['export', '@@CASE@@/results.json', '--smp', '@@CASE@@/smp.json'],
    expect: { code: 0, never: [SECRET], filesNot: [['@@CASE@@/smp.json', SECRET]] },
  },
  {
    name: 'a comment on results holding credentials',
    item: '#31.8',
    files: { 'results.json': { generate: leakyResults } },
    args: [
      'check',
      '@@CASE@@/results.json',
      '--markdown',
      '@@CASE@@/comment.md',
      '--json',
      '@@CASE@@/verdict.json',
    ],
    expect: {
      code: 0,
      never: [SECRET],
      filesNot: [
        ['@@CASE@@/comment.md', SECRET],
        ['@@CASE@@/verdict.json', SECRET],
      ],
    },
  },
];

/** The small ones (#31 item 10). */
export const SMALL_ROWS: CorpusRow[] = [
  {
    name: 'a dry run of an image tag holding a command substitution',
    item: '#31.10',
    files: {
      'profile.yaml': {
        content: 'name: d\nplatform: kind\nworkload: { image: "x:1$(touch @@OUTSIDE@@/pwn)" }\n',
      },
    },
    args: ['run', '@@CASE@@/profile.yaml', '--dry-run'],
    expect: {
      code: 0,
      stdout: [/\$ docker pull --platform linux\/amd64 'x:1\$\(touch .*\/pwn\)'$/m],
      absent: ['@@OUTSIDE@@/pwn'],
    },
  },
  {
    name: 'a mesh version leading out of the download URL',
    item: '#31.10',
    files: {
      'profile.yaml': {
        content:
          'name: v\nplatform: kind\nworkload: { image: "a/b:1" }\nmesh:\n  - { name: istio, version: "1.27.1/../../../evil/x" }\n',
      },
    },
    args: ['validate', '@@CASE@@/profile.yaml'],
    expect: refused(/mesh\[0\]\.version: expected a release tag of istioctl, like 1\.27\.1/),
  },
  {
    name: 'a tool version leading out of the download URL',
    item: '#31.10',
    files: { 'profile.yaml': { content: 'name: v\nplatform: kind\nworkload: { image: "a/b:1" }\n' } },
    args: ['run', '@@CASE@@/profile.yaml', '--dry-run', '--tool-versions', 'kind=..'],
    expect: refused(/--tool-versions "kind=\.\.": expected a release tag of kind, like v0\.29\.0/),
  },
  {
    name: 'a workload on port 0',
    item: '#31.10',
    files: { 'profile.yaml': { content: 'name: p\nworkload: { url: "http://127.0.0.1:0" }\n' } },
    args: ['validate', '@@CASE@@/profile.yaml'],
    expect: refused(/workload\.url: port 0 is no port a server listens on/),
  },
];

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
/** Markup in the free-text fields a forged results file can carry into a comment, report or trend. */
const MARKUP = `<img src=x onerror=alert(1)> @octocat GH-1 ${SHA} [ok](https://evil.example) <!-- meshgate:profile=y -->`;
const markupResults = (createdAt = '2026-01-01T00:00:00.000Z') =>
  results((r) => {
    r.createdAt = createdAt;
    r.environment.runner = MARKUP;
    r.environment.os = MARKUP;
    r.environment.git = { sha: SHA, ref: MARKUP };
  });
/** What must not survive into markdown or HTML: a tag, a mention, an issue or commit reference (a SHA in a code span is not linked), a link, a marker. */
const LIVE_MARKUP =
  /<img|<!-- meshgate|@octocat|GH-1|(?<!`)3f786850e387550f|\]\(https:\/\/evil|https:\/\/evil/;

/** Markup payloads through every renderer (#31: "every markup payload neutralised"; GH-1 and SHAs are item 10). */
export const MARKUP_ROWS: CorpusRow[] = [
  {
    name: 'a comment on results full of markup',
    item: '#31.10',
    files: { 'results.json': { generate: () => markupResults() } },
    args: ['check', '@@CASE@@/results.json', '--markdown', '@@CASE@@/comment.md'],
    expect: { code: 0, filesNot: [['@@CASE@@/comment.md', LIVE_MARKUP]] },
  },
  {
    name: 'a report of results full of markup',
    item: '#31.10',
    files: { 'results.json': { generate: () => markupResults() } },
    args: ['report', '@@CASE@@/results.json', '--html', '@@CASE@@/report.html'],
    expect: { code: 0, filesNot: [['@@CASE@@/report.html', /<img src=x|<!-- meshgate/]] },
  },
  {
    name: 'a trend over results full of markup',
    item: '#31.10',
    files: Object.fromEntries(
      ['01', '02', '03', '04'].map((day) => [
        `runs/${day}.json`,
        { generate: () => markupResults(`2026-01-${day}T00:00:00.000Z`) },
      ]),
    ),
    args: ['trend', '@@CASE@@/runs', '--markdown', '@@CASE@@/trend.md'],
    expect: { code: 0, filesNot: [['@@CASE@@/trend.md', LIVE_MARKUP]] },
  },
  {
    name: 'an imported HdrHistogram log whose tag is markup',
    item: '#31.10',
    files: {
      'tagged.hlog': {
        generate: () => {
          const lines = fixtureText('../external/hdrhistogram/jHiccup-2.0.7S.logV2.hlog').split('\n');
          return [
            ...lines.slice(0, 4),
            ...lines.slice(4, 10).map((line) => `Tag=<img src=x>@octocat,${line}`),
          ].join('\n');
        },
      },
    },
    args: ['import', '@@CASE@@/tagged.hlog', '--out', '@@CASE@@/results.json'],
    expect: {
      code: 2,
      stderr: [/tagged\.hlog: Tag=<img src=x>@octocat .*must be base\/MESH or head\/MESH/],
      absent: ['@@CASE@@/results.json'],
    },
  },
];

export const CORPUS: CorpusRow[] = [
  ...VALIDATE_ROWS,
  ...STACK_ROWS,
  ...SECRET_ROWS,
  ...SMALL_ROWS,
  ...MARKUP_ROWS,
];
