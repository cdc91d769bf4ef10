// test-group: unit
/**
 * The import rules of src/ (docs/architecture.md, "Layers"), held by reading every import:
 * static imports, `export … from`, type-only imports and dynamic `import('…')`, all alike (a
 * type-only import still ties two files' meanings together and still counts).
 *
 *   1. No cycle between files.
 *   2. Every src file belongs to exactly one layer (a new file outside every layer fails here);
 *      a file imports only from its own layer or a lower one.
 *   3. Wings that stand side by side do not import each other (local/cluster, cli/action).
 *
 * There are no exceptions: a breach is fixed, or the layer order changed here and in the document.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Lowest first. Globs are relative to the repository: `*` is one path segment's characters,
 * `**` any number of segments; a glob starting with `!` takes files back out of its layer.
 */
const LAYERS: readonly { name: string; what: string; globs: readonly string[] }[] = [
  {
    name: 'foundation',
    what: 'errors, version, small helpers (zod-issue messages, did-you-mean, units, logging)',
    globs: ['src/errors.ts', 'src/version.ts', 'src/util/**'],
  },
  { name: 'system', what: 'child processes, commands, readiness, tools, kubectl', globs: ['src/system/**'] },
  {
    name: 'descriptors',
    what: 'pure data about extensions, and the load engine contract the profile schema shares',
    // The load job (types.ts) and its limits and request schemas (job-schema.ts) are what a profile's
    // load section is checked against: the profile layer reads them, the engine implements them.
    globs: [
      'src/platform/catalog/**',
      'src/load/types.ts',
      'src/load/job-schema.ts',
      'src/load/protocols/**',
    ],
  },
  { name: 'profile', what: 'the profile: schema, normalised form, SMP import', globs: ['src/profile/**'] },
  {
    name: 'measurement',
    what: 'the load engine, the sample server, the results file',
    globs: [
      'src/load/**',
      '!src/load/types.ts',
      '!src/load/job-schema.ts',
      '!src/load/protocols/**',
      'src/sample-server/**',
      'src/results/**',
    ],
  },
  { name: 'statistics', what: 'pure statistics', globs: ['src/stats/**'] },
  {
    name: 'judging',
    what: 'the gate and its rules, capacity judging, the trend',
    globs: ['src/verdict/**', 'src/capacity/**', '!src/capacity/experiment.ts', 'src/trend/**'],
  },
  {
    name: 'running',
    what: 'platforms and the experiment: where and how trials run; results imported from other tools',
    globs: [
      'src/platform/*.ts',
      'src/platform/local/**',
      'src/platform/cluster/**',
      'src/experiment.ts',
      'src/experiment-*.ts',
      'src/pipeline.ts',
      'src/cost-phase.ts',
      'src/capacity/experiment.ts',
      // Another way to get results: other tools' files read into results.json (import).
      'src/interop/**',
      '!src/interop/smp-export.ts',
    ],
  },
  {
    name: 'outputs',
    what: 'reports, interop, baselines, GitHub, history, init',
    globs: [
      // gate.ts joins a verdict to its terminal text for the doors.
      'src/gate.ts',
      'src/report/**',
      'src/interop/smp-export.ts',
      'src/baseline/**',
      'src/github/**',
      'src/history/**',
      'src/init/**',
    ],
  },
  { name: 'doors', what: 'the CLI and the action', globs: ['src/cli/**', 'src/action/**'] },
];

/** Folders of one layer that stand side by side and must not import each other. */
const WINGS: readonly (readonly [string, string])[] = [
  ['src/platform/local/', 'src/platform/cluster/'],
  ['src/cli/', 'src/action/'],
];

const ROOT = resolve('.');
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
    })
    .sort();

/**
 * Every relative module a file names: TypeScript's own pre-parser finds `import`, `import type`,
 * `export … from` and `import('…')` with a literal argument (a computed one would escape any rule:
 * the test below refuses it). `.js` suffixes name the `.ts` sources (NodeNext resolution).
 */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((ref) => ref.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(ROOT, resolve(dirname(resolve(ROOT, file)), name)).replace(/\.js$/, '.ts'));
}

const globRegExp = (glob: string): RegExp =>
  new RegExp(
    '^' +
      glob
        .split(/(\*\*|\*)/)
        .map((part) =>
          part === '**' ? '.+' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('') +
      '$',
  );

/** The indexes of the layers a file belongs to (exactly one, when the globs are right). */
function layersOf(file: string): number[] {
  return LAYERS.flatMap(({ globs }, index) => {
    const inside = globs.filter((g) => !g.startsWith('!')).some((g) => globRegExp(g).test(file));
    const out = globs.filter((g) => g.startsWith('!')).some((g) => globRegExp(g.slice(1)).test(file));
    return inside && !out ? [index] : [];
  });
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const files = sourceFiles('src');
const graph = new Map(files.map((file) => [file, importsOf(file, readFileSync(file, 'utf8'))]));

describe('import rules of src/', () => {
  it('reads imports of every kind', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "import { type C } from './c.js';",
      "export * from './d.js';",
      "export type { E } from './e.js';",
      "const f = await import('./f.js');",
      "import 'node:fs';",
    ].join('\n');
    expect(importsOf('src/x/y.ts', text)).toEqual([
      'src/x/a.ts',
      'src/b.ts',
      'src/x/c.ts',
      'src/x/d.ts',
      'src/x/e.ts',
      'src/x/f.ts',
    ]);
  });

  it('finds a cycle and the files in it', () => {
    const sample = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(sample)).toEqual([['a', 'b', 'c']]);
  });

  it('resolves every relative import to a source file', () => {
    const unresolved = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => !graph.has(to)).map((to) => `${from} → ${to}`),
    );
    expect(unresolved).toEqual([]);
  });

  it('imports modules by name only: no computed import()', () => {
    // A computed specifier would hide an import from every rule here.
    const computed = files.filter((file) =>
      /(?<![\w.$`'"])import\(\s*[^'"\s)]/.test(readFileSync(file, 'utf8')),
    );
    // util/entry.ts writes an import() into the source of a bootstrap it hands another thread.
    expect(computed).toEqual(['src/util/entry.ts']);
  });

  it('puts every src file in exactly one layer', () => {
    const wrong = files
      .map((file) => ({ file, layers: layersOf(file).map((i) => LAYERS[i].name) }))
      .filter(({ layers }) => layers.length !== 1)
      .map(
        ({ file, layers }) =>
          `${file}: ${layers.length === 0 ? 'in no layer' : `in ${layers.join(' and ')}`}`,
      );
    expect(wrong).toEqual([]);
  });

  const upward = [...graph].flatMap(([from, targets]) =>
    targets
      .filter((to) => graph.has(to) && layersOf(to)[0] > layersOf(from)[0])
      .map((to) => ({
        from,
        to,
        fromLayer: LAYERS[layersOf(from)[0]].name,
        toLayer: LAYERS[layersOf(to)[0]].name,
      })),
  );
  it('imports nothing from a higher layer', () => {
    expect(upward.map((e) => `${e.from} (${e.fromLayer}) → ${e.to} (${e.toLayer})`)).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(
      cycles(graph).map((component) => `cycle of ${component.length} files: ${component.join(', ')}`),
    ).toEqual([]);
  });

  it('keeps side-by-side wings apart', () => {
    const crossing = [...graph].flatMap(([from, targets]) =>
      targets
        .filter((to) =>
          WINGS.some(
            ([a, b]) => (from.startsWith(a) && to.startsWith(b)) || (from.startsWith(b) && to.startsWith(a)),
          ),
        )
        .map((to) => `${from} → ${to}`),
    );
    expect(crossing).toEqual([]);
  });
});
