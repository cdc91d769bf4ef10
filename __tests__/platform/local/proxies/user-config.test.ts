// requires: nginx haproxy
/**
 * The user's own proxy configs on the real nginx and HAProxy: fragments included into meshgate's
 * config (the shipped native and scripted route filters), full configs with placeholders, and
 * configs the proxy rejects, which are exit 2 naming the profile field and quoting the proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../../../../src/errors.js';
import { startHaproxy } from '../../../../src/platform/local/proxies/haproxy.js';
import { startNginx } from '../../../../src/platform/local/proxies/nginx.js';
import { fillPlaceholders } from '../../../../src/platform/local/proxies/user-config.js';
import type { DataPlaneFiles, MeshSpec } from '../../../../src/profile/types.js';
import { itWith } from '../../../helpers/system-tools.js';
import { get, meshSpec, quietContext, startApp, tempWorkDir, type TestApp } from './helpers.js';

const shipped = (file: string) => resolve('profiles/dataplane', file);
let app: TestApp;
let work: Awaited<ReturnType<typeof tempWorkDir>>;

beforeAll(async () => {
  [app, work] = await Promise.all([startApp(), tempWorkDir()]);
});
afterAll(async () => {
  await app.close();
  await work.remove();
});

async function routeClass(
  start: typeof startNginx,
  spec: MeshSpec,
  path: string,
): Promise<string | undefined> {
  const chain = await start(app.url, spec, quietContext(work.workDir));
  try {
    const reply = await get(`${chain.url}${path}`);
    expect(reply.headers['x-app']).toBe('meshgate-test');
    return reply.headers['x-route-class'] as string | undefined;
  } finally {
    await chain.stop();
  }
}

async function userFile(name: string, text: string): Promise<string> {
  const path = join(work.workDir, name);
  await writeFile(path, text);
  return path;
}

const files = (own: Omit<DataPlaneFiles, 'field'>): DataPlaneFiles => ({ ...own, field: 'mesh[1]' });

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('nginx', () => {
  const runsFilter = (dataPlane: DataPlaneFiles) => async () => {
    const spec = meshSpec({ name: 'nginx', dataPlane });
    expect(await routeClass(startNginx, spec, '/api/users')).toBe('api');
    // Two hops: both proxies run the filter, as every sidecar of a mesh runs its config.
    expect(await routeClass(startNginx, { ...spec, hops: 2 }, '/static/a.css')).toBe('static, static');
  };
  it(
    'runs the shipped native (map) route filter on every response',
    runsFilter(files({ include: shipped('nginx-native.conf') })),
  );
  const njs = 'runs the shipped scripted (njs) route filter on every response';
  itWith(['nginx-njs'], njs)(
    njs,
    runsFilter(files({ include: shipped('nginx-njs.conf'), globalInclude: shipped('nginx-njs-main.conf') })),
  );

  it('runs a full config with its placeholders filled in', async () => {
    const config = await userFile(
      'full-nginx.conf',
      [
        'events {}',
        'http {',
        '  access_log off;',
        '  server {',
        '    listen {{listen}};',
        '    location / { proxy_pass http://{{upstream}}; add_header X-Route-Class full; }',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(await routeClass(startNginx, meshSpec({ name: 'nginx', dataPlane: files({ config }) }), '/')).toBe(
      'full',
    );
  });

  it('rejects an invalid fragment before starting: exit 2 with nginx -t and the field', async () => {
    const include = await userFile('bad.conf', 'add_headr X-Route-Class web;\n');
    const error = await rejection(
      startNginx(
        app.url,
        meshSpec({ name: 'nginx', dataPlane: files({ include }) }),
        quietContext(work.workDir),
      ),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`mesh[1].include (${include})`);
    expect(error.message).toMatch(
      /nginx rejected .*\nnginx: \[emerg\] unknown directive "add_headr" in .*bad.conf:1/,
    );
    expect(error.message).not.toContain('[warn]');
  });

  it('rejects an unknown placeholder and a full config with two hops', async () => {
    const include = await userFile('ph.conf', 'add_header X {{nope}};\n');
    const unknown = await rejection(
      startNginx(
        app.url,
        meshSpec({ name: 'nginx', dataPlane: files({ include }) }),
        quietContext(work.workDir),
      ),
    );
    expect(unknown.message).toMatch(/mesh\[1\]\.include .*line 1: unknown placeholder \{\{nope\}\}/);
    const config = await userFile('two.conf', 'events {}\n');
    const twoHops = await rejection(
      startNginx(
        app.url,
        meshSpec({ name: 'nginx', hops: 2, dataPlane: files({ config }) }),
        quietContext(work.workDir),
      ),
    );
    expect(twoHops.message).toContain('mesh[1].config: a full proxy config describes one proxy');
  });
});

describe('haproxy', () => {
  it.each([
    ['native (ACLs)', files({ include: shipped('haproxy-native.cfg') })],
    [
      'scripted (Lua)',
      files({ include: shipped('haproxy-lua.cfg'), globalInclude: shipped('haproxy-lua-global.cfg') }),
    ],
  ])('runs the shipped %s route filter on every request', async (_label, dataPlane) => {
    const spec = meshSpec({ name: 'haproxy', dataPlane });
    expect(await routeClass(startHaproxy, spec, '/api/users')).toBe('api');
    expect(await routeClass(startHaproxy, spec, '/index.html')).toBe('web');
  });

  it('rejects an invalid fragment: exit 2 with haproxy -c and the field', async () => {
    const include = await userFile('bad.cfg', 'http-request frobnicate\n');
    const error = await rejection(
      startHaproxy(
        app.url,
        meshSpec({ name: 'haproxy', dataPlane: files({ include }) }),
        quietContext(work.workDir),
      ),
    );
    expect(error.message).toContain(`mesh[1].include (${include})`);
    expect(error.message).toMatch(/haproxy rejected[^]*frobnicate/);
  });
});

describe('placeholders', () => {
  it('fills known names and names the line of an unknown one', () => {
    expect(fillPlaceholders('listen {{ listen }};', { listen: '127.0.0.1:9' }, 'f')).toBe(
      'listen 127.0.0.1:9;',
    );
    expect(() =>
      fillPlaceholders('a\nssl_certificate {{tls_cert}};', { listen: 'x' }, 'mesh[0].config (x)'),
    ).toThrow(
      'mesh[0].config (x), line 2: unknown placeholder {{tls_cert}} (tls_* placeholders need tls: true); known: listen',
    );
  });
});
