// Logging in and out through the UI, with the admin account the server
// creates at startup from ADMIN_EMAIL / ADMIN_PASSWORD.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotPath } from '../support/browser.mjs';
import { ADMIN, adminEnv } from '../support/admin.mjs';
import { startServer } from '../support/server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer(adminEnv);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a wrong password is refused and the typed e-mail is kept', async () => {
  const page = await browser.newPage();
  // Keeping what was typed is the hydrated form's doing; a login sent before
  // the page's script has loaded is a plain form post, whose answer is a new
  // page with the error. So wait for the script (no requests left).
  await page.goto(`${server.url}/login`, { waitUntil: 'networkidle' });
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Invalid email or password' }).waitFor();
  assert.equal(await page.getByLabel('E-mail').inputValue(), ADMIN.email);
  await page.screenshot({ path: screenshotPath('auth-1-refused'), fullPage: true });
  await page.close();
});

test('the admin logs in, sees who they are, and logs out', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${server.url}/`);
  const header = page.getByRole('banner');
  await header.getByText(ADMIN.email).waitFor();
  await page.screenshot({ path: screenshotPath('auth-2-signed-in'), fullPage: true });

  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === 'reflector_session');
  assert.ok(session, 'session cookie set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');

  // The session survives a full reload (server-rendered header knows the user).
  await page.reload();
  await header.getByText(ADMIN.email).waitFor();

  await header.getByRole('button', { name: 'Log out' }).click();
  await header.getByRole('link', { name: 'Log in' }).waitFor();
  assert.equal((await context.cookies()).some((cookie) => cookie.name === 'reflector_session'), false);
  await page.screenshot({ path: screenshotPath('auth-3-signed-out'), fullPage: true });
  await context.close();
});
