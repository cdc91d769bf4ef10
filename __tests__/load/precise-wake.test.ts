import { afterEach, describe, expect, test } from '@jest/globals';
import { PreciseWake } from '../../src/load/precise-wake.js';

const wakes: PreciseWake[] = [];
afterEach(() => {
  for (const wake of wakes.splice(0)) wake.close();
});

const started = (onWake?: () => void): PreciseWake => {
  const wake = new PreciseWake(onWake);
  wakes.push(wake);
  return wake;
};

/** Resolves with performance.now() at the next wake delivered to `wake`'s current handler. */
const nextWake = (wake: PreciseWake): Promise<number> =>
  new Promise((resolve) => wake.handle(() => resolve(performance.now())));

describe('PreciseWake', () => {
  test('ready settles once the helper runs; a wake asked for then is not early', async () => {
    const wake = started();
    await wake.ready;
    const woke = nextWake(wake);
    const asked = performance.now() + 5;
    wake.at(asked);
    expect(await woke).toBeGreaterThanOrEqual(asked - 0.01);
  });

  test('a wake asked for before the helper runs still comes', async () => {
    const wake = started();
    const woke = nextWake(wake);
    const asked = performance.now() + 1;
    wake.at(asked);
    expect(await woke).toBeGreaterThanOrEqual(asked - 0.01);
  });

  test('one helper serves run after run: handle() moves the wakes, the old handler hears none', async () => {
    const heard: string[] = [];
    const wake = started(() => heard.push('first run'));
    await wake.ready;
    wake.at(performance.now() + 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    wake.cancel();
    const woke = nextWake(wake);
    wake.at(performance.now() + 1);
    await woke;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(heard).toEqual(['first run']);
  });

  test('a cancelled wake never reaches the handler', async () => {
    let heard = 0;
    const wake = started(() => heard++);
    await wake.ready;
    wake.at(performance.now() + 5);
    wake.cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(heard).toBe(0);
  });
});
