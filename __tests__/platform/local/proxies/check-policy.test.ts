// validate's reading of proxy files before a check runs (check-policy.ts); the CLI-level cases,
// with markers proving nothing ran, are rows of the hostile corpus (cli/hostile-corpus.test.ts).
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  checkHaproxyFile,
  debianPackageForNginxModule,
  envoyLoadsCode,
  haproxyStatements,
  isInside,
  nginxStatements,
} from '../../../../src/platform/local/proxies/check-policy.js';

describe('reading nginx statements', () => {
  test('names, arguments and lines; comments and blocks', () => {
    const text =
      '# a comment; load_module x;\nload_module /m.so;\nhttp {\n  js_import  m from "/a b.js";\n}\n';
    expect(
      nginxStatements(text).map(({ name, args, line, disguised }) => ({ name, args, line, disguised })),
    ).toEqual([
      { name: 'load_module', args: ['/m.so'], line: 2, disguised: false },
      { name: 'http', args: [], line: 3, disguised: false },
      { name: 'js_import', args: ['m', 'from', '/a b.js'], line: 4, disguised: false },
    ]);
  });
  test('a quoted or escaped name is disguised', () => {
    expect(nginxStatements("'load_module' /m.so;")[0]).toMatchObject({
      name: 'load_module',
      disguised: true,
    });
    expect(nginxStatements('load\\_module /m.so;')[0].disguised).toBe(true);
  });
});

describe('reading HAProxy lines', () => {
  test('keywords, quoted arguments, variables', () => {
    expect(
      haproxyStatements('  lua-load "/a b.lua" # c\n"${KW}" x\n').map(({ name, args, disguised }) => ({
        name,
        args,
        disguised,
      })),
    ).toEqual([
      { name: 'lua-load', args: ['/a b.lua'], disguised: false },
      { name: '${KW}', args: ['x'], disguised: true },
    ]);
  });
  test('Lua from the profile folder is listed (its check is left to run), from elsewhere refused', () => {
    const where = (line: number) => `f, line ${line}`;
    const policy = { trusted: false, profileDir: '/repo/profiles' };
    expect(checkHaproxyFile('lua-load /repo/profiles/x/a.lua\n', where, '/tmp/w', policy)).toEqual([
      '/repo/profiles/x/a.lua',
    ]);
    expect(() => checkHaproxyFile('lua-load /repo/profiles/../evil.lua\n', where, '/tmp/w', policy)).toThrow(
      /line 1: lua-load .*only from the profile's folder/,
    );
    expect(() => checkHaproxyFile('ssl-provider-path /tmp\n', where, '/tmp/w', policy)).toThrow(
      /loads native code/,
    );
    expect(
      checkHaproxyFile('log stdout format raw local0\nlog 127.0.0.1:514 local0\n', where, '/tmp/w', policy),
    ).toEqual([]);
  });
});

test('the Debian package of an nginx module, only when Debian has one', () => {
  expect(debianPackageForNginxModule('/usr/lib/nginx/modules/ngx_http_js_module.so')).toBe(
    'libnginx-mod-http-js',
  );
  expect(debianPackageForNginxModule('ngx_stream_js_module.so')).toBe('libnginx-mod-stream-js');
  expect(debianPackageForNginxModule('ndk_http_module.so')).toBe('libnginx-mod-http-ndk');
  expect(debianPackageForNginxModule('ngx_http_evil_module.so')).toBeUndefined();
});

test('inside a folder, by path and after symlinks', () => {
  expect(isInside('/repo/p/a', '/repo/p')).toBe(true);
  expect(isInside('/repo/p/../q', '/repo/p')).toBe(false);
  expect(isInside('/repo/pq', '/repo/p')).toBe(false);
});

test('Envoy configs whose check would run code: validate leaves them to run (no envoy here to run it)', () => {
  const shipped = (name: string) => readFileSync(`profiles/dataplane/${name}`, 'utf8');
  expect(envoyLoadsCode(shipped('envoy-wasm-filter.yaml'))).toBe(true);
  expect(envoyLoadsCode(shipped('envoy-lua-filter.yaml'))).toBe(true);
  expect(
    envoyLoadsCode(
      '[{"name":"envoy.filters.http.cors","typed_config":{"@type":"type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"}}]',
    ),
  ).toBe(false);
});
