/**
 * Reading Callgrind dumps: name compression (`fn=(id) name` once, `fn=(id)` after; cfn= shares
 * the ids), the inclusive cost after a `calls=` line kept out of the caller's self cost, two
 * position columns and Ir not the first event, stripped functions named by their object; and
 * perf's CSV, where `<not supported>` is no count.
 */
import { describe, expect, it } from '@jest/globals';
import { parseCallgrind } from '../../../../src/platform/local/cost/callgrind-file.js';
import { parsePerfCount } from '../../../../src/platform/perf-probe.js';

const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
positions: instr line
events: Dr Ir

summary: 0 460
ob=(1) /usr/sbin/nginx
fl=(1) src/http/ngx_http_request.c
fn=(1) ngx_http_process_request
0x10 120 5 100
+4 +1 1 20
cfn=(2) ngx_http_handler
calls=3 0x40 300
* * 9 250
fn=(2)
0x40 300 0 200
ob=(2) /usr/lib/x86_64-linux-gnu/libpcre2-8.so.0
fl=(2) ???
fn=(3) 0x0000000000052c70
0x52c70 0 3 90
ob=(1)
fn=(1)
+2 +1 0 50

totals: 0 460
`;

describe('parseCallgrind', () => {
  const dump = parseCallgrind(DUMP);

  it('sums self cost per function in Ir, leaving the call cost to the callee', () => {
    expect(Object.fromEntries(dump.selfByFunction)).toEqual({
      ngx_http_process_request: 170,
      ngx_http_handler: 200,
      'libpcre2-8.so.0:0x52c70': 90,
    });
    expect(dump.totals).toBe(460);
    expect([...dump.selfByFunction.values()].reduce((a, b) => a + b, 0)).toBe(dump.totals);
  });

  it('counts calls per callee, through compressed names', () => {
    expect(dump.callsByFunction.get('ngx_http_handler')).toBe(3);
  });

  it('refuses a dump without totals (a file cut short)', () => {
    expect(() =>
      parseCallgrind(
        DUMP.split('\n')
          .slice(0, 12)
          .join('\n')
          .replace(/summary:.*\n/, ''),
        'x.out',
      ),
    ).toThrow(/x\.out: no totals: or summary: line/);
  });
});

describe('parsePerfCount', () => {
  it('reads a count, and refuses <not supported> and <not counted>', () => {
    expect(parsePerfCount('123456,,instructions:u,1000,100.00,,\n')).toEqual({ count: 123456 });
    expect(parsePerfCount('<not supported>,,instructions:u,0,100.00,,\n')).toEqual({
      problem: 'perf reports <not supported> for instructions:u',
    });
    expect(parsePerfCount('<not counted>,,instructions:u,0,0.00,,\n')).toMatchObject({
      problem: expect.stringMatching(/not counted/),
    });
    expect(parsePerfCount('')).toMatchObject({ problem: 'perf printed no instructions:u line' });
  });
});
