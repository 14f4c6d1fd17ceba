// Room webhooks in Chromium: the owner points a room's webhook at a receiver,
// chooses its events, sends a test (the result in words), sees a failed
// delivery in the log and redelivers it; the receiver verifies every
// signature with the secret the form shows its owner.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotPath, watchForErrors } from '../support/browser.mjs';
import { startFakePlatforms } from '../support/fake-platforms.mjs';
import { adminEnv, signInAsAdmin } from '../support/admin.mjs';
import { startServer } from '../support/server.mjs';
import { signedWith, startWebhookReceiver } from '../support/webhook-receiver.mjs';

let platforms;
let receiver;
let server;
let browser;

before(async () => {
  platforms = await startFakePlatforms();
  receiver = await startWebhookReceiver();
  server = await startServer({
    ...adminEnv,
    // The receiver is on loopback.
    ALLOW_PRIVATE_NETWORK_URLS: 'true',
    ROOM_WEBHOOK_POLL_SECONDS: '1',
    ...platforms.env,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.stop();
  await platforms?.stop();
});

test('an owner sets up a webhook, tests it and redelivers a failed event', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchForErrors(page);
  await signInAsAdmin(page, server.url);

  await page.getByRole('button', { name: 'Add room' }).click();
  let dialog = page.getByRole('dialog', { name: 'Add room' });
  await dialog.getByLabel('Room name').fill('hooked');
  await dialog.getByRole('tab', { name: 'Webhook' }).click();
  await dialog.getByLabel('Webhook URL').fill(receiver.url);
  await dialog.getByLabel('Participant left').uncheck();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByRole('row', { name: /hooked/ }).getByRole('button', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit room' });
  await dialog.getByRole('tab', { name: 'Webhook' }).click();
  assert.equal(await dialog.getByLabel('Participant left').isChecked(), false, 'the choice was saved');
  assert.equal(await dialog.getByLabel('Meeting ended').isChecked(), true);
  await dialog.getByText('Nothing sent yet.').waitFor();
  await dialog.getByRole('button', { name: 'Show' }).click();
  const secret = await dialog.getByLabel('Webhook secret').inputValue();
  assert.ok(secret.length >= 32, 'a secret was generated');

  await dialog.getByRole('button', { name: 'Send test event' }).click();
  await dialog.getByText('Delivered: the receiver answered 200.').waitFor();
  assert.equal(receiver.received.length, 1);
  assert.equal(receiver.received[0].json.event, 'test');
  assert.ok(signedWith(receiver.received[0], secret), 'the test is signed with the shown secret');
  await dialog.locator('.delivery').filter({ hasText: 'Test' }).getByText(/^Delivered \(200, \d+ ms\)$/).waitFor();

  receiver.answer(500);
  await dialog.getByRole('button', { name: 'Send test event' }).click();
  await dialog.getByText('Not delivered: the receiver answered 500.').waitFor();
  const failed = dialog.locator('.delivery').first();
  await failed.getByText('Failed: the receiver answered 500').waitFor();
  await failed.getByText('answered 500', { exact: true }).waitFor();
  await page.screenshot({ path: screenshotPath('webhooks-1-failed-test'), fullPage: true });

  // Redelivered by the server's workers; the log follows on its own.
  await failed.getByRole('button', { name: 'Redeliver' }).click();
  await dialog.locator('.delivery').first().getByText(/^Delivered after 2 attempts \(200, \d+ ms\)$/).waitFor({ timeout: 15_000 });
  assert.equal(receiver.received.length, 3);
  const [first, again] = receiver.received.slice(1).map((request) => request.json);
  assert.equal(again.event_id, first.event_id, 'redelivered under its event_id');
  assert.equal(receiver.received[2].headers['x-webhook-retry'], '1');
  assert.ok(receiver.received.every((request) => signedWith(request, secret)));
  await page.screenshot({ path: screenshotPath('webhooks-2-redelivered'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
