// Jest on native ESM (see README "Development"): ts-jest transforms TypeScript,
// `.js` suffixes on relative imports are mapped back to the `.ts` sources.
//
// The suite is split by what a test needs (`npm test` runs every project; CI calls it):
//   unit         pure code: no process, server, proxy, browser or timer (`npm run test:unit`);
//   integration  real processes, sockets, proxies and the cluster stand-ins;
//   browser      Chromium renders the comment and the report.
// A test file says which it is in a line of its own: `// test-group: unit` (no line: integration)
// and, when it needs system tools, `// requires: nginx haproxy` (names from TOOLS below). A file
// whose tools are missing is skipped, and the reason is printed with the package to install;
// `.ci/run` installs them all.
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';

const onPath = (name) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** What each `requires:` name means, and the Debian package that provides it. */
const TOOLS = {
  nginx: { present: () => onPath('nginx'), install: 'nginx-light' },
  'nginx-njs': { present: () => existsSync('/usr/lib/nginx/modules/ngx_http_js_module.so'), install: 'libnginx-mod-http-js' },
  haproxy: { present: () => onPath('haproxy'), install: 'haproxy' },
  git: { present: () => onPath('git'), install: 'git' },
  chromium: { present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'), install: 'chromium' },
  valgrind: { present: () => onPath('valgrind') && onPath('callgrind_control'), install: 'valgrind' },
  grpcio: {
    present: () => {
      try {
        execFileSync('/usr/bin/python3', ['-c', 'import grpc'], { stdio: 'ignore', timeout: 10_000 });
        return true;
      } catch {
        return false;
      }
    },
    install: 'python3-grpcio',
  },
};

const root = process.cwd();
const testFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });

const presence = new Map();
const present = (tool) => {
  if (!presence.has(tool)) presence.set(tool, TOOLS[tool]?.present() ?? false);
  return presence.get(tool);
};

const groups = { unit: [], integration: [], browser: [] };
const skipped = [];
for (const file of testFiles(join(root, '__tests__'))) {
  const head = readFileSync(file, 'utf8').slice(0, 4000);
  const group = /^\/\/ test-group: (\w+)$/m.exec(head)?.[1] ?? 'integration';
  const needs = /^\/\/ requires: (.+)$/m.exec(head)?.[1].trim().split(/\s+/) ?? [];
  const unknown = needs.filter((tool) => !TOOLS[tool]);
  if (!groups[group] || unknown.length > 0)
    throw new Error(`${relative(root, file)}: unknown test-group '${group}' or requires '${unknown.join(' ')}'`);
  const missing = needs.filter((tool) => !present(tool));
  if (missing.length > 0) skipped.push(`${relative(root, file)} (needs ${missing.map((t) => `${t}: apt-get install ${TOOLS[t].install}`).join(', ')})`);
  else groups[group].push(file);
}
if (skipped.length > 0 && !process.env.MESHGATE_TESTS_QUIET) {
  process.stderr.write(`skipped ${skipped.length} test file(s), their tools are missing:\n${skipped.map((s) => `  ${s}\n`).join('')}`);
}

const escape = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: { ignoreCodes: [151002] } }],
  },
  transformIgnorePatterns: ['node_modules/(?!(@actions)/)'],
};
const project = (name, files) => ({
  ...common,
  displayName: name,
  roots: ['<rootDir>/__tests__'],
  // An empty project matches nothing rather than everything.
  testRegex: files.length > 0 ? files.map((file) => `^${escape(file)}$`) : ['^$'],
});

export default {
  testTimeout: 60000,
  projects: Object.entries(groups).map(([name, files]) => project(name, files)),
};
