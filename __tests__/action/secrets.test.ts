// Secrets never copied (util/secrets.ts): the redaction itself, and the action handing each
// credential of the profile to GitHub's log masking (core.setSecret prints ::add-mask::).
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clearSecrets,
  isSecretHeader,
  redactProfile,
  redactText,
  redactUrl,
  registerSecret,
} from '../../src/util/secrets.js';

afterEach(() => clearSecrets());

describe('redaction', () => {
  test('URL user information, in a URL or in text', () => {
    expect(redactUrl('http://admin:s3cret@127.0.0.1:8080/x')).toBe('http://***@127.0.0.1:8080/x');
    expect(redactUrl('https://x-access-token:ghs_abc@github.com')).toBe('https://***@github.com');
    expect(redactText('did not answer at http://u:p%40ss@h:1 (refused)')).toBe(
      'did not answer at http://***@h:1 (refused)',
    );
    expect(redactUrl('mailto:a@b.c and http://h/a@b')).toBe('mailto:a@b.c and http://h/a@b');
  });
  test('credential headers by name, registered values anywhere', () => {
    registerSecret('tok-1234');
    registerSecret('ab'); // too short to mask in text without garbling it
    const profile = {
      load: {
        request: { headers: { Authorization: 'Bearer x', 'X-Tenant': 'a', 'X-Custom': 'pre tok-1234' } },
      },
      note: 'ab tok-1234',
    };
    expect(redactProfile(profile)).toEqual({
      load: { request: { headers: { Authorization: '***', 'X-Tenant': 'a', 'X-Custom': 'pre ***' } } },
      note: 'ab ***',
    });
    expect(['Cookie', 'x-api-key', 'X-Session-Id', 'Private-Token'].every(isSecretHeader)).toBe(true);
    expect(isSecretHeader('content-type')).toBe(false);
  });
});

test("the action hands the profile's credentials to GitHub's masking", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshgate-secrets-'));
  writeFileSync(
    join(dir, 'p.yaml'),
    'name: s\nworkload: { url: "http://admin:pa55word@127.0.0.1:9" }\nload: { request: { headers: { X-Custom: "${MG_TEST_TOKEN}", Cookie: "sid=cookie-value" } } }\n',
  );
  process.env.MG_TEST_TOKEN = 'env-token-value';
  const written: string[] = [];
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
  try {
    const { parseSettings } = await import('../../src/action/inputs.js');
    const { defaultDeps } = await import('../../src/action/deps.js');
    const settings = parseSettings(
      (name) => ({ 'github-token': 't', profile: join(dir, 'p.yaml') })[name] ?? '',
      { GITHUB_WORKSPACE: dir, RUNNER_TEMP: dir },
    );
    const deps = defaultDeps(settings, new AbortController().signal);
    await deps.loadProfile(join(dir, 'p.yaml'));
  } finally {
    spy.mockRestore();
    delete process.env.MG_TEST_TOKEN;
  }
  const masks = written
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.trim().slice('::add-mask::'.length));
  expect(masks).toEqual(
    expect.arrayContaining(['env-token-value', 'sid=cookie-value', 'pa55word', 'admin:pa55word']),
  );
});
