// Fake Daily, Whereby and LiveKit (Twirp) APIs on loopback, answering like
// the real ones, plus a stand-in Daily room page for the call iframe, a
// LiveKit signalling endpoint that only notes who tried to connect, and a
// stand-in for a Jitsi deployment's external_api.js. Every request is kept
// so tests can check what the server asked for.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

export async function startFakePlatforms({ dailyDown = false } = {}) {
  const requests = [];
  const dailyRooms = [];
  // Finished Daily recordings by id: the bytes their access link serves.
  const recordingFiles = new Map();
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const url = new URL(request.url, 'http://fake');
    const json = body && !url.pathname.startsWith('/files/') ? JSON.parse(body) : null;
    requests.push({ method: request.method, path: url.pathname, body: json, auth: request.headers.authorization });
    const send = (status, payload) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    const base = `http://127.0.0.1:${server.address().port}`;

    if (request.method === 'POST' && url.pathname === '/daily/v1/rooms' && dailyDown) {
      return send(503, { error: 'service-unavailable', info: 'Daily is down for maintenance' });
    }
    if (request.method === 'POST' && url.pathname === '/daily/v1/rooms') {
      const id = randomUUID();
      dailyRooms.push({ id, name: json.name });
      return send(200, {
        id,
        name: json.name,
        api_created: true,
        privacy: json.privacy,
        url: `${base}/daily-room/${json.name}`,
        created_at: new Date().toISOString(),
        config: json.properties,
      });
    }
    if (request.method === 'POST' && url.pathname === '/daily/v1/meeting-tokens') {
      return send(200, { token: `fake-token-${randomUUID()}` });
    }
    if (request.method === 'GET' && /^\/daily\/v1\/rooms\/[^/]+\/presence$/.test(url.pathname)) {
      return send(200, { total_count: 0, data: [] });
    }
    if (request.method === 'POST' && /^\/daily\/v1\/rooms\/[^/]+\/recordings\/start$/.test(url.pathname)) {
      return send(200, { recordingId: randomUUID() });
    }
    const accessLink = url.pathname.match(/^\/daily\/v1\/recordings\/([^/]+)\/access-link$/);
    if (request.method === 'GET' && accessLink && recordingFiles.has(accessLink[1])) {
      return send(200, { download_link: `${base}/files/${accessLink[1]}`, expires: Math.floor(Date.now() / 1000) + 3600 });
    }
    const file = url.pathname.match(/^\/files\/([^/]+)$/);
    if (request.method === 'GET' && file && recordingFiles.has(file[1])) {
      const bytes = recordingFiles.get(file[1]);
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      return response.end(bytes);
    }
    if (request.method === 'GET' && url.pathname.startsWith('/daily-room/')) {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end('<!doctype html><title>Fake Daily room</title><body style="background:#223;color:#fff;font:20px sans-serif"><p>Fake Daily call</p></body>');
    }
    if (request.method === 'POST' && url.pathname === '/livekit/twirp/livekit.RoomService/CreateRoom') {
      return send(200, { sid: `RM_${randomUUID().slice(0, 12)}`, name: json.name, empty_timeout: json.empty_timeout });
    }
    if (request.method === 'GET' && url.pathname === '/livekit/rtc/validate') {
      return send(503, { error: 'the fake LiveKit server speaks no WebRTC' });
    }
    if (request.method === 'GET' && url.pathname === '/jitsi/external_api.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      return response.end(FAKE_JITSI_EXTERNAL_API);
    }
    if (request.method === 'POST' && url.pathname === '/whereby/v1/meetings') {
      const name = `${json.roomNamePrefix ?? ''}${randomUUID()}`;
      return send(201, {
        meetingId: String(Math.floor(Math.random() * 1e9)),
        roomName: `/${name}`,
        roomUrl: `https://e2e-fake.whereby.com/${name}`,
        hostRoomUrl: `https://e2e-fake.whereby.com/${name}?roomKey=host-key`,
        startDate: new Date().toISOString(),
        endDate: json.endDate,
      });
    }
    send(404, { error: `fake platforms: no route for ${request.method} ${url.pathname}` });
  });
  // Browsers open LiveKit's signalling WebSocket here; the fake keeps the
  // attempt (with its access token) and hangs up.
  server.on('upgrade', (request, socket) => {
    const url = new URL(request.url, 'http://fake');
    requests.push({ method: 'UPGRADE', path: url.pathname, query: Object.fromEntries(url.searchParams) });
    socket.destroy();
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    requests,
    dailyRooms,
    recordingFiles,
    env: {
      DAILY_API_URL: `${base}/daily/v1`,
      DAILY_API_KEY: 'fake-daily-key',
      DAILY_SUBDOMAIN: 'e2e',
      WHEREBY_API_URL: `${base}/whereby/v1`,
      WHEREBY_API_KEY: 'fake-whereby-key',
      LIVEKIT_URL: `${base}/livekit`,
      LIVEKIT_API_KEY: 'APIe2e',
      LIVEKIT_API_SECRET: LIVEKIT_API_SECRET,
      JITSI_URL: `${base}/jitsi`,
      JITSI_APP_ID: 'reflector-e2e',
      JITSI_APP_SECRET: JITSI_APP_SECRET,
    },
    stop: () => new Promise((done) => server.close(done)),
  };
}

export const JITSI_APP_SECRET = 'e2e-jitsi-app-secret';
export const LIVEKIT_API_SECRET = 'e2e-livekit-api-secret-0000000000';

// Jitsi's External API as far as the room page uses it: it remembers what it
// was given (window.fakeJitsi), shows a frame, and can be hung up on.
const FAKE_JITSI_EXTERNAL_API = `
window.JitsiMeetExternalAPI = class {
  constructor(domain, options) {
    this.listeners = {};
    this.frame = document.createElement('iframe');
    this.frame.title = 'Jitsi Meet';
    this.frame.srcdoc = '<p>Fake Jitsi call in ' + options.roomName + '</p>';
    this.frame.style.width = options.width;
    this.frame.style.height = options.height;
    options.parentNode.appendChild(this.frame);
    window.fakeJitsi = { domain, roomName: options.roomName, jwt: options.jwt, api: this, disposed: false };
  }
  addListener(event, handler) { this.listeners[event] = handler; }
  hangUp() { this.listeners.readyToClose && this.listeners.readyToClose({}); }
  dispose() { this.frame.remove(); window.fakeJitsi.disposed = true; }
};
`;
