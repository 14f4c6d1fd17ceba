// What most browser tests run against: the fake platforms on loopback, our
// server configured for all of them (with the admin account, plus `env`),
// and Chromium.
import { adminEnv } from './admin.mjs';
import { launchBrowser } from './browser.mjs';
import { startFakePlatforms } from './fake-platforms.mjs';
import { startServer } from './server.mjs';

export async function startStack(env = {}) {
  const stack = {};
  try {
    stack.platforms = await startFakePlatforms();
    stack.server = await startServer({ ...adminEnv, ...stack.platforms.env, ...env });
    stack.browser = await launchBrowser();
    return stack;
  } catch (error) {
    await stopStack(stack);
    throw error;
  }
}

export async function stopStack({ platforms, server, browser } = {}) {
  await browser?.close();
  await server?.stop();
  await platforms?.stop();
}
