// test-group: unit
/**
 * Issue #32's verdict seam, held: stats/ is maths only (it imports nothing that judges or writes
 * prose: verdict/, capacity/, report/ …), and each judging idea has one exported name (one
 * `Judgement`). The repository-wide layer rules are __tests__/architecture's; this guards the two
 * things this folder's move established.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative module a file imports, type-only and dynamic imports included, as src-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((spec) => path.relative(SRC, path.resolve(path.dirname(file), spec)));
}

describe('the verdict vocabulary', () => {
  it('keeps stats/ to maths: it imports only stats/, the data it reads and util/', () => {
    // results/schema and profile/types are the shapes a statistic reads; nothing above them.
    const allowed = /^(stats\/|results\/schema\.js$|profile\/types\.js$|util\/|errors\.js$)/;
    const upward = sourceFiles(path.join(SRC, 'stats')).flatMap((file) =>
      importsOf(file)
        .filter((target) => !allowed.test(target))
        .map((target) => `${path.relative(SRC, file)} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('exports one Judgement and no second type of the same name elsewhere', () => {
    const declaring = sourceFiles(SRC)
      .filter((file) => /export (interface|type) Judgement\b/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file));
    expect(declaring).toEqual(['gate.ts']);
  });
});
