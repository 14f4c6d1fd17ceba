//! What a participant opening `/{room}` or `/{room}/{meeting}` gets, in one
//! call: the call to join (with this visitor's join URL) or, when there is a
//! choice to make, what to choose from: several live meetings, or a
//! calendar room's schedule (what is on, what comes next).

use chrono::{DateTime, Duration, Utc};

use super::meetings::{active_for_room, get_or_create, join};
use super::rooms::room_named;
use crate::server::auth::Caller;
use crate::server::{AppError, AppState};
use crate::types::{CallDetails, Meeting, MeetingChoice, RecordingType, Room, RoomVisit, UpcomingChoice};

/// How far ahead a calendar room's page shows events.
const SCHEDULE_AHEAD: Duration = Duration::hours(24);
const SCHEDULE_LENGTH: usize = 10;

/// `start_now`: the visitor chose to start (or join) a meeting rather than
/// look at the schedule.
pub async fn open(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
    meeting_id: Option<&str>,
    start_now: bool,
) -> Result<RoomVisit, AppError> {
    let room = room_named(state, room_name).await?;
    let meeting_id = match meeting_id {
        Some(id) => id.to_owned(),
        None => {
            let now = Utc::now();
            let active = active_for_room(state, caller, room_name).await?;
            let (live, pending): (Vec<Meeting>, Vec<Meeting>) =
                active.into_iter().partition(|meeting| meeting.start_date <= now);
            if has_calendar(&room) && !start_now {
                return schedule(state, &room, live, pending, now).await;
            }
            if live.len() > 1 && !start_now {
                return Ok(choosing(&room, &live, Vec::new()));
            }
            get_or_create(state, caller, room_name, false).await?.id
        }
    };
    let meeting = join(state, caller, room_name, &meeting_id).await?;
    let failover_notice = meeting.failover_notice();
    Ok(RoomVisit {
        room_name: room.name.clone(),
        call: Some(CallDetails {
            failover_notice,
            room_name: room.name,
            meeting_id: meeting.id,
            platform: meeting.platform,
            join_url: meeting.room_url,
            records_to_cloud: meeting.recording_type == RecordingType::Cloud,
            // The room's current setting, as Reflector reads it: a change applies at once.
            skip_consent: room.skip_consent,
            store_video: meeting.store_video,
        }),
        choices: Vec::new(),
        upcoming: Vec::new(),
        can_start: false,
    })
}

fn has_calendar(room: &Room) -> bool {
    room.ics_enabled && room.ics_url.is_some()
}

/// A calendar room: its live meetings, then what comes next: the meetings
/// made ahead of their event, and the events whose meeting is not made yet.
async fn schedule(
    state: &AppState,
    room: &Room,
    live: Vec<Meeting>,
    pending: Vec<Meeting>,
    now: DateTime<Utc>,
) -> Result<RoomVisit, AppError> {
    let events = state
        .store
        .calendar_events(&room.id, Some(now), Some(now + SCHEDULE_AHEAD))
        .await?;
    let with_meeting = |event_id: &str| {
        live.iter()
            .chain(&pending)
            .any(|meeting| meeting.calendar_event_id.as_deref() == Some(event_id))
    };
    let mut upcoming: Vec<UpcomingChoice> = pending
        .iter()
        .map(|meeting| UpcomingChoice {
            title: title_of(meeting),
            starts_at: meeting.start_date.timestamp_millis(),
            ends_at: meeting.end_date.timestamp_millis(),
            meeting_id: Some(meeting.id.clone()),
        })
        .chain(
            events
                .into_iter()
                .filter(|event| !with_meeting(&event.id))
                .map(|event| UpcomingChoice {
                    title: event.shown_title(),
                    starts_at: event.start_time.timestamp_millis(),
                    ends_at: event.end_time.timestamp_millis(),
                    meeting_id: None,
                }),
        )
        .collect();
    upcoming.sort_by_key(|choice| choice.starts_at);
    upcoming.truncate(SCHEDULE_LENGTH);
    Ok(choosing(room, &live, upcoming))
}

fn choosing(room: &Room, live: &[Meeting], upcoming: Vec<UpcomingChoice>) -> RoomVisit {
    RoomVisit {
        room_name: room.name.clone(),
        call: None,
        choices: live.iter().map(choice).collect(),
        can_start: live.is_empty(),
        upcoming,
    }
}

fn title_of(meeting: &Meeting) -> String {
    meeting
        .calendar_metadata
        .as_ref()
        .and_then(|metadata| metadata.get("title"))
        .and_then(|title| title.as_str())
        .unwrap_or("Live meeting")
        .to_owned()
}

fn choice(meeting: &Meeting) -> MeetingChoice {
    MeetingChoice {
        meeting_id: meeting.id.clone(),
        title: title_of(meeting),
        started_at: meeting.start_date.timestamp_millis(),
        participants: meeting.num_clients,
    }
}
