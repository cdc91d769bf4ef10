// test-group: browser
// requires: chromium
/**
 * The report in a real browser (Debian's chromium through playwright-core): no console errors, no
 * network requests, every plot with its number of series and its table, legend toggles, and
 * screenshots at desktop and phone widths into test-output/report/.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { renderHtmlReport } from '../../src/report/html/report.js';
import { decide } from '../../src/verdict/decide.js';
import { makeBigResults } from '../__fixtures__/big-results.js';

const OUT_DIR = resolve('test-output/report');

/** Series per plot for 2 builds × 3 meshes, meshes with resources, no errors. */
const EXPECTED_SERIES: Record<string, number> = {
  'change-build-head-none': 2,
  'change-build-head-istio': 2,
  'change-build-head-linkerd': 2,
  'change-overhead-head-istio': 1,
  'change-overhead-head-linkerd': 1,
  'percentiles-build-none': 2,
  'percentiles-build-istio': 2,
  'percentiles-build-linkerd': 2,
  'percentiles-overhead-head': 3,
  'trials-p50': 6,
  'trials-p90': 6,
  'trials-p99': 6,
  'trials-p999': 6,
  'trials-throughput': 6,
  'trials-cpu': 4,
  'trials-memory': 4,
  'timeline-latency': 12,
  'timeline-throughput': 6,
  'resources-cpu': 4,
  'resources-memory': 4,
};

let browser: Browser;
let url: string;

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  const results = makeBigResults();
  const file = resolve(OUT_DIR, 'report.html');
  writeFileSync(file, renderHtmlReport(results, decide(results)));
  url = pathToFileURL(file).href;
  browser = await launchChromium(['--disable-quic', '--disable-component-update', '--disable-sync']);
});

afterAll(async () => {
  await browser?.close();
});

async function open(
  width: number,
  height: number,
  scale = 1,
): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, requests };
}

describe('HTML report in Chromium', () => {
  test('desktop: no console errors or requests, every plot with its series and table', async () => {
    const { page, problems, requests } = await open(1280, 900);
    const counts = await page.$$eval('svg[data-plot]', (svgs) =>
      Object.fromEntries(
        svgs.map((svg) => [svg.getAttribute('data-plot'), svg.querySelectorAll('[data-series]').length]),
      ),
    );
    expect(counts).toEqual(EXPECTED_SERIES);
    const figuresWithoutTable = await page.$$eval(
      'figure.plot',
      (figures) => figures.filter((f) => !f.querySelector('details table')).length,
    );
    expect(figuresWithoutTable).toBe(0);
    expect(await page.locator('.headline .badge').textContent()).toMatch(/Pass|Regression|Inconclusive/);
    // Every plot is drawn: its series have a visible size.
    const empty = await page.$$eval('svg[data-plot] [data-series]', (groups) =>
      groups
        .filter((g) => (g as SVGGElement).getBBox().width === 0)
        .map((g) => g.getAttribute('data-series')),
    );
    expect(empty).toEqual([]);
    await page.screenshot({ path: resolve(OUT_DIR, 'desktop.png'), fullPage: true });
    await page
      .locator('#plot-timeline-latency')
      .screenshot({ path: resolve(OUT_DIR, 'desktop-timeline.png') });
    await page
      .locator('#plot-percentiles-overhead-head')
      .screenshot({ path: resolve(OUT_DIR, 'desktop-percentiles.png') });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  test('a legend entry hides and shows its variant', async () => {
    const { page } = await open(1280, 900);
    const figure = page.locator('#plot-timeline-latency');
    const button = figure.locator('button[data-toggle="head/istio"]');
    await button.click();
    expect(await figure.locator('[data-group="head/istio"].off').count()).toBe(2);
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await button.click();
    expect(await figure.locator('.off').count()).toBe(0);
    await page.close();
  });

  test('phone (400 px): nothing scrolls sideways, not the page, a plot or a table; screenshots', async () => {
    const { page, problems } = await open(400, 844, 2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Open every folded table too: what a reader unfolds must fit as well.
    await page.evaluate(() =>
      document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')),
    );
    const scrolling = await page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((el) => el.tagName !== 'PRE' && (el as HTMLElement).offsetParent !== null)
        .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        .map(
          (el) =>
            `${el.tagName}.${el.className} in #${el.closest('figure,section')?.id}: ${el.scrollWidth} > ${el.clientWidth}`,
        ),
    );
    expect(scrolling).toEqual([]);
    await page.evaluate(() =>
      document.querySelectorAll('details.data').forEach((d) => d.removeAttribute('open')),
    );
    await page.screenshot({ path: resolve(OUT_DIR, 'phone.png'), fullPage: true });
    await page
      .locator('#plot-percentiles-build-istio')
      .screenshot({ path: resolve(OUT_DIR, 'phone-percentiles.png') });
    await page
      .locator('#plot-change-build-head-istio')
      .screenshot({ path: resolve(OUT_DIR, 'phone-change.png') });
    await page.locator('#plot-timeline-latency').screenshot({ path: resolve(OUT_DIR, 'phone-timeline.png') });
    await page.locator('#plot-trials-p99').screenshot({ path: resolve(OUT_DIR, 'phone-trials.png') });
    await page.locator('#verdict').screenshot({ path: resolve(OUT_DIR, 'phone-verdict.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
