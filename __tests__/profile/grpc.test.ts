// test-group: unit
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/errors.js';
import { loadProfile, parseProfileText } from '../../src/profile/load.js';

const grpcProfile = (grpc: string, protocol = 'grpc') =>
  `name: g\nload:\n  protocol: ${protocol}\n  request: { headers: { x-tenant: a } }\n${grpc ? `  grpc: ${grpc}\n` : ''}`;

describe('profile: load.protocol grpc', () => {
  test('normalised to an HTTP/2 gRPC request; headers kept as metadata', () => {
    const profile = parseProfileText(grpcProfile('{ method: /meshgate.sample.Echo/Echo, message: CgVoZWxsbw== }'), 'p.yaml');
    expect(profile.load.protocol).toBe('http2');
    expect(profile.load.grpc).toEqual({ method: '/meshgate.sample.Echo/Echo' });
    expect(profile.load.request).toEqual({
      method: 'POST',
      path: '/meshgate.sample.Echo/Echo',
      headers: { 'x-tenant': 'a', 'content-type': 'application/grpc', te: 'trailers' },
      body: 'CgVoZWxsbw==',
    });
  });

  test.each([
    ['', 'load.grpc: load.protocol grpc needs load.grpc'],
    ['{ method: Echo }', 'load.grpc.method: expected a method path like /package.Service/Method'],
    ['{ method: /a.B/C, message: "not base64!" }', 'load.grpc.message: expected the protobuf request message in base64'],
    ['{ method: /a.B/C, message: AA==, message_file: m.bin }', 'load.grpc.message_file: give message or message_file, not both'],
  ])('%s → %s', (grpc, message) => {
    expect(() => parseProfileText(grpcProfile(grpc), 'p.yaml')).toThrow(UserError);
    expect(() => parseProfileText(grpcProfile(grpc), 'p.yaml')).toThrow(message);
  });

  test('load.grpc with another protocol is an error', () => {
    expect(() => parseProfileText(grpcProfile('{ method: /a.B/C }', 'http2'), 'p.yaml')).toThrow(
      'load.protocol: load.grpc is set: expected grpc, got http2',
    );
  });

  test('message_file is read relative to the profile, as base64; a missing one is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshgate-grpc-'));
    writeFileSync(join(dir, 'hello.bin'), Buffer.from('0a0568656c6c6f', 'hex'));
    writeFileSync(join(dir, 'p.yaml'), grpcProfile('{ method: /a.B/C, message_file: hello.bin }'));
    expect((await loadProfile(join(dir, 'p.yaml'))).load.request.body).toBe('CgVoZWxsbw==');
    writeFileSync(join(dir, 'q.yaml'), grpcProfile('{ method: /a.B/C, message_file: nope.bin }'));
    await expect(loadProfile(join(dir, 'q.yaml'))).rejects.toThrow(/q\.yaml: load\.grpc\.message_file: cannot read "nope\.bin"/);
  });
});
