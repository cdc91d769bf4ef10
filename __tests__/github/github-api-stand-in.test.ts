// The stand-in's own checks: its validator rejects what the real API would never send, so an
// empty `specViolations` in the other suites means something.
import { describe, expect, it } from '@jest/globals';
import { responseExample, validateResponse } from '../__stand-ins__/github-api-openapi.js';
import { makeZip, readZip } from '../__stand-ins__/github-api-zip.js';

const COMMENT = '/repos/{owner}/{repo}/issues/comments/{comment_id}';

describe('OpenAPI validation of stand-in answers', () => {
  it("accepts the description's own examples", () => {
    expect(validateResponse(COMMENT, 'get', 200, responseExample(COMMENT, 'get', 200))).toEqual([]);
    const runs = '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs';
    expect(validateResponse(runs, 'get', 200, responseExample(runs, 'get', 200))).toEqual([]);
  });

  it.each([
    ['a missing required field', (c: any) => delete c.id, 'missing required id'],
    ['a wrong type', (c: any) => (c.id = 'one'), 'expected integer'],
    ['a null where none is allowed', (c: any) => (c.html_url = null), 'null is not allowed'],
    ['a bad enum value', (c: any) => (c.author_association = 'STRANGER'), 'is not one of'],
  ])('rejects %s', (_name, mutate, message) => {
    const comment = responseExample(COMMENT, 'get', 200);
    mutate(comment);
    expect(validateResponse(COMMENT, 'get', 200, comment).join('\n')).toContain(message);
  });
});

describe('stand-in zip', () => {
  it('round-trips files', () => {
    const files = readZip(makeZip({ 'results.json': '{"a":1}', 'dir/b.txt': 'b' }));
    expect(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.toString()]))).toEqual({
      'results.json': '{"a":1}',
      'dir/b.txt': 'b',
    });
  });
});
