use super::{relative_time, RoomOverview};

/// What a room is doing, as the start page and the rooms list say it: live
/// with how many people and since when, else its calendar's next event.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomNow {
    pub live: bool,
    pub words: String,
    /// The instant the words speak of, for the exact time on hover.
    pub at: Option<i64>,
}

pub fn room_now(entry: &RoomOverview, now_ms: i64) -> RoomNow {
    let people = match entry.participants {
        0 => "nobody in yet".to_owned(),
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    };
    // A calendar meeting opens a few minutes before its event, which is its
    // start: until then it "starts", not "started".
    let since = |prefix: &str| match entry.live_since {
        Some(since) if since > now_ms => format!(" · starts {}", relative_time(since, now_ms)),
        Some(since) => format!(" · {prefix} {}", relative_time(since, now_ms)),
        None => String::new(),
    };
    match (entry.live_meetings, &entry.next_event) {
        (1, _) => RoomNow {
            live: true,
            words: format!("Live · {people}{}", since("started")),
            at: entry.live_since,
        },
        (meetings, _) if meetings > 1 => RoomNow {
            live: true,
            words: format!(
                "{meetings} live meetings · {people}{}",
                since("the first started")
            ),
            at: entry.live_since,
        },
        (_, Some(next)) if next.starts_at > now_ms => RoomNow {
            live: false,
            words: format!("Next: {} {}", next.title, relative_time(next.starts_at, now_ms)),
            at: Some(next.starts_at),
        },
        (_, Some(next)) => RoomNow {
            live: false,
            words: format!(
                "On the calendar now: {} (began {})",
                next.title,
                relative_time(next.starts_at, now_ms)
            ),
            at: Some(next.starts_at),
        },
        (_, None) => RoomNow {
            live: false,
            words: "No meeting now".to_owned(),
            at: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{NewRoom, NextEvent, Platform};

    const NOW: i64 = 1_800_000_000_000;
    const MINUTE: i64 = 60_000;

    fn entry(live_meetings: i64, participants: i64) -> RoomOverview {
        RoomOverview {
            room: NewRoom::with_defaults("standup", "u", Platform::Daily).into_room("r1", chrono::Utc::now()),
            is_owner: true,
            live_meetings,
            participants,
            live_since: (live_meetings > 0).then_some(NOW - 12 * MINUTE),
            recordings: 0,
            next_event: None,
            failover_notice: None,
        }
    }

    fn with_event(starts_in_minutes: i64) -> RoomOverview {
        RoomOverview {
            next_event: Some(NextEvent {
                title: "Planning".into(),
                starts_at: NOW + starts_in_minutes * MINUTE,
            }),
            ..entry(0, 0)
        }
    }

    #[test]
    fn live_rooms_say_who_is_in_and_since_when() {
        let words = |live, people| room_now(&entry(live, people), NOW).words;
        assert_eq!(words(1, 0), "Live · nobody in yet · started 12 min ago");
        assert_eq!(words(1, 1), "Live · 1 person · started 12 min ago");
        assert_eq!(words(1, 3), "Live · 3 people · started 12 min ago");
        assert_eq!(
            words(2, 5),
            "2 live meetings · 5 people · the first started 12 min ago"
        );
        assert!(room_now(&entry(1, 3), NOW).live);
        assert_eq!(room_now(&entry(1, 3), NOW).at, Some(NOW - 12 * MINUTE));
    }

    #[test]
    fn a_meeting_open_before_its_event_says_when_it_starts() {
        let early = RoomOverview {
            live_since: Some(NOW + 5 * MINUTE),
            ..entry(1, 0)
        };
        assert_eq!(
            room_now(&early, NOW).words,
            "Live · nobody in yet · starts in 5 min"
        );
    }

    #[test]
    fn a_live_meeting_comes_before_the_calendar() {
        let busy = RoomOverview {
            live_meetings: 1,
            participants: 2,
            ..with_event(20)
        };
        assert!(room_now(&busy, NOW).words.starts_with("Live · 2 people"));
    }

    #[test]
    fn quiet_rooms_say_what_the_calendar_holds() {
        let next = room_now(&with_event(20), NOW);
        assert_eq!(next.words, "Next: Planning in 20 min");
        assert_eq!((next.live, next.at), (false, Some(NOW + 20 * MINUTE)));
        assert_eq!(
            room_now(&with_event(-5), NOW).words,
            "On the calendar now: Planning (began 5 min ago)"
        );
        assert_eq!(room_now(&entry(0, 0), NOW).words, "No meeting now");
        assert_eq!(room_now(&entry(0, 0), NOW).at, None);
    }
}
