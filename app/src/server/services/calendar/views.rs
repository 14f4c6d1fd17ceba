//! What the API and the pages show of a room's calendar.

use chrono::{Duration, Utc};

use super::sync;
use crate::server::auth::Caller;
use crate::server::services::permissions::{is_owner, require_owner};
use crate::server::services::rooms::room_named;
use crate::server::{AppError, AppState};
use crate::types::{CalendarEvent, CalendarSummary, IcsState, IcsStatus, IcsSyncResult, Room};

/// Syncs the room's calendar now (the room's owner; never refused as "not
/// time yet").
pub async fn sync_now(state: &AppState, caller: &Caller, room_name: &str) -> Result<IcsSyncResult, AppError> {
    let room = room_named(state, room_name).await?;
    require_owner(caller, &room, "Only the room owner can sync its calendar")?;
    if !room.ics_enabled || room.ics_url.is_none() {
        return Err(AppError::BadRequest("ICS not configured for this room".into()));
    }
    sync::sync_room(state, &room.id, Utc::now())
        .await?
        .ok_or_else(|| AppError::BadRequest("ICS not configured for this room".into()))
}

pub async fn status(state: &AppState, caller: &Caller, room_name: &str) -> Result<IcsStatus, AppError> {
    let room = owned_room(state, caller, room_name).await?;
    status_of(state, &room).await
}

async fn owned_room(state: &AppState, caller: &Caller, room_name: &str) -> Result<Room, AppError> {
    let room = room_named(state, room_name).await?;
    require_owner(caller, &room, "Only the room owner can view its calendar status")?;
    Ok(room)
}

async fn status_of(state: &AppState, room: &Room) -> Result<IcsStatus, AppError> {
    let (last_result, validators) = state.store.calendar_sync_state(&room.id).await?;
    let enabled = room.ics_enabled && room.ics_url.is_some();
    let next_sync = room
        .ics_last_sync
        .filter(|_| enabled)
        .map(|last| last + Duration::seconds(room.ics_fetch_interval));
    Ok(IcsStatus {
        status: if enabled {
            IcsState::Enabled
        } else {
            IcsState::Disabled
        },
        last_sync: room.ics_last_sync,
        next_sync,
        last_etag: validators.etag,
        events_count: state.store.calendar_event_count(&room.id).await?,
        last_result,
    })
}

/// The room form's summary: the status, with the last result in words.
pub async fn summary(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
) -> Result<CalendarSummary, AppError> {
    let room = owned_room(state, caller, room_name).await?;
    let status = status_of(state, &room).await?;
    Ok(CalendarSummary {
        room_url: super::room_url(&state.settings.base_url, &room),
        enabled: status.status == IcsState::Enabled,
        last_sync: status.last_sync.map(|at| at.timestamp_millis()),
        next_sync: status.next_sync.map(|at| at.timestamp_millis()),
        events_count: status.events_count,
        last_failed: status
            .last_result
            .as_ref()
            .is_some_and(|result| result.status == crate::types::IcsSyncStatus::Error),
        last_result: status.last_result.as_ref().map(IcsSyncResult::in_words),
    })
}

/// The room's calendar events not yet over, or only those starting within
/// `minutes_ahead`; description and attendees are its owner's only.
pub async fn events(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
    minutes_ahead: Option<i64>,
) -> Result<Vec<CalendarEvent>, AppError> {
    let room = room_named(state, room_name).await?;
    let now = Utc::now();
    let until = match minutes_ahead {
        Some(minutes) if !(0..=10_080).contains(&minutes) => {
            return Err(AppError::Unprocessable(
                "minutes_ahead: must be between 0 and 10080".into(),
            ))
        }
        Some(minutes) => Some(now + Duration::minutes(minutes)),
        None => None,
    };
    let from = minutes_ahead.map(|_| now);
    let events = state.store.calendar_events(&room.id, from, until).await?;
    Ok(events
        .into_iter()
        .map(|event| event_view(caller, &room, event.view()))
        .collect())
}

fn event_view(caller: &Caller, room: &Room, mut event: CalendarEvent) -> CalendarEvent {
    if !is_owner(caller, room) {
        event.description = None;
        event.attendees = None;
    }
    event
}
