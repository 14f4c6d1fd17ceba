// Calendar sync in Chromium: the owner gives a room an ICS calendar in the
// form's Calendar tab and syncs it now; the result reads in words, a broken
// feed says so; the rooms list names the next event; a participant opening
// the room sees its schedule and may start a meeting now.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotPath, watchForErrors } from '../support/browser.mjs';
import { calendarEvent, calendarOf, startCalendarFeed } from '../support/calendar-feed.mjs';
import { startFakePlatforms } from '../support/fake-platforms.mjs';
import { adminEnv, signInAsAdmin } from '../support/admin.mjs';
import { startServer } from '../support/server.mjs';

let platforms;
let feed;
let server;
let browser;

before(async () => {
  platforms = await startFakePlatforms();
  feed = await startCalendarFeed();
  server = await startServer({
    ...adminEnv,
    // The calendar is served on loopback; nothing syncs but "Sync now".
    ALLOW_PRIVATE_NETWORK_URLS: 'true',
    RUN_WORKERS: 'false',
    ...platforms.env,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await feed?.stop();
  await platforms?.stop();
});

test('an owner syncs a calendar and participants see the schedule', async () => {
  const roomUrl = `${server.url}/standup`;
  feed.set(calendarOf([
    calendarEvent({ uid: 'daily', title: 'Daily stand-up', startsIn: 20, minutes: 15, location: roomUrl }),
    calendarEvent({ uid: 'retro', title: 'Retro', startsIn: 180, minutes: 60, location: `Room: ${roomUrl}` }),
    calendarEvent({ uid: 'other', title: 'Elsewhere', startsIn: 30, minutes: 30, location: `${roomUrl}-2` }),
  ]));

  const admin = await browser.newContext();
  const page = await admin.newPage();
  const problems = watchForErrors(page);
  await signInAsAdmin(page, server.url);

  await page.getByRole('button', { name: 'Add room' }).click();
  let dialog = page.getByRole('dialog', { name: 'Add room' });
  await dialog.getByLabel('Room name').fill('standup');
  await dialog.getByRole('tab', { name: 'Calendar' }).click();
  await dialog.getByLabel('Create meetings from an ICS calendar').check();
  await dialog.getByText(roomUrl).waitFor();
  await dialog.getByLabel('ICS calendar URL').fill(feed.url);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByRole('row', { name: /standup/ }).getByRole('button', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit room' });
  await dialog.getByRole('tab', { name: 'Calendar' }).click();
  await dialog.getByText('Not checked yet.').waitFor();
  await dialog.getByRole('button', { name: 'Sync now' }).click();
  await dialog
    .getByText('2 events for this room (3 in the calendar from an hour ago to a day ahead): 2 new, 0 changed, 0 removed.')
    .waitFor();
  await dialog.getByText(/Last checked at \d\d:\d\d\. Next check at \d\d:\d\d\. 2 events for this room\./).waitFor();
  await page.screenshot({ path: screenshotPath('calendar-1-synced'), fullPage: true });

  // A feed that is not a calendar: the failure is shown, the events stay.
  feed.set('<html>Service Unavailable</html>');
  await dialog.getByRole('button', { name: 'Sync now' }).click();
  await dialog.getByText(/^The calendar could not be read/).waitFor();
  await dialog.getByText(/2 events for this room\.$/).waitFor();
  await page.screenshot({ path: screenshotPath('calendar-2-broken-feed'), fullPage: true });
  // Editing the address says what "Sync now" reads until saved.
  await dialog.getByLabel('ICS calendar URL').fill(`${feed.url}?v=2`);
  await dialog.getByText('Save to use the new calendar settings').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.reload();
  const next = page.getByRole('row', { name: /standup/ }).getByText(/^Next: Daily stand-up in (1[6-9]|20) min$/);
  await next.waitFor();
  assert.match(await next.getAttribute('title'), /^(\d{4}-\d\d-\d\d )?\d\d:\d\d$/, 'the exact time on hover');
  assert.deepEqual(problems, []);
  await admin.close();

  const guest = await browser.newContext();
  const room = await guest.newPage();
  const guestProblems = watchForErrors(room);
  await room.goto(roomUrl);
  await room.getByText('No meeting is live in this room yet.').waitFor({ timeout: 15_000 });
  const first = room.getByRole('listitem').filter({ hasText: 'Daily stand-up' });
  await first.getByText(/^Starts in (19|20) minutes · \d\d:\d\d–\d\d:\d\d$/).waitFor();
  await room.getByRole('listitem').filter({ hasText: 'Retro' }).getByText(/^Starts at \d\d:\d\d/).waitFor();
  assert.equal(await room.getByText('Elsewhere').count(), 0, "another room's event is not listed");
  assert.equal(await room.locator('whereby-embed').count(), 0, 'looking starts no meeting');
  assert.equal(platforms.requests.filter((r) => r.method === 'POST').length, 0, 'no platform room made');
  await room.screenshot({ path: screenshotPath('calendar-3-schedule'), fullPage: true });

  await room.getByRole('button', { name: 'Start a meeting now' }).click();
  await room.locator('whereby-embed').waitFor({ state: 'attached', timeout: 15_000 });
  assert.match(await room.locator('whereby-embed').getAttribute('room'), /standup-/);
  assert.deepEqual(guestProblems, []);
  await guest.close();
});
