use chrono::{Duration, TimeZone, Utc};

use super::{verdict, Presence, Verdict, PRESENCE_LAG_GRACE};
use crate::server::platforms::SessionData;
use crate::types::{Meeting, Platform, RecordingTrigger, RecordingType, RoomMode};

fn meeting(started_minutes_ago: i64, ends_in_minutes: i64, scheduled: bool) -> Meeting {
    let now = now();
    Meeting {
        id: "m".into(),
        room_name: "r".into(),
        room_url: String::new(),
        host_room_url: String::new(),
        start_date: now - Duration::minutes(started_minutes_ago),
        end_date: now + Duration::minutes(ends_in_minutes),
        room_id: None,
        is_locked: false,
        room_mode: RoomMode::Normal,
        recording_type: RecordingType::None,
        recording_trigger: RecordingTrigger::None,
        num_clients: 0,
        is_active: true,
        calendar_event_id: scheduled.then(|| "event".into()),
        calendar_metadata: None,
        platform: Platform::Daily,
        daily_composed_video_s3_key: None,
        daily_composed_video_duration: None,
        store_video: false,
        failover_from: None,
        failover_reason: None,
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

fn session(live: bool) -> SessionData {
    SessionData {
        session_id: "s".into(),
        started_at: Some(now() - Duration::minutes(5)),
        ended_at: (!live).then(now),
        user_id: None,
        user_name: None,
    }
}

/// The verdict when we recorded `recorded` sessions, none of them open.
fn decide(meeting: &Meeting, platform: Option<&[SessionData]>, recorded: i64) -> Verdict {
    let presence = Presence {
        open_since: &[],
        sessions_recorded: recorded,
        platform_sessions: platform,
        scheduled_end: meeting.end_date,
    };
    verdict(meeting, presence, now())
}

#[test]
fn a_platform_that_cannot_be_asked_never_closes_a_meeting() {
    let long_over = meeting(600, -300, false);
    assert!(matches!(decide(&long_over, None, 3), Verdict::Keep(_)));
}

#[test]
fn live_participants_keep_a_meeting_open_even_past_its_end() {
    assert!(matches!(
        decide(&meeting(600, -60, false), Some(&[session(true)]), 1),
        Verdict::Keep(_)
    ));
}

#[test]
fn a_meeting_everyone_left_is_closed() {
    assert_eq!(
        decide(&meeting(10, 60, false), Some(&[session(false)]), 1),
        Verdict::Close("everyone left")
    );
    // Daily's presence lists only who is there now: our recorded sessions tell it was used.
    assert_eq!(
        decide(&meeting(10, 60, false), Some(&[]), 2),
        Verdict::Close("everyone left")
    );
}

#[test]
fn an_unused_on_the_fly_meeting_is_closed_after_30_minutes() {
    assert!(matches!(
        decide(&meeting(29, 60, false), Some(&[]), 0),
        Verdict::Keep(_)
    ));
    assert_eq!(
        decide(&meeting(31, 60, false), Some(&[]), 0),
        Verdict::Close("unused for 30 minutes")
    );
}

#[test]
fn an_unused_scheduled_meeting_waits_until_its_end() {
    assert!(matches!(
        decide(&meeting(45, 60, true), Some(&[]), 0),
        Verdict::Keep(_)
    ));
    assert_eq!(
        decide(&meeting(45, -1, true), Some(&[]), 0),
        Verdict::Close("past its end")
    );
}

#[test]
fn a_session_that_just_joined_keeps_the_meeting_although_the_platform_lags() {
    let meeting = meeting(40, 60, false);
    let joined = [now() - Duration::seconds(20)];
    let fresh = Presence {
        open_since: &joined,
        sessions_recorded: 1,
        platform_sessions: Some(&[]),
        scheduled_end: meeting.end_date,
    };
    assert_eq!(
        verdict(&meeting, fresh, now()),
        Verdict::Keep("someone joined moments ago")
    );
    // Once the platform had time to see them, its word counts: they left.
    let joined = [now() - PRESENCE_LAG_GRACE - Duration::seconds(1)];
    let stale = Presence {
        open_since: &joined,
        ..fresh
    };
    assert_eq!(verdict(&meeting, stale, now()), Verdict::Close("everyone left"));
    // And a platform that cannot be asked still never closes it.
    let unknown = Presence {
        platform_sessions: None,
        ..stale
    };
    assert!(matches!(verdict(&meeting, unknown, now()), Verdict::Keep(_)));
}

#[test]
fn a_calendar_meeting_ends_with_its_event_unless_someone_is_in_it() {
    // Joinable until 8 hours after the event, for people who run over.
    let meeting = meeting(90, 8 * 60 - 30, true);
    let event_over = now() - Duration::minutes(30);
    let nobody_came = Presence {
        open_since: &[],
        sessions_recorded: 0,
        platform_sessions: Some(&[]),
        scheduled_end: event_over,
    };
    assert_eq!(
        verdict(&meeting, nobody_came, now()),
        Verdict::Close("past its end")
    );
    let running_over = Presence {
        platform_sessions: Some(&[session(true)]),
        sessions_recorded: 3,
        ..nobody_came
    };
    assert_eq!(
        verdict(&meeting, running_over, now()),
        Verdict::Keep("participants are in the call")
    );
    let before_its_end = Presence {
        scheduled_end: now() + Duration::minutes(10),
        ..nobody_came
    };
    assert!(matches!(
        verdict(&meeting, before_its_end, now()),
        Verdict::Keep(_)
    ));
}
