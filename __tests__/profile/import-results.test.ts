// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/errors.js';
import { parseProfileText } from '../../src/profile/load.js';

describe('profile: import_results', () => {
  test('entries kept in order; absent by default', () => {
    const profile = parseProfileText(
      'name: x\nimport_results:\n  - { file: a.json, variant: base/none }\n  - { file: b.hlog, variants: { b: head/istio } }\n',
      'p.yaml',
    );
    expect(profile.importResults).toEqual([
      { file: 'a.json', variant: 'base/none' },
      { file: 'b.hlog', variants: { b: 'head/istio' } },
    ]);
    expect(parseProfileText('name: y', 'p.yaml').importResults).toBeUndefined();
  });

  test.each([
    ['import_results: []', 'import_results: expected at least one { file, variant }'],
    ['import_results: [{ file: a.json, variant: istio }]', 'import_results[0].variant: expected base/MESH or head/MESH'],
    ['import_results: [{ file: a.json, varient: head/none }]', 'import_results[0]'],
  ])('%s', (yaml, message) => {
    expect(() => parseProfileText(`name: x\n${yaml}\n`, 'p.yaml')).toThrow(UserError);
    expect(() => parseProfileText(`name: x\n${yaml}\n`, 'p.yaml')).toThrow(message);
  });
});
