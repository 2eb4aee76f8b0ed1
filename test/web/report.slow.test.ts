import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { cleanupTempDirs, datasetsDir, tempDir } from '../helpers.js';
import { sts } from '../cli/run-cli.js';
import { launchBrowser, screenshotPath } from './browser.js';

/**
 * `sts eval --report` on a sample of CLINC150 (in-scope and out-of-scope rows), opened in
 * headless Chromium: the four pictures are drawn, have their parts, and fit light and dark mode.
 */

let browser: BrowserContext;
let page: Page;
let report: string;

beforeAll(async () => {
  const dir = tempDir('sts-report-web-');
  const data = path.join(datasetsDir(), 'clinc150');
  const sample = fs.readFileSync(path.join(data, 'test.jsonl'), 'utf8').trim().split('\n').filter((_, k) => k % 10 === 0);
  fs.writeFileSync(path.join(dir, 'test.jsonl'), sample.join('\n') + '\n');
  expect((await sts(['train', path.join(data, 'train-10shot.jsonl'), '--out', 'clinc.model.json'], { cwd: dir })).code).toBe(0);
  const r = await sts(['eval', '-m', 'clinc.model.json', 'test.jsonl', '--report', 'report'], { cwd: dir });
  expect(r.code).toBe(0);
  report = path.join(dir, 'report/index.html');
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`file://${report}`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  cleanupTempDirs();
});

test.each([
  ['confusion', 'rect.cell', 30 * 30],
  ['histogram', 'rect.bar.in', 5],
  ['f1', 'rect.bar.f1', 100],
  ['curve', 'polyline.curve', 2],
])('the %s picture is drawn, with its parts', async (id, part, atLeast) => {
  const box = await page.locator(`#${id} svg`).boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThan(150);
  expect(await page.locator(`#${id} svg ${part}`).count()).toBeGreaterThanOrEqual(atLeast);
});

test('the histogram and the curve show the threshold line', async () => {
  for (const id of ['histogram', 'curve']) {
    expect(await page.locator(`#${id} .threshold-label`).textContent()).toBe('threshold 0.2');
  }
});

test('the tables list every intent and the misclassified rows', async () => {
  expect(await page.locator('section:has(#intents-h) tbody tr').count()).toBeGreaterThanOrEqual(150);
  expect(await page.locator('#misclassified tbody tr').count()).toBeGreaterThan(0);
});

test('reads well in light and dark mode', async () => {
  // A string, so that the test type-checks without the DOM's types.
  const colours = async () => page.evaluate<string[]>(`[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('#f1 rect.bar')).fill]`);
  await page.screenshot({ path: screenshotPath('report-light.png'), fullPage: true });
  const light = await colours();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('report-dark.png'), fullPage: true });
  const dark = await colours();
  expect(dark[0]).not.toBe(light[0]);
  expect(dark[1]).not.toBe(light[1]);
});
