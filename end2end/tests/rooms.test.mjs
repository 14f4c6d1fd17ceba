// The whole rooms flow in Chromium against the real server, with fake Daily
// and Whereby APIs on loopback: an admin configures a Daily room and a
// Whereby room through the form, participants join each call, answer the
// recording-consent prompt and leave; an unknown room says so.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotPath, watchForErrors } from '../support/browser.mjs';
import { startFakePlatforms } from '../support/fake-platforms.mjs';
import { adminEnv, signInAsAdmin } from '../support/admin.mjs';
import { startServer } from '../support/server.mjs';

let platforms;
let server;
let browser;
let admin;

before(async () => {
  platforms = await startFakePlatforms();
  server = await startServer({
    ...adminEnv,
    RUN_WORKERS: 'false',
    ...platforms.env,
  });
  browser = await launchBrowser();
  admin = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await platforms?.stop();
});

async function fillNewRoom(page, name, platformLabel) {
  await page.getByRole('button', { name: 'Add room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add room' });
  await dialog.waitFor();
  await dialog.getByLabel('Room name').fill(name);
  await dialog.getByLabel('Video platform').selectOption({ label: platformLabel });
  return dialog;
}

test('an admin creates a Daily room and a Whereby room through the form', async () => {
  const page = await admin.newPage();
  const problems = watchForErrors(page);
  await signInAsAdmin(page, server.url, '/rooms', { waitForNext: false });
  const wasmFetched = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmFetched.push(new URL(request.url()).pathname);
  });
  await page.waitForURL(`${server.url}/rooms`);
  await page.getByText('You have no rooms yet').waitFor();
  await page.screenshot({ path: screenshotPath('rooms-1-empty'), fullPage: true });
  // The form's code is its own chunk, fetched when a form first opens.
  assert.equal(wasmFetched.some((path) => path.includes('mount_room_form')), false, wasmFetched.join(' '));

  // The name is typed into shape, and a reserved one is refused before saving.
  await page.getByRole('button', { name: 'Add room' }).click();
  await page.getByRole('dialog', { name: 'Add room' }).waitFor();
  assert.ok(wasmFetched.some((path) => path.includes('mount_room_form')), wasmFetched.join(' '));
  // Typing can start at once: the name field has the focus.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'name');
  await walkTheFormByKeyboard(page);
  let dialog = await fillNewRoom(page, 'Rooms', 'Daily.co');
  assert.equal(await dialog.getByLabel('Room name').inputValue(), 'rooms');
  await dialog.getByText("'rooms' is reserved by the app").first().waitFor();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'reserved' }).waitFor();
  await page.screenshot({ path: screenshotPath('rooms-2-reserved-name'), fullPage: true });
  await dialog.getByLabel('Room name').fill('Team Daily');
  assert.equal(await dialog.getByLabel('Room name').inputValue(), 'team-daily');
  // Daily: no room size, the trigger follows from the recording type.
  assert.equal(await dialog.getByLabel('Room size').isVisible(), false);
  assert.equal(await dialog.getByLabel('Recording starts').isVisible(), false);
  await dialog.getByLabel('Skip the consent question').waitFor();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('status').filter({ hasText: "Room 'team-daily' added" }).waitFor();
  const dailyRow = page.getByRole('row', { name: /team-daily/ });
  await dailyRow.getByText('Daily.co').waitFor();

  // Copy link: the address is on the clipboard, a toast says so and then goes.
  await dailyRow.getByRole('button', { name: 'Copy link' }).click();
  const copied = page.getByRole('status').getByText(`Link copied: ${server.url}/team-daily`);
  await copied.waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${server.url}/team-daily`);
  await page.waitForTimeout(300); // the toast's fade-in, for the picture only
  await page.screenshot({ path: screenshotPath('rooms-2b-link-copied'), fullPage: true });
  await copied.waitFor({ state: 'detached', timeout: 10_000 });

  dialog = await fillNewRoom(page, 'design-review', 'Whereby');
  await dialog.getByLabel('Room size').waitFor();
  await dialog.getByLabel('Recording starts').selectOption({ label: 'Participants are asked when they join' });
  await dialog.getByRole('tab', { name: 'Webhook' }).click();
  await dialog.getByLabel('Webhook URL').fill('https://hooks.example.com/reflector');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('row', { name: /design-review/ }).getByText('Whereby').waitFor();

  // A taken name: the server's refusal is explained and nothing typed is lost.
  dialog = await fillNewRoom(page, 'team-daily', 'Whereby');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'This room name is already taken' }).waitFor();
  assert.equal(await dialog.getByLabel('Room name').inputValue(), 'team-daily');
  await page.screenshot({ path: screenshotPath('rooms-3-name-taken'), fullPage: true });
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The owner sees the generated webhook secret, masked until revealed.
  await page.getByRole('row', { name: /design-review/ }).getByRole('button', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit room' });
  await dialog.getByRole('tab', { name: 'Webhook' }).click();
  const secret = dialog.getByLabel('Webhook secret');
  assert.equal(await secret.getAttribute('type'), 'password');
  assert.ok((await secret.inputValue()).length >= 32, 'a secret was generated');
  await dialog.getByRole('button', { name: 'Show' }).click();
  assert.equal(await secret.getAttribute('type'), 'text');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('row', { name: /team-daily/ }).getByRole('button', { name: 'Recordings' }).click();
  await page.getByText('No recordings yet.').waitFor();
  await page.screenshot({ path: screenshotPath('rooms-4-two-rooms'), fullPage: true });

  // A full load of /rooms (server-rendered, then hydrated) shows the same.
  await page.reload();
  await page.getByRole('row', { name: /design-review/ }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('a participant joins the Daily call, answers the consent prompt and leaves', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchForErrors(page);
  const scripts = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await page.goto(`${server.url}/team-daily`);
  const frame = page.locator('.daily-call iframe');
  await frame.waitFor({ timeout: 15_000 });
  const src = await frame.getAttribute('src');
  assert.ok(src.startsWith(`${platforms.env.DAILY_API_URL.replace('/daily/v1', '')}/daily-room/team-daily-`), src);
  assert.ok(scripts.includes('/vendor/daily.js'), 'daily-js is loaded on a Daily room');
  assert.ok(!scripts.includes('/vendor/whereby-embed.js'));
  await page.screenshot({ path: screenshotPath('daily-1-call'), fullPage: true });

  // daily-js reports what happens inside its iframe as events on the call
  // object; the fake room page cannot, so the test raises them itself.
  const raise = (event, detail = {}) =>
    page.evaluate(([event, detail]) => {
      window.DailyIframe.getCallInstance().emit(event, { action: event, ...detail });
    }, [event, detail]);

  await raise('joined-meeting');
  const start = await waitFor(() =>
    platforms.requests.find((r) => r.method === 'POST' && r.path.endsWith('/recordings/start')),
  );
  // Reflector's deterministic id: the same in every participant's browser.
  const meeting = platforms.dailyRooms.find((room) => start.path.includes(`/rooms/${room.name}/`));
  assert.equal(start.body.type, 'raw-tracks');
  assert.equal(start.body.instanceId, uuidv5(meeting.id, 'a1b2c3d4-e5f6-7890-abcd-ef1234567890'));

  await raise('custom-button-click', { button_id: 'recording-consent' });
  const prompt = page.getByRole('dialog', { name: /being recorded/ });
  await prompt.waitFor();
  await page.screenshot({ path: screenshotPath('daily-2-consent'), fullPage: true });
  await page.keyboard.press('Escape');
  await prompt.waitFor({ state: 'hidden' });
  await raise('custom-button-click', { button_id: 'recording-consent' });
  const answered = page.waitForResponse((r) => r.url().includes('/api/record_consent') && r.status() === 200);
  await prompt.getByRole('button', { name: 'Yes, store the audio' }).click();
  await answered;
  await prompt.waitFor({ state: 'hidden' });
  const remembered = await page.evaluate(() => localStorage.getItem('recording_consent_meetings'));
  assert.match(remembered, /\|T"\]$/);

  await raise('left-meeting');
  await page.waitForURL(`${server.url}/`);
  await page.getByRole('heading', { name: 'Reflector Rooms' }).waitFor();
  assert.equal(await page.locator('.daily-call').count(), 0, 'the call is gone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Whereby: a guest gets the room URL, the owner the host URL; consent and leave work', async () => {
  const guest = await browser.newContext();
  const page = await guest.newPage();
  const problems = watchForErrors(page);
  await page.goto(`${server.url}/design-review`);
  const embed = page.locator('whereby-embed');
  await embed.waitFor({ state: 'attached', timeout: 15_000 });
  const room = await embed.getAttribute('room');
  assert.match(room, /^https:\/\/e2e-fake\.whereby\.com\/design-review-[0-9a-f-]+$/);
  assert.equal(await page.evaluate(() => Boolean(customElements.get('whereby-embed'))), true);
  await page.screenshot({ path: screenshotPath('whereby-1-call'), fullPage: true });

  await page.getByRole('button', { name: /being recorded/ }).click();
  const answered = page.waitForResponse((r) => r.url().includes('/api/record_consent') && r.status() === 200);
  await page.getByRole('button', { name: 'No, delete after transcription' }).click();
  await answered;
  await page.getByRole('button', { name: /being recorded/ }).waitFor({ state: 'hidden' });
  await page.screenshot({ path: screenshotPath('whereby-2-consent-answered'), fullPage: true });

  // A reload remembers the answer: no question again for this meeting.
  await page.reload();
  await embed.waitFor({ state: 'attached' });
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('button', { name: /being recorded/ }).isVisible(), false);

  await embed.evaluate((element) => element.dispatchEvent(new CustomEvent('leave', { detail: { removed: false } })));
  await page.waitForURL(`${server.url}/`);
  assert.deepEqual(problems, []);
  await guest.close();

  const owner = await admin.newPage();
  await owner.goto(`${server.url}/design-review`);
  await owner.locator('whereby-embed').waitFor({ state: 'attached', timeout: 15_000 });
  assert.match(await owner.locator('whereby-embed').getAttribute('room'), /\?roomKey=host-key$/);
  await owner.close();
});

test('an unknown room says so and offers a retry', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/no-such-room`);
  await page.getByText("This room doesn't exist.").waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Try again' }).waitFor();
  assert.equal(await page.getByRole('banner').count(), 0, 'the room page has no site header');
  await page.screenshot({ path: screenshotPath('room-unknown'), fullPage: true });
  await page.close();
});

test('deleting a room asks first, then its address stops working', async () => {
  const page = await admin.newPage();
  await page.goto(`${server.url}/rooms`);
  const row = page.getByRole('row', { name: /team-daily/ });
  await row.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alert').filter({ hasText: "Delete the room 'team-daily'?" });
  await confirm.waitFor();
  await page.screenshot({ path: screenshotPath('rooms-5-confirm-delete'), fullPage: true });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  await row.getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Delete room' }).click();
  await page.getByRole('status').getByText("Room 'team-daily' deleted").waitFor();
  await row.waitFor({ state: 'detached' });
  await page.getByRole('row', { name: /design-review/ }).waitFor();

  await page.goto(`${server.url}/team-daily`);
  await page.getByText("This room doesn't exist.").waitFor({ timeout: 15_000 });
  await page.close();
});

/** What has the keyboard focus: whether it is in the dialog, and its name. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    const label = element?.labels?.[0]?.textContent ?? element?.textContent ?? '';
    return { inDialog: Boolean(element?.closest('[role=dialog]')), name: label.trim() };
  });
}

/**
 * The open room form used from the keyboard alone: Tab goes round its
 * controls and never into the page behind, Shift+Tab goes back round, the
 * tabs switch with Enter, Esc closes it and gives the focus back to the
 * button that opened it.
 */
async function walkTheFormByKeyboard(page) {
  const seen = [];
  for (let step = 0; step < 30; step++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    assert.ok(now.inDialog, `Tab ${step + 1} left the dialog: ${JSON.stringify(now)} after ${seen.join(' › ')}`);
    seen.push(now.name);
  }
  const wrap = seen.findIndex((name, i) => name === 'Save' && seen[i + 1] === 'General');
  assert.ok(wrap >= 0, `Tab goes from the last control round to the first: ${seen.join(' › ')}`);
  while ((await focused(page)).name !== 'General') await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).name, 'Save', 'Shift+Tab from the first control goes to the last');

  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).name, 'Calendar');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Add room' });
  await dialog.getByLabel('Create meetings from an ICS calendar').waitFor();
  assert.equal(await dialog.getByLabel('Room name').isVisible(), false, 'the General tab is hidden');
  await page.screenshot({ path: screenshotPath('rooms-1-form-by-keyboard'), fullPage: true });

  // A click on the dialog's text does not let Shift+Tab out to the page behind.
  await dialog.getByRole('heading', { name: 'Add room' }).click();
  await page.keyboard.press('Shift+Tab');
  assert.deepEqual(await focused(page), { inDialog: true, name: 'Save' });

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await focused(page)).name, 'Add room', 'the focus is back on the button that opened the form');
}

async function waitFor(find, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const found = find();
    if (found) return found;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error('timed out waiting');
}

function uuidv5(name, namespace) {
  const bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(Buffer.concat([bytes, Buffer.from(name)])).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
