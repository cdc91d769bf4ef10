/**
 * The profile's `cost` section and `gate.cost`: defaults, the round trip through `validate`'s
 * normalised form, and bad input named by field (exit 2, no stack trace). The shipped
 * dataplane-cost profile loads.
 */
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../src/errors.js';
import { loadProfile, parseProfile } from '../../src/profile/load.js';
import { profileToInput } from '../../src/profile/to-input.js';

const parse = (yaml: string) => parseProfile(parseYaml(yaml), 'p.yaml', {});
const messageOf = (yaml: string): string => {
  try {
    parse(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected the profile to be rejected');
};

describe('profile cost', () => {
  it('fills in the defaults and reads gate.cost as a fraction', () => {
    const profile = parse('name: x\nmesh: [nginx]\ncost: {}\ngate: { cost: { max_increase: 2% } }');
    expect(profile.cost).toEqual({
      method: 'callgrind',
      requests: 1000,
      batches: 5,
      warmupRequests: 300,
      connections: 2,
      workload: false,
    });
    expect(profile.gate.cost).toEqual({ maxIncrease: 0.02 });
  });

  it('survives the round trip through the normalised form', () => {
    const profile = parse(
      'name: x\nmesh: [nginx]\ncost: { method: auto, requests: 500, batches: 7 }\ngate: { cost: { max_increase: 1% } }',
    );
    const again = parseProfile(profileToInput(profile), 'again.yaml', {});
    expect(again.cost).toEqual(profile.cost);
    expect(again.gate.cost).toEqual(profile.gate.cost);
  });

  it.each([
    [
      'cost: { requests: 5 }',
      /cost\.requests.*expected a whole number of requests per batch from 10 to 100000/,
    ],
    ['cost: { batches: 1 }', /cost\.batches.*from 2 to 100/],
    ['cost: { method: cachegrind }', /cost\.method.*expected callgrind, perf or auto/],
    ['cost: { request: 10 }', /cost.*request/],
    ['gate: { cost: { max_increase: 2 } }\ncost: {}', /gate\.cost\.max_increase.*write 2% for 2 percent/],
    ['gate: { cost: { max_increase: 2% } }', /gate\.cost.*needs a cost section/],
    [
      'load: { capacity: { slo: { p99: 5ms }, min_rps: 100, max_rps: 1000 } }\ncost: {}',
      /cost.*a capacity search is not followed by a cost phase/,
    ],
    ['load: { protocol: http2 }\ncost: {}', /cost.*counts HTTP\/1\.1 requests; load\.protocol http2/],
  ])('%s is refused, naming the field', (yaml, message) => {
    expect(messageOf(`name: x\nmesh: [nginx]\n${yaml}`)).toMatch(message);
  });

  it.each([
    [
      'workload: { command: [node, server.js] }',
      /workload\.command.*cost\.workload: node is a JIT runtime: its instruction count depends on when the JIT compiles/,
    ],
    [
      'workload: { builds: { base: { command: [/usr/bin/java, -jar, a.jar] }, head: { command: [./server] } } }',
      /workload\.builds\.base\.command.*java is a JIT runtime/,
    ],
    ['workload: { sample: echo }', /cost\.workload.*the sample server \(Node, a JIT runtime\)/],
    ['workload: { url: "http://127.0.0.1:9" }', /cost\.workload.*workload is not a command/],
  ])('cost.workload with %s is refused with the reason', (workload, message) => {
    expect(messageOf(`name: x\nmesh: [nginx]\n${workload}\ncost: { workload: true }`)).toMatch(message);
  });

  it('cost.workload accepts a native command build', () => {
    expect(
      parse('name: x\nworkload: { command: [./server, --port, "{port}"] }\ncost: { workload: true }').cost
        ?.workload,
    ).toBe(true);
  });

  it('the shipped dataplane-cost profile loads: nginx base vs head with a filter, gated at 2%', async () => {
    const profile = await loadProfile('profiles/dataplane-cost.yaml');
    expect(profile.cost).toMatchObject({ method: 'callgrind', batches: 5, requests: 1000 });
    expect(profile.gate.cost).toEqual({ maxIncrease: 0.02 });
    expect(profile.mesh[0].builds?.head.include).toMatch(/nginx-headers\.conf$/);
  });
});
