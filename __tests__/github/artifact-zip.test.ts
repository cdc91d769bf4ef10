// test-group: unit
// An artifact's zip read within bounds: real archives crafted byte by byte (helpers/hostile-zips.ts),
// each hostile one refused before anything is inflated beyond its declared size, with a message
// naming the entry and the bound; valid ones (stored, deflated, with data descriptors) read back.
import { beforeAll, describe, expect, it, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readZipWithin, unsafeEntryName, type ZipLimits } from '../../src/github/artifact-zip.js';
import { ARTIFACT_LIMITS } from '../../src/github/artifacts.js';
import { craftZip, deflateBomb, overlappingZip, type CraftedEntry } from '../helpers/hostile-zips.js';

const MiB = 1024 * 1024;
const WANTED = ['handoff.json', 'results.json'];
const read = (zip: Buffer, limits: ZipLimits = ARTIFACT_LIMITS) => readZipWithin(zip, WANTED, limits, 'zip of artifact x');
const json = Buffer.from('{"schema":"meshgate/results@1"}');

describe('valid archives', () => {
  it('reads stored and deflated entries, with and without data descriptors, only those wanted', () => {
    const other = randomBytes(1000);
    const zip = craftZip([
      { name: 'handoff.json', data: json },
      { name: 'results.json', data: Buffer.from('x'.repeat(100_000)), deflate: true, flags: 0x8 },
      { name: 'report/', data: Buffer.alloc(0) },
      { name: 'report/index.html', data: other, deflate: true },
    ]);
    const files = read(zip);
    expect([...files.keys()].sort()).toEqual(WANTED);
    expect(files.get('handoff.json')).toEqual(json);
    expect(files.get('results.json')!.toString()).toBe('x'.repeat(100_000));
  });

  it('a wanted file that is absent is simply missing', () => {
    expect(read(craftZip([{ name: 'results.json', data: json }])).has('handoff.json')).toBe(false);
  });
});

describe('hostile archives', () => {
  let bomb: Buffer; // 1 GiB of zeros, about 1 MB deflated
  beforeAll(async () => {
    bomb = await deflateBomb(1024 * MiB);
  }, 60_000);

  const cases: Array<[string, () => Buffer, RegExp]> = [
    ['a deflate bomb declaring 1 KiB', () => craftZip([{ name: 'results.json', compressed: bomb, declaredBytes: 1024, crc: 0 }]), /entry "results\.json": inflates past its declared 1024 bytes/],
    ['a deflate bomb declaring its 1 GiB', () => craftZip([{ name: 'results.json', compressed: bomb, declaredBytes: 1024 * MiB, crc: 0 }]), /entry "results\.json": declares 1073741824 bytes, more than 67108864/],
    ['entries declaring more than the total', () => craftZip(['a', 'b', 'c'].map((n): CraftedEntry => ({ name: `${n}.json`, compressed: bomb, declaredBytes: 60 * MiB, crc: 0 }))), /entries declare more than 135266304 bytes together \(at entry "c\.json"\)/],
    ['10,000 entries', () => craftZip(Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}` }))), /10000 entries, more than 32/],
    ['a directory claiming 65,535 entries', () => craftZip([{ name: 'results.json', data: json }], { declaredCount: 0xffff }), /65535 entries, more than 32/],
    ['"../" in a name', () => craftZip([{ name: '../../home/runner/.bashrc', data: json }]), /entry "\.\.\/\.\.\/home\/runner\/\.bashrc": a path outside the artifact/],
    ['".." inside a name', () => craftZip([{ name: 'a/../../results.json', data: json }]), /a path outside the artifact/],
    ['an absolute name', () => craftZip([{ name: '/etc/cron.d/x', data: json }]), /entry "\/etc\/cron\.d\/x": an absolute path/],
    ['a drive letter', () => craftZip([{ name: 'C:results.json', data: json }]), /an absolute path/],
    ['backslashes', () => craftZip([{ name: '..\\..\\results.json', data: json }]), /a backslash in the name/],
    ['a NUL in a name', () => craftZip([{ name: 'results.json\u0000.txt', data: json }]), /a control character in the name/],
    ['a 300-character name', () => craftZip([{ name: 'x'.repeat(300), data: json }]), /an empty or overlong name/],
    ['a symbolic link', () => craftZip([{ name: 'results.json', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 }]), /entry "results\.json": a symbolic link/],
    ['the same name twice', () => craftZip([{ name: 'results.json', data: json }, { name: 'results.json', data: json }]), /a second entry of that name/],
    ['overlapping entries', overlappingZip, /entry "handoff\.json": overlaps another entry/],
    ['an encrypted entry', () => craftZip([{ name: 'results.json', data: json, flags: 0x1 }]), /entry "results\.json": encrypted/],
    ['bzip2', () => craftZip([{ name: 'results.json', data: json, method: 12 }]), /compression method 12/],
    ['ZIP64 sizes', () => craftZip([{ name: 'results.json', data: json, declaredBytes: 0xffffffff, declaredCompressedBytes: 0xffffffff }]), /ZIP64 sizes/],
    ['a ZIP64 locator', () => craftZip([{ name: 'results.json', data: json }], { zip64Locator: true }), /a ZIP64 archive/],
    ['a stored entry with two sizes', () => craftZip([{ name: 'results.json', data: json, declaredBytes: 10 }]), /stored, yet 31 bytes compressed for 10/],
    ['an entry inflating short of its size', () => craftZip([{ name: 'results.json', data: json, deflate: true, declaredBytes: 1000 }]), /inflates to 31 bytes, not its declared 1000/],
    ['a wrong CRC', () => craftZip([{ name: 'results.json', data: json, crc: 1234 }]), /its CRC-32 does not match/],
    ['a broken deflate stream', () => craftZip([{ name: 'results.json', compressed: randomBytes(64), declaredBytes: 10 }]), /not a valid deflate stream|inflates/],
    ['data past the directory', () => craftZip([{ name: 'results.json', data: json, deflate: true, declaredCompressedBytes: 31_000 }]), /entry "results\.json": its data runs past the archive's entries/],
    ['random bytes', () => randomBytes(4096), /not a zip archive/],
    ['an empty file', () => Buffer.alloc(0), /not a zip archive \(too short\)/],
    ['a truncated archive', () => craftZip([{ name: 'results.json', data: json }]).subarray(0, 60), /not a zip archive/],
  ];

  test.each(cases)('%s: refused, naming the entry and the bound, in bounded time', (_name, make, expected) => {
    const zip = make();
    const started = performance.now();
    let message = '';
    try {
      read(zip);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^zip of artifact x: /);
    expect(message).toMatch(expected);
    expect(message.split('\n')).toHaveLength(1);
    // Nothing was inflated past a declared size: inflating the 1 GiB bomb takes seconds.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('a bomb in an entry that is not wanted is never inflated', () => {
    const zip = craftZip([{ name: 'handoff.json', data: json }, { name: 'other.bin', compressed: bomb, declaredBytes: 1024, crc: 0 }]);
    expect([...read(zip).keys()]).toEqual(['handoff.json']);
  });

  it('the limits are the ones passed', () => {
    const zip = craftZip([{ name: 'handoff.json', data: json }, { name: 'results.json', data: json }]);
    expect(() => read(zip, { entries: 1, entryBytes: 100, totalBytes: 100 })).toThrow('2 entries, more than 1');
    expect(() => read(zip, { entries: 2, entryBytes: 30, totalBytes: 100 })).toThrow('declares 31 bytes, more than 30');
    expect(() => read(zip, { entries: 2, entryBytes: 31, totalBytes: 61 })).toThrow('more than 61 bytes together');
  });
});

test.each<[string, string | undefined]>([
  ['results.json', undefined],
  ['report/index.html', undefined],
  ['dir/', undefined],
  ['', 'an empty or overlong name'],
  ['a//b', 'an empty or "." path segment'],
  ['./a', 'an empty or "." path segment'],
  ['..', 'a path outside the artifact'],
])('entry name %j: %s', (name, problem) => {
  expect(unsafeEntryName(name)).toBe(problem);
});
