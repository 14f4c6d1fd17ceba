// Debian's Chromium under Playwright, headless, with the flags this closed
// network needs (no background calls home); Playwright gives each launch a
// fresh profile.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const artifactsDir = resolve(import.meta.dirname, '..', 'artifacts');

export async function launchBrowser() {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name) {
  return join(artifactsDir, `${name}.png`);
}
