// The administrator every test server starts with (ADMIN_EMAIL /
// ADMIN_PASSWORD), and signing in as them through the login page.

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

export const adminEnv = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };

/** Fills the login form on `page` and waits for `next` (default the rooms list). */
export async function signInAsAdmin(page, serverUrl, next = '/rooms', { waitForNext = true } = {}) {
  await page.goto(`${serverUrl}/login?next=${next}`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (waitForNext) await page.waitForURL(`${serverUrl}${next}`);
}
