// Smoke test: the server-rendered page hydrates, and a click works through WASM.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotPath } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, `server did not shut down cleanly:\n${server?.log()}`);
});

test('home page hydrates and the status button calls the server', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });

  // Every title the tab shows, from the server's <title> on, while the page hydrates.
  await page.addInitScript(() => {
    window.titlesSeen = [];
    const record = () => {
      if (document.querySelector('title')) window.titlesSeen.push(document.title);
    };
    new MutationObserver(record).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  const response = await page.goto(server.url);
  assert.equal(response.status(), 200);
  assert.equal(await page.title(), 'Welcome · Reflector Rooms');
  await page.screenshot({ path: screenshotPath('smoke-1-loaded'), fullPage: true });

  // The button is rendered disabled and only enabled once the WASM bundle
  // has hydrated the page, so a successful click proves hydration.
  const button = page.getByRole('button', { name: 'Check server' });
  await button.click({ timeout: 15_000 });
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 10_000 });
  const status = await page.getByRole('status').textContent();
  assert.match(status, /^Connected: version \d+\.\d+\.\d+, SQLite database, 0 rooms\.$/);
  await page.screenshot({ path: screenshotPath('smoke-2-status'), fullPage: true });
  // Hydrating the lazily loaded page never blanks the title on the way.
  const titles = await page.evaluate(() => window.titlesSeen);
  assert.ok(titles.length > 0);
  assert.deepEqual([...new Set(titles)], ['Welcome · Reflector Rooms']);

  assert.deepEqual(problems, []);
  await page.close();
});

test('unknown pages answer 404 with a way back', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${server.url}/no/such/page`);
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await page.getByRole('link', { name: 'Back to the start page' }).click();
  await page.waitForURL(`${server.url}/`);
  await page.close();
});
