/**
 * The gate, shared by the CLI's `check`/`demo`/`report` and the action: results (and an optional
 * baseline from another job) → verdict at the results' look (verdict/) and its terminal text
 * (report/text.ts). The comment is report/comment/comment.ts's, rendered by each door with the same facts.
 * This file sits with the doors' helpers: it joins judging to text, so nothing below it imports it.
 */
import { renderVerdictText } from './report/text.js';
import type { Results } from './results/schema.js';
import { decide } from './verdict/decide.js';
import { lookOf } from './verdict/looks.js';
import type { Verdict } from './verdict/schema.js';

export interface Judgement {
  verdict: Verdict;
  text: string;
}

export interface JudgeOptions {
  baseline?: Results;
}

export function judge(results: Results, options: JudgeOptions = {}): Judgement {
  const verdict = decide(results, { baseline: options.baseline, ...lookOf(results) });
  return {
    verdict,
    text: renderVerdictText(verdict),
  };
}
