// test-group: browser
// requires: chromium
/**
 * The five golden comments as GitHub shows them: rendered with GFM's rules and GitHub's markdown
 * stylesheet (helpers/gfm.ts) in headless Chromium at 760 px, the width of a PR comment. No
 * horizontal overflow (neither the page nor any table scrolls sideways), and each row's status is
 * in the first two columns and on screen. Screenshots (closed and with every <details> open) go to
 * test-output/comments/ for people to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { commentPage } from '../../helpers/gfm.js';

const OUT_DIR = resolve('test-output/comments');
const NAMES = [
  'regression',
  'pass',
  'inconclusive',
  'cross-job',
  'capacity',
  'cost',
  // Every kind of run's comment from the surfaces goldens (__tests__/report/surfaces.test.ts).
  'surfaces/latency',
  'surfaces/data-plane',
  'surfaces/capacity',
  'surfaces/import',
];
const goldenFile = (name: string) =>
  name.startsWith('surfaces/') ? `${name}.comment.md` : `comment-${name}.md`;
const STATUS =
  /^(✅ pass|❌ regression|❔ too noisy to judge|❔ likely regression, not yet shown|🚀 improvement|ℹ️ report only)$/u;
const WIDTH = 760;

let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Layout {
  pageWidth: number;
  overflowingTables: string[];
  /** Text blocks (the chart of what decided) wider than the column: GitHub would scroll them. */
  overflowingText: string[];
  statusTables: Array<{ firstHeaders: string[]; statuses: string[]; rightmostStatusPx: number }>;
}

describe.each(NAMES)('the %s comment at 760 px', (name) => {
  it('has no horizontal overflow and the status in the first two columns', async () => {
    const markdown = readFileSync(resolve('__tests__/__outputs__', goldenFile(name)), 'utf8');
    const shot = name.replace('/', '-');
    const file = resolve(OUT_DIR, `comment-${shot}.html`);
    writeFileSync(file, commentPage(markdown));
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const measure = () =>
      page.evaluate((): Layout => {
        const tables = [...document.querySelectorAll('table')].filter((t) => t.offsetParent !== null);
        return {
          pageWidth: document.documentElement.scrollWidth,
          overflowingTables: tables
            .filter((t) => t.scrollWidth > t.clientWidth + 1)
            .map((t) => `${t.querySelector('tr')?.textContent ?? ''}: ${t.scrollWidth} > ${t.clientWidth}`),
          overflowingText: [...document.querySelectorAll('pre')]
            .filter((pre) => pre.getAttribute('lang') === 'text' && pre.scrollWidth > pre.clientWidth + 1)
            .map((pre) => `${pre.textContent?.slice(0, 40)}: ${pre.scrollWidth} > ${pre.clientWidth}`),
          statusTables: tables
            .filter((t) => t.querySelector('th')?.textContent === 'status')
            .map((t) => {
              const first = [...t.querySelectorAll('tbody tr td:first-child')] as HTMLElement[];
              return {
                firstHeaders: [...t.querySelectorAll('th')].slice(0, 2).map((th) => th.textContent ?? ''),
                statuses: first.map((td) => td.textContent ?? ''),
                rightmostStatusPx: Math.max(...first.map((td) => td.getBoundingClientRect().right)),
              };
            }),
        };
      });
    const closed = await measure();
    await page.screenshot({ path: resolve(OUT_DIR, `comment-${shot}.png`), fullPage: true });
    expect(closed.pageWidth).toBeLessThanOrEqual(WIDTH);
    expect(closed.overflowingTables).toEqual([]);
    expect(closed.overflowingText).toEqual([]);
    expect(closed.statusTables.length).toBeGreaterThan(0);
    for (const table of closed.statusTables) {
      // The capacity table names the comparison in its second column (its metric is one).
      expect([
        ['status', 'metric'],
        ['status', 'comparison'],
      ]).toContainEqual(table.firstHeaders);
      for (const status of table.statuses) expect(status).toMatch(STATUS);
      expect(table.rightmostStatusPx).toBeLessThanOrEqual(WIDTH);
    }

    await page.evaluate(() =>
      document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')),
    );
    const open = await measure();
    await page.screenshot({ path: resolve(OUT_DIR, `comment-${shot}-open.png`), fullPage: true });
    expect(open.pageWidth).toBeLessThanOrEqual(WIDTH);
    expect(open.overflowingTables).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('the overflow check itself', () => {
  it('catches the old nine-column layout at 760 px', async () => {
    const row =
      '| p99 | head/nginx vs head/none | 5.82 ms | 5.23 ms | +6.3% | −45.0% … +106.0% | 3.1% / 2.9% | +10%, ≥ 0.5 ms | ⚠️ inconclusive |';
    const markdown = [
      '| metric | variant | baseline | current | change | CI (97.8%) | noise (CV) | threshold | status |',
      '|---|---|--:|--:|--:|--:|--:|---|---|',
      row,
      row,
    ].join('\n');
    const file = resolve(OUT_DIR, 'nine-columns.html');
    writeFileSync(file, commentPage(markdown));
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 400 } });
    await page.goto(pathToFileURL(file).href);
    const overflow = await page.evaluate(() => {
      const table = document.querySelector('table')!;
      return table.scrollWidth - table.clientWidth;
    });
    await page.close();
    expect(overflow).toBeGreaterThan(0);
  });
});
