/**
 * scripts/release-rehearsal.mjs on a scratch copy of this commit (git archive HEAD, its own git
 * repository): the release steps pass for package.json's version and publish nothing; the notes
 * are the CHANGELOG section, the checksums are the tarball's and the bundles'; a tag that does not
 * match, a missing CHANGELOG section and a private package each fail their step by name.
 * The lint and dist steps (minutes of tsc and ncc) are skipped here and run in CI's
 * release-rehearsal job; the attestation, the release and the tag move only run on GitHub.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

let scratch: string;
let copy: string;
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: copy,
    encoding: 'utf8',
  });

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'meshgate-release-'));
  copy = join(scratch, 'meshgate');
  execFileSync('mkdir', [copy]);
  // This commit's tree, as a tag would hold it (uncommitted changes are not part of a release).
  execFileSync('sh', ['-c', `git archive HEAD | tar -x -C "${copy}"`]);
  symlinkSync(resolve('node_modules'), join(copy, 'node_modules'));
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'release candidate');
}, 60_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const rehearse = (args: string[]) =>
  spawnSync(
    process.execPath,
    ['scripts/release-rehearsal.mjs', '--skip', 'lint,dist', '--out', join(scratch, 'out'), ...args],
    {
      cwd: copy,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );

describe('release rehearsal', () => {
  test("package.json's version: every step passes, the notes and checksums are written, nothing is published", () => {
    const run = rehearse([]);
    expect(run.stdout).toMatch(new RegExp(`^✓ version: v${version.replace(/\./g, '\\.')}: `, 'm'));
    for (const step of ['changelog', 'metadata', 'package', 'checksums', 'publish-plan'])
      expect(run.stdout).toMatch(new RegExp(`^✓ ${step}: `, 'm'));
    expect(run.stdout).toMatch(/^- lint: skipped \(--skip\)$/m);
    expect(run.stdout).toMatch(/every step passed; nothing was published$/m);
    expect(run.status).toBe(0);
    const notes = readFileSync(join(scratch, 'out', 'release-notes.md'), 'utf8');
    const changelog = readFileSync(join(copy, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## [${version}]`);
    expect(notes.trim().length).toBeGreaterThan(0);
    expect(changelog).toContain(notes.trim());
    expect(notes).not.toContain('## ');
    // Every checksum is the file's.
    const sums = readFileSync(join(scratch, 'out', 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n');
    expect(sums.some((line) => line.endsWith(`  meshgate-${version}.tgz`))).toBe(true);
    expect(sums.some((line) => line.endsWith('  dist/cli/index.js'))).toBe(true);
    for (const line of sums) {
      const [digest, file] = line.split('  ');
      const path = file.startsWith('dist/') ? join(copy, file) : join(scratch, 'out', file);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(digest);
    }
    // Publishing is only planned.
    expect(run.stdout).toMatch(/would move v\d+ to [0-9a-f]{12}/);
    expect(git('tag', '-l')).toBe('');
  });

  test('a tag other than the version fails the version and changelog steps by name', () => {
    const run = rehearse(['--tag', 'v9.9.9']);
    expect(run.stdout).toMatch(/^✗ version: package\.json version \S+ is not the tag's 9\.9\.9$/m);
    expect(run.stdout).toMatch(/^✗ changelog: CHANGELOG\.md has no "## \[9\.9\.9\]" section$/m);
    expect(run.stdout).toMatch(/2 step\(s\) failed$/m);
    expect(run.status).toBe(1);
    expect(rehearse(['--tag', 'release-1']).stdout).toMatch(
      /^✗ version: tag "release-1" is not vMAJOR\.MINOR\.PATCH/m,
    );
  });

  test('a private package or a dependency fails the metadata step', () => {
    const pkgPath = join(copy, 'package.json');
    const original = readFileSync(pkgPath, 'utf8');
    try {
      writeFileSync(pkgPath, JSON.stringify({ ...JSON.parse(original), private: true }, null, 2));
      expect(rehearse([]).stdout).toMatch(/^✗ metadata: package\.json is private/m);
      writeFileSync(
        pkgPath,
        JSON.stringify({ ...JSON.parse(original), dependencies: { zod: '4.6.7' } }, null, 2),
      );
      expect(rehearse([]).stdout).toMatch(/^✗ metadata: package\.json has dependencies/m);
    } finally {
      writeFileSync(pkgPath, original);
    }
  });

  test('an unknown step or option is exit 2', () => {
    const run = spawnSync(process.execPath, ['scripts/release-rehearsal.mjs', '--skip', 'tests'], {
      cwd: copy,
      encoding: 'utf8',
    });
    expect(run.stderr).toMatch(/--skip: unknown step "tests"/);
    expect(run.status).toBe(2);
    expect(existsSync(join(copy, 'release-out'))).toBe(false);
  });
});
