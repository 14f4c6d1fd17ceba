//! Real-world feeds (as Google Calendar, Outlook/Exchange and iCloud export
//! them) expand to the expected instances within the sync window, and the
//! room's are told apart from the rest.

use app::server::calendar::feed::{instances, EventInstance, Window};
use app::server::calendar::matching::names_room;
use chrono::{DateTime, Duration, Utc};

const ROOM: &str = "https://rooms.example.test/team-sync";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn window() -> Window {
    let now = at("2026-11-30T12:00:00Z");
    Window {
        from: now - Duration::hours(1),
        until: now + Duration::hours(24),
    }
}

/// (uid, start, end, title, belongs to the room) of each instance kept.
fn summary(feed: &[u8]) -> Vec<(String, String, String, String, bool)> {
    let found: Vec<EventInstance> = instances(feed, &window()).unwrap();
    found
        .iter()
        .filter(|instance| !instance.cancelled)
        .map(|instance| {
            (
                instance.uid.clone(),
                instance.start.to_rfc3339(),
                instance.end.to_rfc3339(),
                instance.title.clone().unwrap_or_default(),
                names_room(ROOM, instance),
            )
        })
        .collect()
}

fn row(uid: &str, start: &str, end: &str, title: &str, ours: bool) -> (String, String, String, String, bool) {
    (
        uid.into(),
        at(start).to_rfc3339(),
        at(end).to_rfc3339(),
        title.into(),
        ours,
    )
}

#[test]
fn a_google_calendar_feed() {
    let feed = include_bytes!("testdata/calendars/google.ics");
    let mut got = summary(feed);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        vec![
            row(
                "0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com",
                "2026-11-30T15:00:00Z",
                "2026-11-30T15:45:00Z",
                "Réunion d'équipe – café ☕",
                true
            ),
            row(
                "9z8y7x6w5v4u3t2s1r0q9p8o7n@google.com",
                "2026-11-30T16:00:00Z",
                "2026-11-30T16:30:00Z",
                "Sync with the data team",
                false
            ),
            // All day in the calendar's own zone (X-WR-TIMEZONE: Europe/Berlin).
            row(
                "6h2j8k4l0m1n3p5q7r9s2t4u6v@google.com",
                "2026-11-30T23:00:00Z",
                "2026-12-01T23:00:00Z",
                "Release freeze",
                false
            ),
            row(
                "3q9v7m2k5d8n1b4c6x0z7l2p9r@google.com",
                "2026-12-01T08:15:00Z",
                "2026-12-01T08:45:00Z",
                "Team Sync",
                true
            ),
        ]
    );
    let all = instances(feed, &window()).unwrap();
    let moved = all
        .iter()
        .find(|i| i.title.as_deref() == Some("Team Sync"))
        .unwrap();
    assert_eq!(
        moved.instance_key, "2026-12-01T11:30:00Z",
        "the moved occurrence keeps its original start as its key"
    );
    let freeze = all
        .iter()
        .find(|i| i.title.as_deref() == Some("Release freeze"))
        .unwrap();
    assert!(freeze.all_day);
}

#[test]
fn an_outlook_feed_with_windows_time_zones() {
    let feed = include_bytes!("testdata/calendars/outlook.ics");
    let mut got = summary(feed);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    // Exchange UIDs are long: compare their distinct ends.
    for (uid, ..) in &mut got {
        assert!(uid.starts_with("040000008200E00074C5B7101A82E008"), "{uid}");
        *uid = uid[uid.len() - 32..].to_owned();
    }
    assert_eq!(
        got,
        vec![
            row(
                "DEADBEEF00112233445566778899AABB",
                "2026-11-30T12:00:00Z",
                "2026-11-30T13:00:00Z",
                "Mittagessen mit Anna",
                false
            ),
            row(
                "112233445566778899AABBCCDDEEFF00",
                "2026-11-30T16:00:00Z",
                "2026-11-30T16:30:00Z",
                "Sync with Seattle office",
                true
            ),
            row(
                "A1B2C3D4E5F60718293A4B5C6D7E8F90",
                "2026-12-01T08:30:00Z",
                "2026-12-01T08:45:00Z",
                "Daily stand-up",
                true
            ),
            row(
                "F0E1D2C3B4A5968778695A4B3C2D1E0F",
                "2026-12-01T09:30:00Z",
                "2026-12-01T10:15:00Z",
                "Produktplanung Q1",
                true
            ),
        ]
    );
    let all = instances(feed, &window()).unwrap();
    assert!(
        all.iter()
            .any(|i| i.cancelled && i.title.as_deref().is_some_and(|t| t.contains("Budget review"))),
        "the cancelled event is seen, and marked"
    );
    let planning = all
        .iter()
        .find(|i| i.title.as_deref() == Some("Produktplanung Q1"))
        .unwrap();
    let emails: Vec<&str> = planning
        .attendees
        .iter()
        .filter_map(|a| a.email.as_deref())
        .collect();
    assert!(
        emails.len() >= 4,
        "one ATTENDEE listing three addresses is three people: {emails:?}"
    );
    assert!(emails.iter().all(|email| email.contains('@')));
    assert!(planning
        .attendees
        .iter()
        .any(|a| a.name.as_deref() == Some("Léa Fischer") && a.status.as_deref() == Some("TENTATIVE")));
}

#[test]
fn an_icloud_feed_with_rdates_and_no_dtend() {
    let feed = include_bytes!("testdata/calendars/icloud.ics");
    let mut got = summary(feed);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        vec![
            row(
                "C0FFEE42-1D2E-4F3A-8B9C-0D1E2F3A4B5C",
                "2026-11-30T16:30:00Z",
                "2026-11-30T17:30:00Z",
                "Coffee chat ☕ with Sam",
                true
            ),
            row(
                "D3C0A000-5E77-4C1A-9B2D-7E0F1A2B3C4D",
                "2026-11-30T18:00:00Z",
                "2026-11-30T18:30:00Z",
                "Vendor call",
                false
            ),
            row(
                "5A1F3C2E-8B4D-4E6F-9A0B-1C2D3E4F5A6B",
                "2026-11-30T19:30:00Z",
                "2026-11-30T20:30:00Z",
                "Design review",
                true
            ),
        ]
    );
}

#[test]
fn what_is_not_a_calendar_is_refused_not_a_panic() {
    for garbage in [
        &b""[..],
        b"hello",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n",
        b"\xff\xfe\x00junk",
    ] {
        let _ = instances(garbage, &window());
    }
    assert!(instances(b"<html>not found</html>", &window()).is_err());
}
