//! Fetching a room's calendar and bringing its stored events up to date.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::room_url;
use crate::server::calendar::{feed, matching};
use crate::server::jobs::{self, Job};
use crate::server::store::{FeedValidators, FoundInstance, StoreError};
use crate::server::user_urls::{Fetched, Validators};
use crate::server::{AppError, AppState};
use crate::types::{IcsSyncResult, IcsSyncStatus, Room};

/// How far back and ahead a sync looks: what is on now and what comes today.
pub const WINDOW_BEHIND: Duration = Duration::hours(1);
pub const WINDOW_AHEAD: Duration = Duration::hours(24);

/// Queues the sync of every room whose calendar is due (one per room at a
/// time: the job's dedupe key).
pub async fn queue_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let due = state.store.rooms_due_for_calendar_sync(now).await?;
    let mut queued = 0;
    for room in due {
        if jobs::enqueue(state, &Job::SyncCalendar { room_id: room.id })
            .await?
            .is_some()
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Syncs the room's calendar now; the result is recorded on the room. A
/// room without a calendar is left alone (`None`).
pub async fn sync_room(
    state: &AppState,
    room_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<IcsSyncResult>, AppError> {
    let Some(room) = state.store.room_by_id(room_id).await? else {
        return Ok(None);
    };
    let Some(url) = room.ics_url.clone().filter(|_| room.ics_enabled) else {
        return Ok(None);
    };
    Ok(Some(sync(state, &room, &url, now).await?))
}

async fn sync(
    state: &AppState,
    room: &Room,
    url: &str,
    now: DateTime<Utc>,
) -> Result<IcsSyncResult, AppError> {
    let (_, ours) = state.store.calendar_sync_state(&room.id).await?;
    let validators = Validators {
        etag: ours.etag.as_deref(),
        last_modified: ours.last_modified.as_deref(),
    };
    let mut result = IcsSyncResult {
        status: IcsSyncStatus::Success,
        hash: None,
        events_found: 0,
        total_events: 0,
        events_created: 0,
        events_updated: 0,
        events_deleted: 0,
        error: None,
        synced_at: now,
    };
    let fetched = state.user_urls.get(url, &validators).await;
    let (bytes, etag, last_modified) = match fetched {
        Ok(Fetched::Body {
            bytes,
            etag,
            last_modified,
        }) => (bytes, etag, last_modified),
        Ok(Fetched::Unchanged) => {
            result.status = IcsSyncStatus::Unchanged;
            state.store.record_calendar_check(&room.id, &result).await?;
            return Ok(result);
        }
        Err(error) => {
            return failed(
                state,
                room,
                result,
                format!("The calendar could not be fetched: {error}"),
            )
            .await
        }
    };
    result.hash = Some(hex::encode(Sha256::digest(&bytes)));
    let window = feed::Window {
        from: now - WINDOW_BEHIND,
        until: now + WINDOW_AHEAD,
    };
    // Reading a large feed is CPU work: off the async threads, and a bug in
    // a parser fails this sync rather than the worker.
    let read = tokio::task::spawn_blocking(move || feed::instances(&bytes, &window)).await;
    let instances = match read {
        Ok(Ok(instances)) => instances,
        Ok(Err(error)) => {
            return failed(
                state,
                room,
                result,
                format!("The calendar could not be read: {error}"),
            )
            .await
        }
        Err(_) => {
            tracing::error!(room = %room.id, "the calendar reader panicked on a feed");
            return failed(
                state,
                room,
                result,
                "The calendar could not be read: it trips up our reader".into(),
            )
            .await;
        }
    };
    let address = room_url(&state.settings.base_url, room);
    let found: Vec<FoundInstance> = instances
        .iter()
        .filter(|instance| !instance.cancelled)
        .filter(|instance| matching::names_room(&address, instance))
        .map(|instance| FoundInstance {
            uid: instance.uid.clone(),
            instance_key: instance.instance_key.clone(),
            title: instance.title.clone(),
            description: instance.description.clone(),
            location: instance.location.clone(),
            start: instance.start,
            end: instance.end,
            all_day: instance.all_day,
            attendees: instance.attendees.clone(),
        })
        .collect();
    result.total_events = instances.iter().filter(|instance| !instance.cancelled).count() as i64;
    result.events_found = found.len() as i64;
    let fresh = FeedValidators { etag, last_modified };
    state
        .store
        .apply_calendar_sync(&room.id, &found, &fresh, &mut result)
        .await?;
    tracing::info!(
        room = %room.name,
        found = result.events_found,
        created = result.events_created,
        updated = result.events_updated,
        deleted = result.events_deleted,
        "calendar synced"
    );
    Ok(result)
}

/// A sync that could not get or read the feed: the stored events stay as
/// they are (a calendar briefly away does not cancel meetings).
async fn failed(
    state: &AppState,
    room: &Room,
    mut result: IcsSyncResult,
    error: String,
) -> Result<IcsSyncResult, AppError> {
    tracing::warn!(room = %room.name, %error, "calendar sync failed");
    result.status = IcsSyncStatus::Error;
    result.error = Some(error);
    state.store.record_calendar_check(&room.id, &result).await?;
    Ok(result)
}
