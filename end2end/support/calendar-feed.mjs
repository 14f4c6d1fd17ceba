// An ICS calendar served on loopback, whose body a test changes at will.
import { createServer } from 'node:http';

function icsTime(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// One VEVENT, starting `startsIn` minutes from now (whole minutes).
export function calendarEvent({ uid, title, startsIn, minutes, location }) {
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + startsIn * 60_000);
  const end = new Date(start.getTime() + minutes * 60_000);
  return [
    'BEGIN:VEVENT',
    `UID:${uid}@e2e.example.com`,
    `DTSTAMP:${icsTime(new Date())}`,
    `DTSTART:${icsTime(start)}`,
    `DTEND:${icsTime(end)}`,
    `SUMMARY:${title}`,
    `LOCATION:${location}`,
    'END:VEVENT',
  ].join('\r\n');
}

export function calendarOf(events) {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//e2e//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

export async function startCalendarFeed() {
  let body = calendarOf([]);
  let fetches = 0;
  const server = createServer((request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
    response.end(body);
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${server.address().port}/calendar.ics`,
    set(text) {
      body = text;
    },
    fetches: () => fetches,
    stop: () => new Promise((done) => server.close(done)),
  };
}
