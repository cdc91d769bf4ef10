// test-group: browser
// requires: chromium
/**
 * Issue #34, item 10: at 1280 px no verdict table is wider than its container (the gzip run's
 * table was 1,266 px in 1,140 and cut its reason), with data-plane variant names as long as real
 * ones and the reasons the gate writes. Screenshots into test-output/report/.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { renderHtmlReport } from '../../src/report/html/report.js';
import type { Results } from '../../src/results/schema.js';
import { decide } from '../../src/verdict/decide.js';
import { makeBigResults } from '../__fixtures__/big-results.js';

const OUT_DIR = resolve('test-output/report');

/** The big fixture with variant ids as long as a gzip data plane's build names. */
function longNames(): Results {
  const results = makeBigResults();
  const rename = (id: string) =>
    id.replace('istio', 'nginx-gzip-compression-level-6').replace('linkerd', 'haproxy-with-lua-filters');
  const text = JSON.stringify(results).replace(/"(base|head)\/(istio|linkerd)"/g, (m) => rename(m));
  return JSON.parse(text) as Results;
}

let browser: Browser;
let url: string;

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  const results = longNames();
  const file = resolve(OUT_DIR, 'report-long-names.html');
  writeFileSync(file, renderHtmlReport(results, decide(results)));
  url = pathToFileURL(file).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the verdict table at 1280 px', () => {
  test('is no wider than its container: long names and reasons wrap', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(() =>
      document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')),
    );
    const widths = await page.$$eval('table.checks', (tables) =>
      tables.map((table) => ({
        table: (table as HTMLElement).offsetWidth,
        box: (table.parentElement as HTMLElement).clientWidth,
      })),
    );
    await page.locator('#verdict').screenshot({ path: resolve(OUT_DIR, 'desktop-verdict-long-names.png') });
    expect(widths.length).toBeGreaterThan(0);
    for (const { table, box } of widths) expect(table).toBeLessThanOrEqual(box);
    await page.close();
  }, 60_000);

  test('at 400 px every plot label is at least 11 px, the timeline too (issue #34: ~7 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(url, { waitUntil: 'load' });
    const small = await page.$$eval('svg[data-plot] text', (texts) =>
      texts
        .filter((t) => getComputedStyle(t).display !== 'none' && (t.textContent ?? '').trim() !== '')
        .map((t) => {
          const svg = (t as SVGTextElement).ownerSVGElement!;
          const px = parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM()!.a;
          return { plot: svg.getAttribute('data-plot'), text: t.textContent, px };
        })
        .filter((label) => label.px < 11),
    );
    await page
      .locator('#plot-timeline-latency')
      .screenshot({ path: resolve(OUT_DIR, 'phone-timeline-labels.png') });
    expect(small).toEqual([]);
    // The axis titles a phone hides in the wide plots are said under them.
    expect(await page.locator('#plot-timeline-latency p.axes').isVisible()).toBe(true);
    await page.close();
  }, 60_000);
});

/** What a 1280 px and a 400 px reader of each kind of run's report (the surfaces goldens) would see. */
describe.each(['latency', 'data-plane', 'capacity', 'import'])('the %s report', (kind) => {
  test('at 1280 px no verdict table overflows; at 400 px nothing scrolls sideways and labels are ≥ 11 px', async () => {
    const file = resolve(OUT_DIR, `surface-${kind}.html`);
    writeFileSync(
      file,
      readFileSync(resolve('__tests__/__outputs__/surfaces', `${kind}.report.html`), 'utf8'),
    );
    for (const width of [1280, 400]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.evaluate(() =>
        document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')),
      );
      await page.screenshot({ path: resolve(OUT_DIR, `surface-${kind}-${width}.png`), fullPage: true });
      const problems = await page.evaluate((narrow) => {
        const found: string[] = [];
        for (const table of document.querySelectorAll('table.checks'))
          if ((table as HTMLElement).offsetWidth > (table.parentElement as HTMLElement).clientWidth)
            found.push(
              `table ${(table as HTMLElement).offsetWidth} > ${(table.parentElement as HTMLElement).clientWidth}`,
            );
        if (document.documentElement.scrollWidth > window.innerWidth) found.push('page scrolls sideways');
        if (narrow)
          for (const t of document.querySelectorAll('svg[data-plot] text')) {
            if (getComputedStyle(t).display === 'none' || !(t.textContent ?? '').trim()) continue;
            const svg = (t as SVGTextElement).ownerSVGElement!;
            const px = parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM()!.a;
            if (px < 11)
              found.push(`${svg.getAttribute('data-plot')}: "${t.textContent}" at ${px.toFixed(1)} px`);
          }
        return found;
      }, width === 400);
      expect(problems).toEqual([]);
      await page.close();
    }
  }, 60_000);
});
