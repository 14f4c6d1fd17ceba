// A room webhook receiver on loopback: keeps what arrives and answers from a
// script (a status per request, then 200).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

// Whether `X-Webhook-Signature` signs this raw body with `secret`, checked as
// the README tells receivers to.
export function signedWith(request, secret) {
  const fields = Object.fromEntries(
    (request.headers['x-webhook-signature'] ?? '').split(',').map((part) => part.split('=', 2)),
  );
  if (!fields.t || !fields.v1) return false;
  const expected = createHmac('sha256', secret).update(`${fields.t}.`).update(request.body).digest();
  const given = Buffer.from(fields.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startWebhookReceiver() {
  const received = [];
  const script = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: request.headers, body, json: JSON.parse(body.toString('utf8')) });
      const status = script.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status === 200 ? 'thanks' : `answered ${status}`);
    });
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    answer(...statuses) {
      script.push(...statuses);
    },
    stop: () => new Promise((done) => server.close(done)),
  };
}
