// action.yml is the source of truth for inputs and outputs; docs/action.md (and README.md's section
// between <!-- inputs --> and <!-- /inputs -->, when present) must show the same table.
// Regenerate docs/action.md and README.md's section with:
//   UPDATE_ACTION_DOCS=1 npm test -- __tests__/action/action-docs
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseSettings } from '../../src/action/inputs.js';

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string };
}

const action = parse(readFileSync('action.yml', 'utf8')) as ActionMetadata;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ').trim();

export function renderActionTables(metadata: ActionMetadata): string {
  const inputs = Object.entries(metadata.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${cell(input.description)} | ${input.default === undefined ? '' : `\`${cell(String(input.default))}\``} |`,
  );
  const outputs = Object.entries(metadata.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  return [
    '<!-- inputs -->',
    '### Inputs',
    '',
    '| input | description | default |',
    '|---|---|---|',
    ...inputs,
    '',
    '### Outputs',
    '',
    '| output | description |',
    '|---|---|',
    ...outputs,
    '<!-- /inputs -->',
  ].join('\n');
}

const section = (text: string) => /<!-- inputs -->[\s\S]*?<!-- \/inputs -->/.exec(text)?.[0];

describe('action.yml and its documentation agree', () => {
  const expected = renderActionTables(action);

  it('docs/action.md', () => {
    const file = 'docs/action.md';
    if (process.env.UPDATE_ACTION_DOCS === '1')
      writeFileSync(
        file,
        `# meshgate action reference\n\nGenerated from action.yml (see __tests__/action/action-docs.test.ts).\n\n${expected}\n`,
      );
    expect(section(readFileSync(file, 'utf8'))).toBe(expected);
  });

  it('README.md, when it has the section', () => {
    if (!existsSync('README.md')) return;
    const readme = readFileSync('README.md', 'utf8');
    const found = section(readme);
    if (found !== undefined && process.env.UPDATE_ACTION_DOCS === '1')
      writeFileSync('README.md', readme.replace(found, expected));
    if (found !== undefined) expect(section(readFileSync('README.md', 'utf8'))).toBe(expected);
  });

  it('runs on node24 with main and post bundles', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/main/index.js', post: 'dist/post/index.js' });
  });

  it('every input is read by readInputs and accepts its default', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [name, String(input.default ?? '')]),
    );
    const read: string[] = [];
    const settings = parseSettings(
      (name) => {
        read.push(name);
        return { ...defaults, 'github-token': 't', profile: 'p.yaml' }[name] ?? '';
      },
      { GITHUB_WORKSPACE: '/w', RUNNER_TEMP: '/tmp/r' },
    );
    expect(new Set(read)).toEqual(new Set(Object.keys(action.inputs)));
    expect(settings).toMatchObject({
      mode: 'measure',
      comment: 'always',
      failOnRegression: true,
      baseline: { kind: 'artifact' },
      saveBaseline: 'auto',
    });
  });
});
