//! Property-based fuzzing of the calendar feed reader: any bytes, and real
//! feeds with any line changed or any property given any value, are read
//! or refused, never a panic; a rule that ticks every second for decades
//! still ends.

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::feed::{instances, Window};

const FEEDS: [&[u8]; 3] = [
    include_bytes!("../../../../tests/server/testdata/calendars/google.ics"),
    include_bytes!("../../../../tests/server/testdata/calendars/outlook.ics"),
    include_bytes!("../../../../tests/server/testdata/calendars/icloud.ics"),
];

fn window() -> Window {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    Window {
        from: now - Duration::hours(1),
        until: now + Duration::hours(24),
    }
}

/// Values that break assumptions about calendar properties.
fn odd_value() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,60}",
        "[0-9TZ]{0,20}",
        Just("FREQ=SECONDLY;INTERVAL=0".to_owned()),
        Just("FREQ=YEARLY;BYMONTH=13;BYMONTHDAY=32".to_owned()),
        Just("FREQ=DAILY;UNTIL=19000101".to_owned()),
        Just("FREQ=WEEKLY;COUNT=999999999999".to_owned()),
        Just("99999999T999999".to_owned()),
        Just("20261301T250000Z".to_owned()),
        Just("P99999999W".to_owned()),
        Just("-P1D".to_owned()),
        Just(String::new()),
    ]
}

/// Found by the line fuzzing: a folded line put a non-ASCII character into
/// BYDAY, and the rrule crate sliced it mid-character.
#[test]
fn a_rule_with_non_ascii_text_is_refused_not_a_panic() {
    let feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261130T120000Z\r\n\
                DTEND:20261130T130000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=FR\r\n\t\u{800}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let _ = instances(feed.as_bytes(), &window());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::server::fuzz_cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_read_or_refused(feed in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = instances(&feed, &window());
    }

    #[test]
    fn any_line_of_a_real_feed_replaced_is_read_or_refused(
        which in 0usize..3,
        line in any::<prop::sample::Index>(),
        replacement in ".{0,80}",
    ) {
        let text = String::from_utf8_lossy(FEEDS[which]);
        let mut lines: Vec<String> = text.split("\r\n").map(str::to_owned).collect();
        let at = line.index(lines.len());
        lines[at] = replacement;
        let _ = instances(lines.join("\r\n").as_bytes(), &window());
    }

    #[test]
    fn any_property_given_any_value_is_read_or_refused(
        which in 0usize..3,
        property in prop_oneof![
            Just("DTSTART"), Just("DTEND"), Just("DURATION"), Just("RRULE"), Just("RDATE"),
            Just("EXDATE"), Just("RECURRENCE-ID"), Just("STATUS"), Just("ATTENDEE"), Just("TZID"),
        ],
        value in odd_value(),
    ) {
        let text = String::from_utf8_lossy(FEEDS[which]);
        let changed: Vec<String> = text
            .split("\r\n")
            .map(|line| match line.split_once(':') {
                Some((name, _)) if name.split(';').next() == Some(property) => format!("{name}:{value}"),
                _ => line.to_owned(),
            })
            .collect();
        let _ = instances(changed.join("\r\n").as_bytes(), &window());
    }
}

#[test]
fn a_rule_ticking_every_second_for_decades_still_ends() {
    let feed = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:busy\r\nDTSTART:19900101T000000Z\r\nDTEND:19900101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let started = std::time::Instant::now();
    let found = instances(feed.as_bytes(), &window()).unwrap();
    assert!(found.is_empty(), "gave up before reaching the window");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
