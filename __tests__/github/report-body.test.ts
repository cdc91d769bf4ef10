import { describe, expect, it } from '@jest/globals';
import { composeComment, composeReport } from '../../src/github/report-body.js';

describe('report body', () => {
  const parts = {
    verdictMarkdown: '## meshgate · p: ✅ pass\n',
    chart: '```mermaid\nxychart-beta\n```',
    baselineNote: 'Baseline: run #3.',
    notes: ['Handed off.'],
    links: [
      { label: 'workflow run', url: 'https://x/runs/1' },
      { label: 'artifacts', url: 'https://x/runs/1#artifacts' },
    ],
  };

  it('puts verdict, baseline note, chart, notes and links in that order', () => {
    const report = composeReport(parts);
    const order = [
      '## meshgate',
      '> Baseline: run #3.',
      '#### Percentile curves',
      '> Handed off.',
      '[workflow run](https://x/runs/1) · [artifacts](',
    ];
    const positions = order.map((text) => report.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('the comment is the report under the marker line', () => {
    expect(composeComment('<!-- m -->', parts)).toBe(`<!-- m -->\n${composeReport(parts)}`);
  });

  it('leaves out empty parts', () => {
    expect(composeReport({ verdictMarkdown: 'v', chart: '', baselineNote: '', links: [] })).toBe('v\n');
  });
});
