import type { BrowserContext, Page } from 'playwright-core';
import { cleanupTempDirs, tempDir, writeFiles } from '../helpers.js';
import { launchBrowser, screenshotPath, startServer } from './browser.js';

/**
 * The page at `/`, in real headless Chromium against the real server: a person types a phrase,
 * sees the event, uploads a model with the admin token and sees it answer; and `/docs`.
 */

const TOKEN = 'page-test-token';
let server: Awaited<ReturnType<typeof startServer>>;
let browser: BrowserContext;
let page: Page;
const outside: string[] = [];
/** Browser-side expressions are strings: the tests type-check without the DOM's types. */
const FOCUSED = 'document.activeElement?.id';

beforeAll(async () => {
  server = await startServer({ STS_ADMIN_TOKEN: TOKEN });
  browser = await launchBrowser();
  page = await browser.newPage();
  // Every asset comes from the server: a request anywhere else is a failure.
  page.on('request', (r) => void (r.url().startsWith(server.url) || r.url().startsWith('data:') ? undefined : outside.push(r.url())));
  await page.goto(server.url);
  await page.locator('#model option').first().waitFor({ state: 'attached' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  cleanupTempDirs();
});

async function classify(text: string) {
  await page.locator('#text').fill(text);
  await page.locator('#text').press('Enter');
  await page.locator('#result[aria-busy="false"] #event').waitFor();
  return (await page.locator('#event').textContent())?.trim();
}

test('the phrase field has the focus; with no token the default model answers; the token lists the models', async () => {
  expect(await page.evaluate(FOCUSED)).toBe('text');
  expect(await page.locator('#result').innerHTML()).toBe('');
  // This server lists its models only to a token; classifying needs none.
  expect(await page.locator('#model').inputValue()).toBe('');
  expect(await page.locator('#model-info').textContent()).toContain('enter a read or admin token');
  expect(await classify('i would like to order taxis')).toBe('match');
  expect(await page.locator('#intent').textContent()).toBe('/Taxi/Order');
  expect(await page.locator('#score').textContent()).toMatch(/^\d\.\d{3}$/); // no threshold to show
  await page.locator('#token').fill(TOKEN);
  await page.locator('#token').dispatchEvent('change');
  await page.locator('#model option[value="demo"]').waitFor({ state: 'attached' });
  expect(await page.locator('#model').inputValue()).toBe('demo');
  await page.locator('#model-info').filter({ hasText: 'threshold' }).waitFor();
  await page.locator('#text').focus();
});

test('typing a phrase and Enter shows a match, its score against the threshold, alternatives and the aligned phrase', async () => {
  expect(await classify('i would like to order taxis')).toBe('match');
  expect(await page.locator('#intent').textContent()).toBe('/Taxi/Order');
  expect(await page.locator('#score').textContent()).toMatch(/^\d\.\d{3} > 0\.\d+$/);
  expect(await page.locator('#alternatives li').count()).toBeGreaterThan(0);
  const chips = page.locator('#phrase-words .chip');
  expect(await chips.count()).toBeGreaterThan(0);
  expect(await page.locator('#request-words .chip').count()).toBeGreaterThan(0);
  expect(await page.locator('#aligned tbody tr').count()).toBeGreaterThan(0);
  // Each match kind in the legend has a colour of its own, derived from its name.
  const legend = await page.evaluate<[string, string][]>(`[...document.querySelectorAll('#legend .chip')].map((e) => [e.textContent, getComputedStyle(e).backgroundColor])`);
  // "taxis" is a lemma of the phrase's "taxi", the other words exact.
  expect(legend.map(([kind]) => kind).sort()).toEqual(['exact', 'lemma']);
  expect(new Set(legend.map(([, colour]) => colour)).size).toBe(2);
  await page.screenshot({ path: screenshotPath('page-match-light.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('page-match-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('dark mode changes the colours', async () => {
  const bg = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  const light = await bg();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await bg();
  await page.emulateMedia({ colorScheme: 'light' });
  expect(dark).not.toBe(light);
});

test('a phrase below the threshold shows noMatch with its best intent', async () => {
  expect(await classify('zebra quantum marmalade')).toBe('noMatch');
  expect(await page.locator('#intent').count()).toBe(0);
});

test('a text over the length limit shows the limit that fired', async () => {
  expect(await classify('word '.repeat(100))).toBe('lengthLimit');
  expect(await page.locator('#limit').textContent()).toMatch(/limit fired: \d+ (characters|words), at most \d+/);
});

test('the form works from the keyboard alone', async () => {
  await page.locator('#text').focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(FOCUSED)).toBe('classify');
  await page.locator('#text').fill('thank you');
  await page.locator('#classify').focus();
  await page.keyboard.press('Enter');
  await page.locator('#result[aria-busy="false"] #intent', { hasText: '/SmallTalk/Thanks' }).waitFor();
});

describe('uploading a model', () => {
  const dir = tempDir('sts-upload-');
  const files = writeFiles(dir, {
    'pizza.yaml': ['language: en', 'intents:', '  - path: /pizza/order', '    phrases: [i want a pizza, order a margherita]', '  - path: /pizza/status', '    phrases: [where is my pizza, hello]', '  - path: /hi', '    phrases: [hello]'].join('\n'),
    'broken.yaml': ['intents:', '  - path: /ok', '    phrases: [fine]', '  - path: no-slash', '    phrases: [bad]'].join('\n'),
  });

  async function upload(file: string, token: string) {
    await page.locator('#file').setInputFiles(file);
    await page.locator('#token').fill(token);
    await page.locator('#upload').click();
    await page.locator('#upload-result[aria-busy="false"]').waitFor();
  }

  test('a wrong admin token is refused, and no model is added', async () => {
    await upload(files['pizza.yaml']!, 'wrong');
    expect(await page.locator('#upload-error').textContent()).toContain('The admin token was refused');
    expect(await page.locator('#model option').allTextContents()).toEqual(['demo (default)']);
  });

  test('a source that does not compile shows the error with its line', async () => {
    await page.locator('#name').fill('broken');
    await upload(files['broken.yaml']!, TOKEN);
    const text = await page.locator('#upload-error').textContent();
    expect(text).toContain('not accepted (422)');
    expect(text).toContain('line 4:');
  });

  test('a good source compiles, shows its warnings, and then answers', async () => {
    await page.locator('#name').fill('');
    await upload(files['pizza.yaml']!, TOKEN);
    expect(await page.locator('#name').inputValue()).toBe('pizza');
    expect(await page.locator('#upload-ok').textContent()).toContain('Created model pizza');
    expect(await page.locator('#upload-warnings').textContent()).toMatch(/hello/);
    expect(await page.locator('#model').inputValue()).toBe('pizza');
    expect(await classify('i would like to order a pizza')).toBe('match');
    expect(await page.locator('#intent').textContent()).toBe('/pizza/order');
    await page.screenshot({ path: screenshotPath('page-upload-light.png'), fullPage: true });
  });
});

test('/docs renders the OpenAPI document from local assets', async () => {
  const docs = await browser.newPage();
  docs.on('request', (r) => void (r.url().startsWith(server.url) || r.url().startsWith('data:') ? undefined : outside.push(r.url())));
  await docs.goto(`${server.url}/docs`);
  await docs.locator('.swagger-ui .info .title', { hasText: 'sts-classifier' }).waitFor();
  expect(await docs.locator('.opblock-summary-path', { hasText: '/v1/classify' }).count()).toBeGreaterThan(0);
  await docs.screenshot({ path: screenshotPath('docs.png') });
  await docs.close();
});

test('nothing was requested from outside the server', () => {
  expect(outside).toEqual([]);
});
