// A LiveKit room in Chromium: the page loads livekit-client (served from
// npm, only on LiveKit rooms) and connects to the LiveKit server's URL with
// a token minted for this meeting and visitor. The fake server speaks no
// WebRTC: it notes the attempt and hangs up, and the page says so. (Joining
// for real, with tiles and mute, needs a LiveKit server: none installs here.)
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';

import { signInAsAdmin } from '../support/admin.mjs';
import { screenshotPath } from '../support/browser.mjs';
import { LIVEKIT_API_SECRET } from '../support/fake-platforms.mjs';
import { startStack, stopStack } from '../support/stack.mjs';

let platforms;
let server;
let browser;

before(async () => ({ platforms, server, browser } = await startStack()));
after(() => stopStack({ platforms, server, browser }));

function verifiedClaims(token) {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', LIVEKIT_API_SECRET).update(`${header}.${payload}`).digest('base64url');
  assert.equal(signature, expected, 'signed with LIVEKIT_API_SECRET');
  return JSON.parse(Buffer.from(payload, 'base64url'));
}

test('a LiveKit room connects to the server with a token for its meeting', async () => {
  const owner = await (await browser.newContext()).newPage();
  await signInAsAdmin(owner, server.url);
  const created = await owner.request.post(`${server.url}/v1/rooms`, { data: { name: 'lk-standup', platform: 'livekit' } });
  assert.equal(created.status(), 200, await created.text());

  const visitor = await (await browser.newContext()).newPage();
  const scripts = [];
  visitor.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
  await visitor.goto(`${server.url}/lk-standup`);
  await visitor.getByRole('toolbar', { name: 'Call controls' }).waitFor();
  await visitor.getByText('The call could not start').waitFor({ timeout: 20_000 });
  assert.ok(scripts.includes('/vendor/livekit-client.js'), scripts.join(', '));
  assert.ok(!scripts.includes('/vendor/daily.js') && !scripts.includes('/vendor/whereby-embed.js'));

  const made = platforms.requests.find((r) => r.path === '/livekit/twirp/livekit.RoomService/CreateRoom');
  assert.ok(made, 'the meeting was made over Twirp');
  const apiToken = verifiedClaims(made.auth.replace(/^Bearer /, ''));
  assert.equal(apiToken.iss, 'APIe2e');
  assert.equal(apiToken.video.roomCreate, true);

  const attempt = platforms.requests.find((r) => r.method === 'UPGRADE' && r.path.startsWith('/livekit/rtc'));
  assert.ok(attempt, `the page connected to the LiveKit server: ${JSON.stringify(platforms.requests.map((r) => r.path))}`);
  const claims = verifiedClaims(attempt.query.access_token);
  assert.equal(claims.iss, 'APIe2e');
  assert.equal(claims.video.room, made.body.name, 'a token for this meeting’s room');
  assert.equal(claims.video.roomJoin, true);
  assert.equal(claims.video.roomAdmin, false, 'a visitor is no admin');
  assert.match(claims.sub, /^guest-[0-9a-f]{6}$/);
  await visitor.screenshot({ path: screenshotPath('livekit-1-room'), fullPage: true });

  // The call's own controls: nothing to mute before joining; leaving always works.
  const controls = visitor.getByRole('toolbar', { name: 'Call controls' });
  assert.equal(await controls.getByRole('button', { name: 'Mute' }).isDisabled(), true);
  assert.equal(await controls.getByRole('button', { name: 'Stop camera' }).isDisabled(), true);
  assert.equal(await controls.getByRole('button', { name: 'Leave' }).isEnabled(), true);
});
