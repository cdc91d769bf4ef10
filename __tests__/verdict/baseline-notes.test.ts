// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/verdict/decide.js';
import { around, makeResults } from '../__fixtures__/results.js';

const lone = () => makeResults({ variants: { 'head/none': { p99Ms: around(10, 6) } } });

describe('notes about what a verdict rests on', () => {
  it('a baseline from another profile is noted, not judged', () => {
    const baseline = lone();
    baseline.profile.name = 'other-profile';
    const verdict = decide(lone(), { baseline });
    expect(verdict.notes).toContain(
      'The baseline comes from profile other-profile, not fixture: its load and settings may differ.',
    );
    expect(decide(lone(), { baseline: lone() }).notes.join('\n')).not.toContain('comes from profile');
    expect(verdict.verdict).toBe(decide(lone(), { baseline: lone() }).verdict);
  });

  it('a run that ended early says so, without its free-text reason', () => {
    const results = { ...lone(), incomplete: { reason: '[x](https://evil.example)', completedTrials: 6 } };
    const notes = decide(results).notes.join('\n');
    expect(notes).toContain('This run ended early: 6 trials were completed');
    expect(notes).not.toContain('evil');
  });
});
