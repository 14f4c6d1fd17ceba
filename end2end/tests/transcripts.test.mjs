// Transcripts in Chromium: a Daily recording arrives by signed webhook, is
// stored and transcribed by a (scripted) OpenAI-compatible service; the
// owner finds it from the room's recordings, reads it, clicks a line and the
// player jumps there; the Transcripts page finds it with the match
// highlighted, also filtered by room.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotPath, watchForErrors } from '../support/browser.mjs';
import { startFakePlatforms } from '../support/fake-platforms.mjs';
import { startFakeTranscriber } from '../support/fake-transcriber.mjs';
import { adminEnv, signInAsAdmin } from '../support/admin.mjs';
import { startServer } from '../support/server.mjs';

const DAILY_SECRET = Buffer.from('e2e-daily-webhook-secret-32-bytes!!').toString('base64');
const SAID = [
  { start: 0.5, end: 2.5, text: 'The quarterly budget is approved.' },
  { start: 4.0, end: 6.0, text: 'We ship the new release on Friday.' },
];
let platforms;
let transcriber;
let server;
let browser;

before(async () => {
  platforms = await startFakePlatforms();
  transcriber = await startFakeTranscriber(SAID);
  server = await startServer({
    ...adminEnv,
    DAILY_WEBHOOK_SECRET: DAILY_SECRET,
    TRANSCRIPTION_BACKEND: 'openai',
    TRANSCRIPTION_URL: transcriber.url,
    JOB_POLL_INTERVAL_MS: '200',
    ...platforms.env,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await transcriber?.stop();
  await platforms?.stop();
});

/// Seven seconds of a quiet tone, as WAV.
function recordingAudio() {
  return execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i',
    'sine=frequency=220:duration=7', '-ac', '1', '-ar', '16000', '-f', 'wav', 'pipe:1']);
}

async function sendDailyWebhook(event) {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', Buffer.from(DAILY_SECRET, 'base64'))
    .update(`${timestamp}.${body}`).digest('base64');
  const response = await fetch(`${server.url}/v1/daily/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-timestamp': timestamp, 'x-webhook-signature': signature },
    body,
  });
  assert.equal(response.status, 200, await response.text());
}

test('a recorded meeting becomes a transcript people read, play from a line and find', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchForErrors(page);
  await signInAsAdmin(page, server.url);

  // A Daily room with a meeting whose recording Daily announces.
  let response = await page.request.post(`${server.url}/v1/rooms`, { data: { name: 'planning', platform: 'daily' } });
  assert.equal(response.status(), 200, await response.text());
  response = await page.request.post(`${server.url}/v1/rooms/planning/meeting`, { data: {} });
  const meeting = await response.json();
  // Ada is there throughout, Bob for a while in the middle; then the meeting ends.
  const start = Math.floor(Date.parse(meeting.start_date) / 1000);
  const presence = (type, id, session, name, joinedAt, duration) => sendDailyWebhook({
    version: '1.0.0', type, id, event_ts: joinedAt + (duration ?? 0),
    payload: { room: meeting.room_name, session_id: session, user_id: session, user_name: name, joined_at: joinedAt, duration },
  });
  await presence('participant.joined', 'j-ada', 's-ada', 'Ada', start + 10);
  await presence('participant.joined', 'j-bob', 's-bob', 'Bob', start + 300);
  await presence('participant.left', 'l-bob', 's-bob', 'Bob', start + 300, 240);
  await presence('participant.left', 'l-ada', 's-ada', 'Ada', start + 10, 890);
  await sendDailyWebhook({
    version: '1.0.0', type: 'meeting.ended', id: 'ended-planning', event_ts: start + 900,
    payload: { room: meeting.room_name, meeting_id: 'daily-session-1', start_ts: start, end_ts: start + 900 },
  });
  const recordingId = 'b7c1d1e0-5a0e-4a7e-9d5f-0f5e2f7c3a11';
  platforms.recordingFiles.set(recordingId, recordingAudio());
  await sendDailyWebhook({
    version: '1.0.0', type: 'recording.ready-to-download', id: `rtd-${recordingId}`, event_ts: Date.now() / 1000,
    payload: { type: 'cloud', recording_id: recordingId, room_name: meeting.room_name, start_ts: Math.floor(Date.now() / 1000),
      status: 'finished', duration: 7, s3_key: `e2e/${meeting.room_name}/1764541200000.wav` },
  });
  let transcript;
  for (let i = 0; i < 100 && transcript?.status !== 'completed'; i++) {
    await new Promise((wake) => setTimeout(wake, 200));
    [transcript] = (await (await page.request.get(`${server.url}/v1/transcripts`)).json()).items;
  }
  assert.equal(transcript?.status, 'completed', JSON.stringify(transcript));

  // From the room's recordings to the transcript.
  await page.reload();
  await page.getByRole('row', { name: /planning/ }).getByRole('button', { name: 'Recordings' }).click();
  await page.getByRole('link', { name: 'Read' }).click();
  await page.waitForURL(`${server.url}/transcripts/${transcript.id}`);
  await page.getByRole('heading', { name: /planning/ }).waitFor();
  await page.getByText('The quarterly budget is approved.').waitFor();
  const player = page.locator('audio.transcript-audio');
  await player.waitFor();
  await page.waitForFunction(() => document.querySelector('audio.transcript-audio').readyState >= 1);
  const duration = await player.evaluate((audio) => audio.duration);
  assert.ok(Math.abs(duration - 7) < 0.5, `the player reads the stored audio (${duration} s)`);

  // Clicking the second line plays from where it was said.
  await page.getByRole('button', { name: /00:04 .*new release/ }).click();
  await page.waitForFunction(() => document.querySelector('audio.transcript-audio').currentTime >= 4.0);
  const at = await player.evaluate((audio) => audio.currentTime);
  assert.ok(at >= 4.0 && at < 7, `the player is at the line (${at} s)`);
  await page.locator('.transcript-line.playing', { hasText: 'new release' }).waitFor();
  await player.evaluate((audio) => audio.pause());
  await page.screenshot({ path: screenshotPath('transcripts-1-transcript'), fullPage: true });
  const vtt = await page.getByRole('link', { name: 'WebVTT' }).getAttribute('href');
  response = await page.request.get(`${server.url}${vtt}`);
  assert.match(await response.text(), /00:00:04\.000 --> 00:00:06\.000\nWe ship the new release on Friday\./);

  // The Transcripts page finds it, the matches highlighted.
  await page.getByRole('link', { name: '← All transcripts' }).click();
  await page.waitForURL(`${server.url}/transcripts`);
  await page.getByRole('link', { name: /planning/ }).waitFor();
  await page.getByLabel('Search what was said').fill('budget');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/transcripts\?q=budget/);
  await page.getByText('1 transcript found.').waitFor();
  await page.locator('.snippet mark', { hasText: 'budget' }).waitFor();
  await page.screenshot({ path: screenshotPath('transcripts-2-search'), fullPage: true });
  await page.getByLabel('Room').selectOption({ label: 'planning' });
  await page.getByLabel('Search what was said').fill('"new release"');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/room=/);
  await page.locator('.snippet mark', { hasText: 'new' }).first().waitFor();
  await page.getByLabel('Search what was said').fill('nothing-like-this');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText(/^Nothing found for “nothing-like-this”\. Try fewer or other words/).waitFor();

  // A full load of a search address renders the same results.
  await page.goto(`${server.url}/transcripts?q=fri*`);
  await page.locator('.snippet mark', { hasText: 'Friday' }).waitFor();

  // The start page lists it among the latest transcripts; the room's history has the meeting with it.
  await page.goto(`${server.url}/`);
  await page.getByRole('region', { name: 'Latest transcripts' }).getByRole('link', { name: 'planning' }).waitFor();
  await page.goto(`${server.url}/rooms`);
  await page.getByRole('row', { name: /planning/ }).getByRole('link', { name: 'History' }).click();
  await page.waitForURL(`${server.url}/rooms/planning/history`);
  await page.getByRole('heading', { name: 'History of planning' }).waitFor();
  // The meeting's fifteen minutes as a timeline: Bob's visit sits in the middle of Ada's.
  await page.getByRole('heading', { name: /· 15 min$/ }).waitFor();
  const timeline = page.getByRole('list', { name: 'Who was there (2)' });
  const bar = (name) => timeline.getByRole('listitem').filter({ hasText: name }).locator('.bar').boundingBox();
  const [ada, bob] = [await bar('Ada'), await bar('Bob')];
  assert.ok(bob.x > ada.x + ada.width * 0.25, `Bob came later (${JSON.stringify({ ada, bob })})`);
  assert.ok(bob.x + bob.width < ada.x + ada.width * 0.8, 'and left well before Ada');
  assert.ok(ada.width > bob.width * 3, 'Ada stayed almost four times as long');
  await page.screenshot({ path: screenshotPath('transcripts-3-history'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await timeline.waitFor();
  await page.screenshot({ path: screenshotPath('transcripts-3-history-phone'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('link', { name: 'Transcript', exact: true }).click();
  await page.getByRole('heading', { name: /planning/ }).waitFor();
  await page.screenshot({ path: screenshotPath('transcripts-4-from-history'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
