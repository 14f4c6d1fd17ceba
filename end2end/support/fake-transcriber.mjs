// An OpenAI-compatible transcription service on loopback
// (`POST /v1/audio/transcriptions`, verbose_json with words) that says what
// the test scripts, whatever the audio.
import { createServer } from 'node:http';

export async function startFakeTranscriber(segments) {
  const server = createServer(async (request, response) => {
    for await (const _ of request) {
      // the audio itself does not matter
    }
    if (request.method !== 'POST' || request.url !== '/v1/audio/transcriptions') {
      response.writeHead(404).end();
      return;
    }
    const words = (segment) => {
      const list = segment.text.split(' ');
      const step = (segment.end - segment.start) / list.length;
      return list.map((word, i) => ({ word, start: segment.start + i * step, end: segment.start + (i + 1) * step }));
    };
    const body = {
      task: 'transcribe',
      language: 'english',
      duration: Math.max(...segments.map((s) => s.end)),
      text: segments.map((s) => s.text).join(' '),
      segments: segments.map((s, id) => ({ id, start: s.start, end: s.end, text: s.text })),
      words: segments.flatMap(words),
    };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((done) => server.close(done)),
  };
}
