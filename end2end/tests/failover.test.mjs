// Failover in Chromium: Daily's API is down, the server falls back to
// Whereby; the participant's page says so above the call, which is the
// Whereby embed, and the rooms list says so under "Now"; the room form
// saves a room's own fallback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotPath, watchForErrors } from '../support/browser.mjs';
import { startFakePlatforms } from '../support/fake-platforms.mjs';
import { adminEnv, signInAsAdmin } from '../support/admin.mjs';
import { startServer } from '../support/server.mjs';

let platforms;
let server;
let browser;

before(async () => {
  platforms = await startFakePlatforms({ dailyDown: true });
  server = await startServer({
    ...adminEnv,
    FALLBACK_VIDEO_PLATFORMS: 'whereby',
    ...platforms.env,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await platforms?.stop();
});

test('a Daily room opens on Whereby while Daily is down, and says so', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchForErrors(page);
  await signInAsAdmin(page, server.url);
  const created = await page.request.post(`${server.url}/v1/rooms`, { data: { name: 'daily-standup', platform: 'daily' } });
  assert.equal(created.status(), 200, await created.text());

  const visitor = await (await browser.newContext()).newPage();
  const visitorProblems = watchForErrors(visitor);
  await visitor.goto(`${server.url}/daily-standup`);
  await visitor.getByRole('status').filter({ hasText: 'Daily.co is unavailable right now; this meeting runs on Whereby.' }).waitFor();
  await visitor.locator('whereby-embed').waitFor({ state: 'attached', timeout: 15_000 });
  assert.ok(platforms.requests.some((r) => r.method === 'POST' && r.path === '/daily/v1/rooms'), 'Daily was asked first');
  await visitor.screenshot({ path: screenshotPath('failover-1-room'), fullPage: true });

  await page.reload();
  await page.getByRole('row', { name: /daily-standup/ }).getByText('this meeting runs on Whereby').waitFor();
  await page.screenshot({ path: screenshotPath('failover-2-rooms'), fullPage: true });

  // The room's own fallback, chosen in the form, is saved with it.
  await page.getByRole('row', { name: /daily-standup/ }).getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit room' });
  await dialog.getByLabel('If the platform is down').selectOption('whereby');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  const room = await (await page.request.get(`${server.url}/v1/rooms/name/daily-standup`)).json();
  assert.deepEqual(room.fallback_platforms, ['whereby']);
  assert.deepEqual(problems, []);
  assert.deepEqual(visitorProblems, []);
});
