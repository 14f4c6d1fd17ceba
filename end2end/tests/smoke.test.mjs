// Smoke test: the start page renders, hydrates and sends a visitor to a room.
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

test('the start page hydrates and joins a room by its name', async () => {
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
  assert.equal(await page.getByRole('button', { name: 'Check server' }).count(), 0, 'no debug controls');
  // Built in the browser once the page has hydrated: a visitor is offered to log in.
  await page.getByText('Log in to see your rooms').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: screenshotPath('smoke-1-start'), fullPage: true });
  const titles = await page.evaluate(() => window.titlesSeen);
  assert.ok(titles.length > 0);
  assert.deepEqual([...new Set(titles)], ['Welcome · Reflector Rooms'], 'hydrating never blanks the title');

  // A name the app reserves is refused where it was typed.
  await page.getByLabel('Room name').fill('login');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('alert').filter({ hasText: 'reserved' }).waitFor();
  assert.equal(await page.getByLabel('Room name').inputValue(), 'login');

  // A name typed loosely is tidied into the room's address.
  await page.getByLabel('Room name').fill('Team Standup');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(`${server.url}/team-standup`);
  await page.getByRole('heading', { name: 'The meeting could not be opened' }).waitFor();

  // The signed-out visit asks for the rooms and is told 401: the browser logs that, nothing else.
  assert.deepEqual(problems.filter((p) => !p.includes('Failed to load resource')), []);
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
