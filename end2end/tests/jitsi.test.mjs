// A Jitsi room in Chromium: the owner makes it through the form, the page
// loads the deployment's external_api.js (a stand-in on loopback) and opens
// the meeting with a token signed for each visitor; hanging up leaves.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';

import { signInAsAdmin } from '../support/admin.mjs';
import { screenshotPath, watchForErrors } from '../support/browser.mjs';
import { JITSI_APP_SECRET } from '../support/fake-platforms.mjs';
import { startStack, stopStack } from '../support/stack.mjs';

let platforms;
let server;
let browser;

before(async () => ({ platforms, server, browser } = await startStack()));
after(() => stopStack({ platforms, server, browser }));

/** The claims of an HS256 token, after checking its signature with the app secret. */
function verifiedClaims(token) {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', JITSI_APP_SECRET).update(`${header}.${payload}`).digest('base64url');
  assert.equal(signature, expected, 'signed with JITSI_APP_SECRET');
  assert.equal(JSON.parse(Buffer.from(header, 'base64url')).alg, 'HS256');
  return JSON.parse(Buffer.from(payload, 'base64url'));
}

async function openedJitsi(page) {
  await page.getByTitle('Jitsi Meet').waitFor({ timeout: 15_000 });
  return page.evaluate(() => ({ ...window.fakeJitsi, api: undefined }));
}

test('a Jitsi room opens through the external API with a token for each visitor', async () => {
  const owner = await (await browser.newContext()).newPage();
  const problems = watchForErrors(owner);
  await signInAsAdmin(owner, server.url);
  await owner.getByRole('button', { name: 'Add room' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Add room' });
  await dialog.getByLabel('Room name').fill('jitsi-standup');
  await dialog.getByLabel('Video platform').selectOption({ label: 'Jitsi Meet' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await owner.getByRole('row', { name: /jitsi-standup/ }).waitFor();

  const visitor = await (await browser.newContext()).newPage();
  const visitorProblems = watchForErrors(visitor);
  await visitor.goto(`${server.url}/jitsi-standup`);
  const asGuest = await openedJitsi(visitor);
  const port = new URL(platforms.env.JITSI_URL).port;
  assert.equal(asGuest.domain, `127.0.0.1:${port}`);
  assert.match(asGuest.roomName, /^jitsi\/jitsi-standup-[0-9a-f]{12}$/);
  const guest = verifiedClaims(asGuest.jwt);
  assert.equal(guest.iss, 'reflector-e2e');
  assert.equal(guest.aud, 'jitsi');
  assert.equal(guest.room, asGuest.roomName.split('/')[1]);
  assert.equal(guest.moderator, false);
  assert.ok(guest.exp > Date.now() / 1000 + 3600, 'valid until the meeting ends');
  assert.ok(!platforms.requests.some((r) => r.path.startsWith('/jitsi/') && r.method !== 'GET'), 'no API call: Jitsi has none');
  await visitor.screenshot({ path: screenshotPath('jitsi-1-room'), fullPage: true });

  // The owner joins the same meeting as its moderator.
  await owner.goto(`${server.url}/jitsi-standup`);
  const asOwner = await openedJitsi(owner);
  assert.equal(asOwner.roomName, asGuest.roomName);
  const moderator = verifiedClaims(asOwner.jwt);
  assert.equal(moderator.moderator, true);
  assert.equal(moderator.context.user.email, 'admin@example.com');

  // Hanging up leaves the page, and the call is disposed of.
  await visitor.evaluate(() => window.fakeJitsi.api.hangUp());
  await visitor.waitForURL(`${server.url}/`);
  // Left the page, left the call: the room page disposed of the API.
  await visitor.waitForFunction(() => window.fakeJitsi.disposed === true, null, { timeout: 5_000 });
  assert.deepEqual(visitorProblems, []);
  assert.deepEqual(problems, []);
});
