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

// Collects every script error the page reports (the test asserts none).
export function watchForErrors(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return problems;
}
