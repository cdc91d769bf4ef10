// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { composeComment, composeSummary } from '../../src/github/report-body.js';

describe('report body', () => {
  it('the comment is the body under the marker line', () => {
    expect(composeComment('<!-- m -->', '## body\n')).toBe('<!-- m -->\n## body\n');
  });

  it('the summary appends the action-only notes as quotes', () => {
    expect(composeSummary('## body\n', ['No baseline yet.', '', 'Saved.'])).toBe(
      '## body\n\n> No baseline yet.\n\n> Saved.\n',
    );
    expect(composeSummary('## body\n', [])).toBe('## body\n');
  });
});
