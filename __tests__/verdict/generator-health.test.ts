// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/verdict/decide.js';
import { generatorNotes } from '../../src/verdict/notes/generator-health.js';
import { around, makeResults } from '../__fixtures__/results.js';

const results = () =>
  makeResults({ variants: { 'base/none': { p99Ms: around(1, 6) }, 'head/none': { p99Ms: around(1, 6) } } });

describe('generator health notes', () => {
  it('says nothing about a clean run', () => {
    const clean = results();
    for (const trial of clean.variants.flatMap((v) => v.trials))
      trial.generatorHiccups = { count: 1, totalMs: 0.8, maxMs: 0.8, requests: 1 };
    expect(generatorNotes(clean)).toEqual([]);
  });

  it('flags trials with a long generator pause', () => {
    const run = results();
    run.variants[1].trials[2].generatorHiccups = { count: 1, totalMs: 38, maxMs: 38, requests: 1 };
    expect(generatorNotes(run)).toEqual([
      expect.stringMatching(/^head\/none: .*paused up to 38\.0 ms in 1 of 6 trials/),
    ]);
  });

  it('says a percentile is mostly the machine when pauses delayed as many requests as lie above it', () => {
    const run = results();
    // 2,000 requests per trial (fixture); 30 delayed in each: 1.5% ≥ 1% → p99.
    for (const trial of run.variants[0].trials)
      trial.generatorHiccups = { count: 2, totalMs: 4, maxMs: 2, requests: 30 };
    const notes = generatorNotes(run);
    // Pauses of 2 ms against p99 ≈ 1 ms: nearly every late send was late by half the p99 or more.
    expect(notes).toEqual([expect.stringMatching(/^base\/none: .*1\.4\d% .*p99 here is mostly the machine/)]);
  });

  it('does not blame the machine for many short pauses beside one long one', () => {
    const run = makeResults({
      variants: { 'base/none': { p99Ms: around(14, 6) }, 'head/none': { p99Ms: around(14, 6) } },
    });
    // 150 of 2,000 sends late (7.5%), by pauses of ~1 ms and one of 7.9 ms: at most 150 × 0.9/7.4
    // ≈ 18 sends (0.9%) could have been late by 7 ms, half the p99: the tail is the server's.
    for (const trial of run.variants[0].trials)
      trial.generatorHiccups = { count: 120, totalMs: 130, maxMs: 7.9, requests: 150 };
    expect(generatorNotes(run).filter((note) => /mostly the machine/.test(note))).toEqual([]);
    // As many sends late by pauses as long as the p99: the machine's tail.
    for (const trial of run.variants[0].trials)
      trial.generatorHiccups = { count: 10, totalMs: 140, maxMs: 14, requests: 150 };
    expect(generatorNotes(run)).toEqual([
      expect.stringMatching(/^base\/none: .*p99 here is mostly the machine/),
    ]);
  });

  it('does not blame the machine for a tail far longer than its pauses (a server that stalled)', () => {
    const run = makeResults({
      variants: { 'base/none': { p99Ms: around(300, 6) }, 'head/none': { p99Ms: around(300, 6) } },
    });
    // As measured with a server holding its answers 300 ms: 13 of 300 sends late by ≤ 4.2 ms.
    for (const trial of run.variants[0].trials)
      trial.generatorHiccups = { count: 12, totalMs: 17, maxMs: 4.2, requests: 90 };
    expect(generatorNotes(run).filter((note) => /mostly the machine/.test(note))).toEqual([]);
  });

  it('says when a gated percentile rests on few requests per trial', () => {
    const run = results();
    for (const trial of run.variants.flatMap((v) => v.trials)) trial.requests = 200; // p99: the 2 slowest
    expect(decide(run).notes).toContainEqual(
      expect.stringMatching(/^Each trial's p99 rests on its 2 slowest of ~200 requests/),
    );
    for (const trial of run.variants.flatMap((v) => v.trials)) trial.requests = 5000;
    expect(decide(run).notes.filter((n) => n.startsWith('Each trial'))).toEqual([]);
  });

  it('reports backpressure and reaches verdict.json', () => {
    const run = results();
    run.variants[1].trials[0].actualRps = 120;
    run.variants[1].trials[0].scheduleLagMs.p50 = 2500;
    expect(decide(run).notes).toContainEqual(
      expect.stringMatching(
        /head\/none: backpressure in 1 of 6 trials .*sent 120 of 200 rps, schedule lag p50 2500\.0 ms/,
      ),
    );
  });
});
