// test-group: browser
// requires: chromium
/**
 * The history dashboard in a real browser (Debian's chromium through playwright-core), from 40
 * records with a step in the mesh overhead at run 25: no console errors and no request but the
 * page, one panel per series and metric with every point drawn, the step marked at its commit,
 * every link a commit or run page of the repository, nothing scrolling sideways at 400 px.
 * Screenshots at 1280 and 400 px into /tmp/meshgate-dashboard/.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { buildRecord } from '../../src/history/build-record.js';
import { renderDashboard } from '../../src/history/dashboard/page.js';
import { recordPath } from '../../src/history/branch-store.js';
import { fakeVerdict } from '../action/fixtures.js';
import { commitOf, factsOf, runResults } from './fixture-history.js';

const OUT_DIR = '/tmp/meshgate-dashboard';

let browser: Browser;
let url: string;

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  const records = Array.from({ length: 40 }, (_, i) => {
    const record = buildRecord(
      runResults(i, { stepAt: 24 }),
      fakeVerdict(i === 24 ? 'regression' : 'pass'),
      factsOf(i),
    );
    return { file: recordPath(record), record };
  });
  const file = join(OUT_DIR, 'history.html');
  writeFileSync(
    file,
    renderDashboard(records, {
      profile: 'fixture',
      source: 'branch meshgate-history',
      skipped: ['fixture/<img src=x>.json: not valid JSON'],
    }),
  );
  url = pathToFileURL(file).href;
  browser = await launchChromium(['--disable-component-update', '--disable-sync']);
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
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, requests };
}

describe('history dashboard in Chromium', () => {
  test('1280 px: a panel per series and metric, every point drawn, the step marked at its commit', async () => {
    const { page, problems, requests } = await open(1280, 900);
    const points = await page.$$eval('svg[data-plot]', (svgs) =>
      Object.fromEntries(
        svgs.map((svg) => [svg.getAttribute('data-plot'), svg.querySelectorAll('[data-point]').length]),
      ),
    );
    expect(points).toEqual({
      'head-none-p99': 40,
      'head-nginx-p99': 40,
      'head-none-p50': 40,
      'head-nginx-p50': 40,
    });
    const steps = await page.$$eval('svg[data-plot="head-nginx-p99"] g.step', (gs) =>
      gs.map((g) => [g.getAttribute('data-step'), g.textContent]),
    );
    expect(steps).toEqual([
      ['24', expect.stringMatching(new RegExp(`^${commitOf(24).slice(0, 7)} \\+1\\d\\.\\d%$`))],
    ]);
    // Each point is drawn inside the frame and has a size.
    const outside = await page.$$eval(
      'svg[data-plot] circle',
      (circles) =>
        circles.filter((c) => {
          const box = (c as SVGCircleElement).getBBox();
          return box.width === 0 || box.x < 60;
        }).length,
    );
    expect(outside).toBe(0);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')!));
    const foreign = hrefs.filter(
      (h) =>
        !/^(#metric-p\d+|https:\/\/github\.com\/octo-org\/widgets\/(commit\/[0-9a-f]{40}|actions\/runs\/\d+))$/.test(
          h,
        ),
    );
    expect(foreign).toEqual([]);
    expect(hrefs).toContain(`https://github.com/octo-org/widgets/commit/${commitOf(24)}`);
    expect(hrefs).toContain('https://github.com/octo-org/widgets/actions/runs/9024');
    expect(await page.locator('ul.skipped li').textContent()).toBe(
      'fixture/<img src=x>.json: not valid JSON',
    );
    await page.screenshot({ path: join(OUT_DIR, 'desktop.png'), fullPage: true });
    await page.locator('#plot-head-nginx-p99').screenshot({ path: join(OUT_DIR, 'desktop-nginx-p99.png') });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  test('400 px: nothing scrolls sideways but the tables inside their own box; screenshots', async () => {
    const { page, problems } = await open(400, 844, 2);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    const wide = await page.$$eval(
      'svg[data-plot]',
      (svgs) => svgs.filter((s) => s.getBoundingClientRect().right > window.innerWidth).length,
    );
    expect(wide).toBe(0);
    await page.screenshot({ path: join(OUT_DIR, 'phone.png'), fullPage: true });
    await page.locator('#plot-head-nginx-p99').screenshot({ path: join(OUT_DIR, 'phone-nginx-p99.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
