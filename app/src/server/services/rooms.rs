//! Rooms: creation, settings, visibility and what each caller may see of them.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::permissions::{can_see_room, is_owner, require_listing_allowed, require_owner, require_user};
use crate::server::auth::Caller;
use crate::server::jobs::Job;
use crate::server::store::StoreError;
use crate::server::{AppError, AppState};
use crate::types::room_name::room_name_problem;
use crate::types::{
    error_codes, failover_notice, CreateRoom, NewRoom, NextEvent, Platform, Room, RoomChoice, RoomDeleted,
    RoomOverview, RoomPage, UpdateRoom,
};

pub fn room_not_found() -> AppError {
    AppError::NotFound("Room not found".into()).with_code(error_codes::ROOM_NOT_FOUND)
}

pub async fn room_named(state: &AppState, name: &str) -> Result<Room, AppError> {
    state.store.room_by_name(name).await?.ok_or_else(room_not_found)
}

pub(crate) async fn room_with_id(state: &AppState, room_id: &str) -> Result<Room, AppError> {
    state.store.room_by_id(room_id).await?.ok_or_else(room_not_found)
}

/// The room as `caller` may see it: what only concerns its owner (the
/// webhook, the calendar and its sync state, where transcripts are posted
/// and e-mailed) reads as unset to everyone else; the JSON keeps its shape.
pub fn room_view(caller: &Caller, mut room: Room) -> Room {
    if !is_owner(caller, &room) {
        room.webhook_url = None;
        room.webhook_secret = None;
        room.ics_url = None;
        room.ics_enabled = false;
        room.ics_last_sync = None;
        room.ics_last_etag = None;
        room.zulip_auto_post = false;
        room.zulip_stream = String::new();
        room.zulip_topic = String::new();
        room.email_transcript_to = None;
    }
    room
}

pub async fn create(state: &AppState, caller: &Caller, request: CreateRoom) -> Result<Room, AppError> {
    let user = require_user(caller)?;
    let mut room = NewRoom {
        name: request.name,
        user_id: user.id.clone(),
        zulip_auto_post: request.zulip_auto_post,
        zulip_stream: request.zulip_stream,
        zulip_topic: request.zulip_topic,
        is_locked: request.is_locked,
        room_mode: request.room_mode,
        recording_type: request.recording_type,
        recording_trigger: request.recording_trigger,
        is_shared: request.is_shared,
        webhook_url: blank_to_none(request.webhook_url),
        webhook_secret: blank_to_none(request.webhook_secret),
        webhook_events: request.webhook_events,
        ics_url: blank_to_none(request.ics_url),
        ics_fetch_interval: request.ics_fetch_interval,
        ics_enabled: request.ics_enabled,
        platform: request.platform.unwrap_or(state.settings.default_video_platform),
        skip_consent: request.skip_consent,
        email_transcript_to: blank_to_none(request.email_transcript_to),
        store_video: request.store_video,
        fallback_platforms: request.fallback_platforms,
    };
    validate(state, &room)?;
    if room.webhook_url.is_some() && room.webhook_secret.is_none() {
        room.webhook_secret = Some(new_webhook_secret());
    }
    let created = state.store.insert_room(&room).await.map_err(name_taken)?;
    Ok(room_view(caller, created))
}

pub async fn update(
    state: &AppState,
    caller: &Caller,
    room_id: &str,
    patch: UpdateRoom,
) -> Result<Room, AppError> {
    require_user(caller)?;
    let mut room = room_with_id(state, room_id).await?;
    require_owner(caller, &room, "Not authorized")?;
    apply(&mut room, patch);
    validate(state, &as_new(&room))?;
    // A secret is made once, when a webhook first appears; later edits keep it.
    if room.webhook_url.is_some() && room.webhook_secret.is_none() {
        room.webhook_secret = Some(new_webhook_secret());
    }
    let updated = state.store.update_room(&room).await.map_err(name_taken)?;
    Ok(room_view(caller, updated))
}

/// Deletes the room, its meetings and its recordings (removed from storage
/// by a job queued in the same transaction); says how many recordings went.
pub async fn delete(state: &AppState, caller: &Caller, room_id: &str) -> Result<RoomDeleted, AppError> {
    require_user(caller)?;
    let room = room_with_id(state, room_id).await?;
    require_owner(caller, &room, "Not authorized")?;
    let purge = Job::PurgeDeletedRecordings.to_queue(&state.settings);
    let recordings = state
        .store
        .delete_room(&room.id, &purge)
        .await?
        .ok_or_else(room_not_found)?;
    if recordings > 0 {
        state.job_wakeup.notify_one();
    }
    Ok(RoomDeleted {
        status: "ok".into(),
        recordings_deleted: recordings as i64,
    })
}

/// By id: private rooms are their owner's business (403 for others).
pub async fn by_id(state: &AppState, caller: &Caller, room_id: &str) -> Result<Room, AppError> {
    let room = room_with_id(state, room_id).await?;
    if !can_see_room(caller, &room) {
        return Err(AppError::Forbidden("Room access denied".into()));
    }
    Ok(room_view(caller, room))
}

/// By name: anyone with the room's address may read it (and join it).
pub async fn by_name(state: &AppState, caller: &Caller, name: &str) -> Result<Room, AppError> {
    let room = room_named(state, name).await?;
    Ok(room_view(caller, room))
}

pub async fn list(state: &AppState, caller: &Caller, page: i64, size: i64) -> Result<RoomPage, AppError> {
    require_listing_allowed(state, caller)?;
    let offset = super::paging::offset(page, size)?;
    let (rooms, total) = state
        .store
        .rooms_visible_to(caller.user_id(), size, offset)
        .await?;
    Ok(RoomPage {
        items: rooms.into_iter().map(|room| room_view(caller, room)).collect(),
        total,
        page,
        size,
        pages: super::paging::page_count(total, size),
    })
}

/// The rooms list of the admin pages: every room the caller may list (own
/// rooms and shared ones), each with its live meetings and participants.
pub async fn overview(state: &AppState, caller: &Caller) -> Result<Vec<RoomOverview>, AppError> {
    let rooms = listable_rooms(state, caller).await?;
    let now = chrono::Utc::now();
    let mut live = state.store.live_meeting_totals(now).await?;
    let mut next_events = state.store.next_calendar_events(now).await?;
    let mut recordings = match caller.user_id() {
        Some(user_id) => state.store.recording_counts_of_owner(user_id).await?,
        None => Default::default(),
    };
    Ok(rooms
        .into_iter()
        .map(|room| {
            let totals = live.remove(&room.id).unwrap_or_default();
            let next_event = next_events
                .remove(&room.id)
                .filter(|_| room.ics_enabled)
                .map(|event| NextEvent {
                    title: event.shown_title(),
                    starts_at: event.start_time.timestamp_millis(),
                });
            RoomOverview {
                next_event,
                failover_notice: totals.failover.map(|(from, to)| failover_notice(from, to)),
                is_owner: is_owner(caller, &room),
                recordings: recordings.remove(&room.id).unwrap_or(0),
                room: room_view(caller, room),
                live_meetings: totals.meetings,
                live_since: totals.since.map(|since| since.timestamp_millis()),
                participants: totals.participants,
            }
        })
        .collect())
}

/// The rooms of the overview, by id and name only.
pub async fn choices(state: &AppState, caller: &Caller) -> Result<Vec<RoomChoice>, AppError> {
    Ok(listable_rooms(state, caller)
        .await?
        .into_iter()
        .map(|room| RoomChoice {
            id: room.id,
            name: room.name,
        })
        .collect())
}

/// The admin pages' rooms: the caller's own and the shared ones.
async fn listable_rooms(state: &AppState, caller: &Caller) -> Result<Vec<Room>, AppError> {
    require_listing_allowed(state, caller)?;
    let (rooms, _) = state
        .store
        .rooms_visible_to(caller.user_id(), OVERVIEW_LIMIT, 0)
        .await?;
    Ok(rooms)
}

const OVERVIEW_LIMIT: i64 = 1000;

fn validate(state: &AppState, room: &NewRoom) -> Result<(), AppError> {
    let invalid = |message: String| Err(AppError::Unprocessable(message));
    if let Some(problem) = room_name_problem(&room.name) {
        return invalid(format!("name: {problem}"));
    }
    if room.platform == Platform::Mock && !state.settings.mock_platform_enabled {
        return invalid("platform: 'mock' is not enabled on this server".into());
    }
    let capabilities = room.platform.capabilities();
    let platform = room.platform.label();
    if room.store_video && !capabilities.composed_video {
        return invalid(format!(
            "store_video: {platform} does not record a composed video"
        ));
    }
    if room.is_locked && !capabilities.knocking {
        return invalid(format!("is_locked: {platform} has no locked rooms"));
    }
    if room.fallback_platforms.platforms().contains(&Platform::Mock) && !state.settings.mock_platform_enabled
    {
        return invalid("fallback_platforms: 'mock' is not enabled on this server".into());
    }
    for (field, url) in [("webhook_url", &room.webhook_url), ("ics_url", &room.ics_url)] {
        if let Some(url) = url {
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2048 {
                return invalid(format!("{field}: must be an http:// or https:// URL"));
            }
        }
    }
    if !(60..=86_400).contains(&room.ics_fetch_interval) {
        return invalid("ics_fetch_interval: must be between 60 and 86400 seconds".into());
    }
    if room.ics_enabled && room.ics_url.is_none() {
        return invalid("ics_url: required when ics_enabled is true".into());
    }
    if let Some(email) = &room.email_transcript_to {
        if !email.contains('@') {
            return invalid("email_transcript_to: must be an e-mail address".into());
        }
    }
    Ok(())
}

fn apply(room: &mut Room, patch: UpdateRoom) {
    let UpdateRoom {
        name,
        zulip_auto_post,
        zulip_stream,
        zulip_topic,
        is_locked,
        room_mode,
        recording_type,
        recording_trigger,
        is_shared,
        webhook_url,
        webhook_secret,
        webhook_events,
        ics_url,
        ics_fetch_interval,
        ics_enabled,
        platform,
        skip_consent,
        email_transcript_to,
        store_video,
        fallback_platforms,
    } = patch;
    fn set<T>(field: &mut T, value: Option<T>) {
        if let Some(value) = value {
            *field = value;
        }
    }
    set(&mut room.name, name);
    set(&mut room.zulip_auto_post, zulip_auto_post);
    set(&mut room.zulip_stream, zulip_stream);
    set(&mut room.zulip_topic, zulip_topic);
    set(&mut room.is_locked, is_locked);
    set(&mut room.room_mode, room_mode);
    set(&mut room.recording_type, recording_type);
    set(&mut room.recording_trigger, recording_trigger);
    set(&mut room.is_shared, is_shared);
    set(&mut room.webhook_url, webhook_url.map(blank_to_none));
    set(&mut room.webhook_secret, webhook_secret.map(blank_to_none));
    set(&mut room.webhook_events, webhook_events);
    set(&mut room.ics_url, ics_url.map(blank_to_none));
    set(&mut room.ics_fetch_interval, ics_fetch_interval);
    set(&mut room.ics_enabled, ics_enabled);
    set(&mut room.platform, platform);
    set(&mut room.skip_consent, skip_consent);
    set(
        &mut room.email_transcript_to,
        email_transcript_to.map(blank_to_none),
    );
    set(&mut room.store_video, store_video);
    set(&mut room.fallback_platforms, fallback_platforms);
}

fn as_new(room: &Room) -> NewRoom {
    NewRoom {
        name: room.name.clone(),
        user_id: room.user_id.clone(),
        zulip_auto_post: room.zulip_auto_post,
        zulip_stream: room.zulip_stream.clone(),
        zulip_topic: room.zulip_topic.clone(),
        is_locked: room.is_locked,
        room_mode: room.room_mode,
        recording_type: room.recording_type,
        recording_trigger: room.recording_trigger,
        is_shared: room.is_shared,
        webhook_url: room.webhook_url.clone(),
        webhook_secret: room.webhook_secret.clone(),
        webhook_events: room.webhook_events.clone(),
        ics_url: room.ics_url.clone(),
        ics_fetch_interval: room.ics_fetch_interval,
        ics_enabled: room.ics_enabled,
        platform: room.platform,
        skip_consent: room.skip_consent,
        email_transcript_to: room.email_transcript_to.clone(),
        store_video: room.store_video,
        fallback_platforms: room.fallback_platforms.clone(),
    }
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

fn new_webhook_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn name_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Duplicate(_) => {
            AppError::BadRequest("Room name is not unique".into()).with_code(error_codes::ROOM_NAME_TAKEN)
        }
        other => other.into(),
    }
}
