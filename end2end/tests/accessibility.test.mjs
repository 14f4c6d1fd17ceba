// Every page and dialog, on a phone (390 px) and a laptop (1280 px), in the
// light and the dark theme: axe-core finds no serious or critical
// violation, and the controls are reachable from the keyboard with a
// visible focus. Screenshots of each are kept as artifacts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { seriousViolations } from '../support/accessibility.mjs';
import { signInAsAdmin } from '../support/admin.mjs';
import { screenshotPath } from '../support/browser.mjs';
import { startStack, stopStack } from '../support/stack.mjs';

let platforms;
let server;
let browser;

before(async () => ({ platforms, server, browser } = await startStack()));
after(() => stopStack({ platforms, server, browser }));

const WIDTHS = { phone: { width: 390, height: 844 }, laptop: { width: 1280, height: 800 } };

/** Each page (and dialog) as something to open in a signed-in page. */
const VIEWS = [
  { name: 'start', open: (page) => page.goto(`${server.url}/`), ready: (page) => page.getByRole('heading', { name: 'Rooms' }) },
  { name: 'rooms', open: (page) => page.goto(`${server.url}/rooms`), ready: (page) => page.getByRole('row', { name: /standup/ }) },
  {
    name: 'room-form',
    open: async (page) => {
      await page.goto(`${server.url}/rooms`);
      await page.getByRole('button', { name: 'Add room' }).click();
    },
    ready: (page) => page.getByRole('dialog', { name: 'Add room' }),
  },
  {
    name: 'delete-confirmation',
    open: async (page) => {
      await page.goto(`${server.url}/rooms`);
      await page.getByRole('row', { name: /standup/ }).getByRole('button', { name: 'Delete' }).click();
    },
    ready: (page) => page.getByRole('button', { name: 'Delete room' }),
  },
  {
    name: 'toast',
    open: async (page) => {
      await page.goto(`${server.url}/rooms`);
      await page.getByRole('row', { name: /standup/ }).getByRole('button', { name: 'Copy link' }).click();
    },
    ready: (page) => page.locator('.toast'),
  },
  {
    name: 'history',
    open: (page) => page.goto(`${server.url}/rooms/standup/history`),
    ready: (page) => page.getByRole('heading', { name: 'History of standup' }),
  },
  { name: 'transcripts', open: (page) => page.goto(`${server.url}/transcripts`), ready: (page) => page.getByRole('heading', { name: 'Transcripts' }) },
  { name: 'not-found', open: (page) => page.goto(`${server.url}/no/such/page`), ready: (page) => page.getByRole('heading', { name: 'Page not found' }) },
  { name: 'room', open: (page) => page.goto(`${server.url}/standup`), ready: (page) => page.locator('whereby-embed') },
];

/** What a visitor who is not signed in sees. */
const VISITOR_VIEWS = [
  { name: 'start-visitor', open: (page) => page.goto(`${server.url}/`), ready: (page) => page.getByText('Log in to see your rooms') },
  { name: 'login', open: (page) => page.goto(`${server.url}/login`), ready: (page) => page.getByRole('button', { name: 'Log in' }) },
];

test('every page and dialog passes axe on a phone and a laptop, light and dark', async () => {
  const setup = await (await browser.newContext()).newPage();
  await signInAsAdmin(setup, server.url);
  const made = await setup.request.post(`${server.url}/v1/rooms`, { data: { name: 'standup', platform: 'whereby' } });
  assert.equal(made.status(), 200, await made.text());

  const found = [];
  for (const [device, viewport] of Object.entries(WIDTHS)) {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport, colorScheme });
      const page = await context.newPage();
      for (const view of VISITOR_VIEWS) {
        await view.open(page);
        await view.ready(page).first().waitFor({ timeout: 15_000 });
        await page.screenshot({ path: screenshotPath(`a11y-${view.name}-${device}-${colorScheme}`), fullPage: true });
        for (const problem of await seriousViolations(page)) {
          found.push(`${view.name} (${device}, ${colorScheme}): ${problem}`);
        }
        // axe looked at what it was meant to (a toast, say, had not gone yet).
        assert.ok(await view.ready(page).first().isVisible(), `${view.name} was gone before axe finished`);
      }
      await signInAsAdmin(page, server.url);
      for (const view of VIEWS) {
        await view.open(page);
        await view.ready(page).first().waitFor({ timeout: 15_000 });
        await page.screenshot({ path: screenshotPath(`a11y-${view.name}-${device}-${colorScheme}`), fullPage: true });
        for (const problem of await seriousViolations(page)) {
          found.push(`${view.name} (${device}, ${colorScheme}): ${problem}`);
        }
        // axe looked at what it was meant to (a toast, say, had not gone yet).
        assert.ok(await view.ready(page).first().isVisible(), `${view.name} was gone before axe finished`);
      }
      // Nothing wider than the screen: on a phone the rooms list is cards, not a table to scroll.
      await page.goto(`${server.url}/rooms`);
      await page.getByRole('row', { name: /standup/ }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${device}: the rooms page is ${overflow}px wider than the screen`);
      await context.close();
    }
  }
  assert.deepEqual(found, []);
});

test('the start page and the rooms list work from the keyboard with a visible focus', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInAsAdmin(page, server.url);
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Rooms' }).waitFor();
  // Tab to the room name field, type, Enter: the room opens.
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id === 'join-room-name')) break;
  }
  const focused = await page.evaluate(() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return { id: element.id, ring: style.boxShadow !== 'none' || style.outlineStyle !== 'none' };
  });
  assert.deepEqual(focused, { id: 'join-room-name', ring: true }, 'the field is reached by Tab and shows its focus');
  await page.keyboard.type('standup');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.url}/standup`);
});
