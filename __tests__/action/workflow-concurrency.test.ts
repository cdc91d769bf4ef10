// GitHub cancels a *pending* run when a newer one joins its concurrency group, whatever
// cancel-in-progress says (docs.github.com, "Control the concurrency of workflows and jobs"): a
// queued push to main would save no baseline. The example workflows give every push its own group.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { workflowFile } from '../../src/init/generate.js';

/** The few expression forms the examples use, evaluated for one event (enough to compare groups). */
function evaluate(expression: string, github: Record<string, unknown>): string {
  return expression.replace(/\$\{\{(.*?)\}\}/g, (_, body: string) => {
    const value = (path: string): unknown =>
      path
        .trim()
        .split('.')
        .slice(1)
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], github);
    const term = (text: string): unknown => {
      const t = text.trim();
      const format = /^format\('([^']*)',\s*(.+)\)$/.exec(t);
      if (format) return format[1].replace('{0}', String(value(format[2])));
      const equals = /^(\S+)\s*==\s*'([^']*)'$/.exec(t);
      if (equals) return value(equals[1]) === equals[2];
      if (t.startsWith('github.')) return value(t);
      throw new Error(`unsupported term ${t}`);
    };
    // a && b || c, or a || b
    const [left, right] = body.split('||');
    const and = left.split('&&').map(term);
    if (right === undefined && and.length === 1) return String(and[0]);
    const first = and.every(Boolean) ? and.at(-1) : undefined;
    return String(first || (right !== undefined ? term(right) : ''));
  });
}

const pushRun = (runId: number) => ({ event_name: 'push', ref: 'refs/heads/main', run_id: runId, event: {} });
const prRun = (runId: number, pr: number) => ({
  event_name: 'pull_request',
  ref: `refs/pull/${pr}/merge`,
  run_id: runId,
  event: { pull_request: { number: pr } },
});

/** The workflow `meshgate init` writes (local platform, no mesh). */
const initWorkflow = (): string =>
  workflowFile(
    { platform: 'local', mesh: 'none', name: 'pr', start: ['npm', 'start'], readyPath: '/', port: 8080 },
    { defaultBranch: 'main', workflows: [] },
    '0.1.0',
  ).content;

test.each(['docs/workflows/meshgate.yml', 'README.md', 'meshgate init'])(
  '%s: two pushes to main never share a concurrency group; runs of one PR do',
  (file) => {
    const text = file === 'meshgate init' ? initWorkflow() : readFileSync(file, 'utf8');
    const yaml = file.endsWith('.md') ? /```yaml\n(name: meshgate\n[\s\S]*?)```/.exec(text)![1] : text;
    const { concurrency } = parse(yaml) as { concurrency: { group: string; 'cancel-in-progress': string } };
    const group = (github: Record<string, unknown>) => evaluate(concurrency.group, github);
    expect(group(pushRun(1))).not.toBe(group(pushRun(2)));
    expect(group(prRun(1, 7))).toBe(group(prRun(2, 7)));
    expect(group(prRun(1, 7))).not.toBe(group(prRun(1, 8)));
    expect(evaluate(concurrency['cancel-in-progress'], pushRun(1))).toBe('false');
  },
);
