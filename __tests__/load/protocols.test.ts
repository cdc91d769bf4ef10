// test-group: unit
/**
 * The load protocol registry: every protocol a profile may name rides on a wire with a slot
 * factory, parses to the job it did before, and the descriptors load no engine code (profile/ is
 * a lower layer than the engine and reads them).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { LOAD_PROTOCOLS, LOAD_PROTOCOL_NAMES, loadProtocolOf } from '../../src/load/protocols/registry.js';
import { WIRE_PROTOCOLS } from '../../src/load/protocols/types.js';
import { SLOT_FACTORIES } from '../../src/load/slot-factories.js';
import { LoadJobSchema } from '../../src/load/job-schema.js';
import { parseProfileText } from '../../src/profile/load.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Every src file a module imports, following relative imports (type-only ones too). */
function importClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/\bfrom\s+'(\.[^']+)'/g))
      visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return new Set([...seen].map((f) => f.slice(SRC.length + 1)));
}

describe('load protocols', () => {
  test('the descriptors load no engine code', () => {
    const closure = [...importClosure(`${SRC}/load/protocols/registry.ts`)].sort();
    // Layers 0–1 only (readiness for its probe type): nothing of load/ outside the descriptors.
    expect(closure.filter((f) => !f.startsWith('load/protocols/'))).toEqual([
      'errors.ts',
      'system/readiness.ts',
    ]);
    expect(readFileSync(`${SRC}/load/protocols/types.ts`, 'utf8')).toMatch(
      /import type \{ ReadinessProbe \} from '..\/..\/system\/readiness.js'/,
    );
  });

  test('the profile accepts exactly the registered names, in order, in its message', () => {
    expect(LOAD_PROTOCOL_NAMES).toEqual(['http1', 'http2', 'grpc']);
    expect(() => parseProfileText('name: p\nload:\n  protocol: spdy\n', 'p.yaml')).toThrow(
      /load\.protocol: .*expected http1, http2 or grpc/,
    );
  });

  test('each wire protocol has a slot factory, and each protocol rides on one', () => {
    expect(Object.keys(SLOT_FACTORIES).sort()).toEqual([...WIRE_PROTOCOLS].sort());
    for (const p of LOAD_PROTOCOLS) expect(WIRE_PROTOCOLS).toContain(p.wire);
  });

  test.each([
    ['http1', 'http1', 'http1', 1],
    ['http2', 'http2', 'http2', 1],
    ['grpc', 'http2', 'grpc', 4],
  ])('profile protocol %s: jobs speak %s, readiness probes %s, SMP code %i', (name, wire, probe, smp) => {
    const grpc = name === 'grpc' ? '  grpc:\n    method: /a.B/C\n' : '';
    const profile = parseProfileText(`name: p\nload:\n  protocol: ${name}\n${grpc}`, 'p.yaml');
    expect(profile.load.protocol).toBe(wire);
    const carried = loadProtocolOf(profile.load);
    expect([carried.name, carried.probe, carried.smpCode]).toEqual([name, probe, smp]);
    // The job the profile becomes is one the engine accepts.
    expect(
      LoadJobSchema.parse({ url: 'http://127.0.0.1:1', rps: 1, connections: 1, durationS: 1, protocol: wire })
        .protocol,
    ).toBe(wire);
  });

  test('a slot factory opens the slots of one connection: HTTP/2 one per stream, sharing a closer', () => {
    const options = {
      url: new URL('http://127.0.0.1:1'),
      method: 'GET',
      path: '/',
      headers: {},
      body: '',
      insecureTls: false,
      onDone: () => undefined,
    };
    const job = LoadJobSchema.parse({
      url: 'http://127.0.0.1:1',
      rps: 1,
      connections: 1,
      durationS: 1,
      streamsPerConnection: 3,
    });
    const h1 = SLOT_FACTORIES.http1(options, job);
    expect([h1.slots.length, h1.close]).toEqual([1, undefined]);
    const h2 = SLOT_FACTORIES.http2(options, job);
    expect(h2.slots.length).toBe(3);
    expect(typeof h2.close).toBe('function');
    for (const slot of [...h1.slots, ...h2.slots]) slot.close();
    h2.close?.();
  });
});
