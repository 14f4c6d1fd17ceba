//! The meetings of calendar events: created a few minutes before the event
//! starts (once per event instance, whatever the number of processes), moved
//! when the event moves before it started, cancelled when the event goes.
//! Once someone is in it, a calendar meeting is the people's: only the
//! lifecycle job ends it, when the event is over and everyone has left.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::server::jobs::JobFailure;
use crate::server::platforms::platform_for_room;
use crate::server::services::meetings::{create_meeting, with_room_lease, Schedule};
use crate::server::store::StoredEvent;
use crate::server::{AppError, AppState};
use crate::types::{Meeting, Room};

/// How long after its event's end a calendar meeting can still be joined
/// (people run over); the lifecycle job ends it sooner once everyone left.
pub const OVERRUN: Duration = Duration::hours(8);

pub async fn prepare(state: &AppState, now: DateTime<Utc>) -> Result<(), JobFailure> {
    let lead = Duration::minutes(state.settings.jobs.calendar_lead_minutes);
    for event in state
        .store
        .calendar_events_without_meeting(now, now + lead)
        .await?
    {
        let Some(room) = state.store.room_by_id(&event.room_id).await? else {
            continue;
        };
        match create_for_event(state, &room, &event).await {
            Ok(Some(meeting)) => {
                tracing::info!(room = %room.name, meeting = %meeting.id, event = %event.id, "calendar meeting created")
            }
            Ok(None) => {}
            // The next check (seconds away) tries again.
            Err(error) => {
                tracing::warn!(room = %room.name, event = %event.id, %error, "calendar meeting not created")
            }
        }
    }
    follow_event_changes(state, now).await?;
    Ok(())
}

/// Creates the event's meeting, under the room's lease, unless one exists.
async fn create_for_event(
    state: &AppState,
    room: &Room,
    event: &StoredEvent,
) -> Result<Option<Meeting>, AppError> {
    with_room_lease(state, room, async {
        if state.store.meeting_for_calendar_event(&event.id).await?.is_some() {
            return Ok(None);
        }
        let schedule = Schedule {
            start: event.start_time,
            end: event.end_time + OVERRUN,
            calendar_event_id: Some(event.id.clone()),
            calendar_metadata: Some(json!({
                "title": event.title,
                "description": event.description,
                "attendees": event.attendees,
            })),
        };
        let platform = platform_for_room(&state.settings, room);
        create_meeting(state.clone(), room.clone(), platform, schedule)
            .await
            .map(Some)
    })
    .await
}

/// Calendar meetings nobody has joined yet follow their event: moved with
/// it, ended when it is cancelled or gone from the feed.
async fn follow_event_changes(state: &AppState, now: DateTime<Utc>) -> Result<(), JobFailure> {
    for meeting in state.store.active_calendar_meetings().await? {
        let (recorded, _) = state.store.session_counts(&meeting.id).await?;
        if recorded > 0 {
            continue;
        }
        let event = match &meeting.calendar_event_id {
            Some(id) => state.store.calendar_event_by_id(id).await?,
            None => None,
        };
        match event {
            Some(event) if !event.is_deleted => {
                if event.start_time != meeting.start_date || event.end_time + OVERRUN != meeting.end_date {
                    state
                        .store
                        .reschedule_meeting(&meeting.id, event.start_time, event.end_time + OVERRUN)
                        .await?;
                    tracing::info!(meeting = %meeting.id, start = %event.start_time, "calendar meeting moved with its event");
                }
            }
            _ => {
                state.store.end_meeting(&meeting.id, now).await?;
                tracing::info!(meeting = %meeting.id, "calendar meeting cancelled with its event");
            }
        }
    }
    Ok(())
}
