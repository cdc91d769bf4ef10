/**
 * Reads one Callgrind dump (callgrind.out.<pid>.<n>, the "callgrind format" of the Valgrind
 * manual): the `totals:` line and each function's self cost in Ir (instructions executed).
 * Names are compressed: the first `fn=(12) name` defines id 12, later lines say `fn=(12)`; ids are
 * shared by fn= and cfn=, so a name may first appear on a cfn= line. The cost line right after a
 * `calls=` line is the callee's inclusive cost, charged to the call, not the caller's self cost.
 */
import { readFile } from 'node:fs/promises';
import { SetupError } from '../../../errors.js';

export interface CallgrindDump {
  /** Instructions (Ir) of the dump's whole window. */
  totals: number;
  /** Self instructions per function name. */
  selfByFunction: Map<string, number>;
  /** Calls into each function during the window (from `calls=` lines), by callee name. */
  callsByFunction: Map<string, number>;
}

/** `(12) name` → id 12 named `name`; `(12)` → the name given before; `name` → itself. */
function compressedName(value: string, names: Map<string, string>): string {
  const match = /^\((\d+)\)(?:\s+(.*))?$/.exec(value);
  if (!match) return value;
  if (match[2] !== undefined) {
    names.set(match[1], match[2]);
    return match[2];
  }
  return names.get(match[1]) ?? `(${match[1]})`;
}

/** An address without a symbol (a stripped function) says which object it is in: libpcre2-8.so.0:0x52c70. */
function withObject(name: string, object: string): string {
  const address = /^0x0*([0-9a-f]+)$/i.exec(name);
  if (!address) return name;
  return `${object.split('/').pop() || '?'}:0x${address[1]}`;
}

export function parseCallgrind(text: string, file = 'callgrind output'): CallgrindDump {
  const fnNames = new Map<string, string>();
  const obNames = new Map<string, string>();
  let object = '';
  const selfByFunction = new Map<string, number>();
  const callsByFunction = new Map<string, number>();
  let callee = '';
  let positions = 1;
  let irIndex = 0;
  let totals: number | undefined;
  let summary: number | undefined;
  let current: string | undefined;
  let callCostNext = false;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    const first = line.charCodeAt(0);
    // Cost lines start with a position: a digit, +, -, * (or 0x for instruction addresses).
    if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 42) {
      if (callCostNext) {
        callCostNext = false;
        continue;
      }
      if (current === undefined) continue;
      const fields = line.split(/\s+/);
      const value = Number(fields[positions + irIndex] ?? 0);
      if (Number.isFinite(value) && value > 0)
        selfByFunction.set(current, (selfByFunction.get(current) ?? 0) + value);
      continue;
    }
    const eq = line.indexOf('=');
    const colon = line.indexOf(':');
    if (eq > 0 && (colon < 0 || eq < colon)) {
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1).trim();
      if (key === 'ob') object = compressedName(value, obNames);
      else if (key === 'cob') compressedName(value, obNames);
      else if (key === 'fn') current = withObject(compressedName(value, fnNames), object);
      else if (key === 'cfn') callee = compressedName(value, fnNames);
      else if (key === 'calls') {
        callCostNext = true;
        const calls = Number(value.split(/\s+/)[0]);
        if (callee && Number.isFinite(calls))
          callsByFunction.set(callee, (callsByFunction.get(callee) ?? 0) + calls);
      }
      continue;
    }
    if (colon > 0) {
      const key = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      if (key === 'positions') positions = value.split(/\s+/).length;
      else if (key === 'events') irIndex = Math.max(0, value.split(/\s+/).indexOf('Ir'));
      else if (key === 'totals') totals = Number(value.split(/\s+/)[irIndex]);
      else if (key === 'summary') summary = Number(value.split(/\s+/)[irIndex]);
    }
  }
  const total = totals ?? summary;
  if (total === undefined || !Number.isFinite(total))
    throw new SetupError(`${file}: no totals: or summary: line; not a complete Callgrind dump`);
  return { totals: total, selfByFunction, callsByFunction };
}

export async function readCallgrind(path: string): Promise<CallgrindDump> {
  return parseCallgrind(await readFile(path, 'utf8'), path);
}
