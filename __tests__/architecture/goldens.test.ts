// test-group: unit
/**
 * Golden files never write themselves: a missing golden fails with the command that writes it,
 * and no test under __tests__ keeps its own "write when absent" shortcut.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { expectGolden } from '../helpers/golden.js';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [path] : [];
  });

describe('golden files', () => {
  it('a missing golden fails, names the file and the update command, and is not written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshgate-golden-'));
    const previous = process.env.UPDATE_GOLDENS;
    delete process.env.UPDATE_GOLDENS;
    try {
      const file = join(dir, 'absent.md');
      expect(() => expectGolden(file, 'text\n')).toThrow(
        /golden file .*absent\.md is missing.*UPDATE_GOLDENS=1/,
      );
      expect(existsSync(file)).toBe(false);
    } finally {
      if (previous !== undefined) process.env.UPDATE_GOLDENS = previous;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no test writes an expected output because it is absent', () => {
    // The shape that made goldens write themselves: a write on (or just after) the line that tests
    // that the file is absent.
    // Stand-ins (__stand-ins__) keep state files of their own and are not tests.
    const offenders = sources(resolve('__tests__'))
      .filter((file) => !file.includes('__stand-ins__'))
      .filter((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          // the test and the write on one line, or the write within the next two (a block)
          .some(
            (line, i, lines) =>
              /!\s*existsSync\(/.test(line) && /writeFileSync\(/.test(lines.slice(i, i + 3).join('\n')),
          ),
      );
    expect(offenders.map((file) => relative(process.cwd(), file))).toEqual([]);
  });
});
