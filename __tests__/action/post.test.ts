import { describe, expect, it, jest } from '@jest/globals';
import { parsePostState, registerPostCleanup, runPost } from '../../src/action/post-cleanup.js';

describe('post step', () => {
  it.each([
    ['', undefined],
    ['not json', undefined],
    ['{"profile":"x"}', undefined],
    ['{"platform":"kind","profile":"x"}', { platform: 'kind', profile: 'x' }],
  ])('state %p', (text, expected) => {
    expect(parsePostState(text)).toEqual(expected);
  });

  it('runs the registered clean-up of the saved platform; failures are warnings', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const cleanup = jest.fn(async (_state: unknown) => {
      throw new Error('cluster gone');
    });
    registerPostCleanup('kubernetes', cleanup);
    await expect(runPost({ platform: 'kubernetes', profile: 'x' })).resolves.toBeUndefined();
    expect(cleanup).toHaveBeenCalledWith({ platform: 'kubernetes', profile: 'x' });
    await expect(runPost({ platform: 'local' })).resolves.toBeUndefined();
    await expect(runPost(undefined)).resolves.toBeUndefined();
  });
});
