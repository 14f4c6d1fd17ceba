//! Rooms and meetings for the UI: the same services as `/v1/rooms…`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::types::{
    ApiError, ConsentRecorded, CreateRoom, DailyRecordingKind, Meeting, Platform, RecordingView, Room,
    RoomChoice, RoomDeleted, RoomHistory, RoomOverview, RoomPage, RoomVisit, UpdateRoom,
};

/// A platform the room form offers, and whether this server can use it yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformOption {
    pub platform: Platform,
    pub label: String,
    pub configured: bool,
}

#[server(endpoint = "platform_options", input = Json)]
pub async fn platform_options() -> Result<Vec<PlatformOption>, ApiError> {
    let (state, _) = super::context::state_and_caller().await?;
    Ok(state
        .platforms
        .selectable()
        .into_iter()
        .map(|platform| PlatformOption {
            platform,
            label: platform.label().to_owned(),
            configured: state.platforms.is_configured(platform),
        })
        .collect())
}

#[server(endpoint = "list_rooms", input = Json)]
pub async fn list_rooms(page: i64, size: i64) -> Result<RoomPage, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::rooms::list(&state, &caller, page, size).await?)
}

#[server(endpoint = "room_by_name", input = Json)]
pub async fn room_by_name(name: String) -> Result<Room, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::rooms::by_name(&state, &caller, &name).await?)
}

#[server(endpoint = "add_room", input = Json)]
pub async fn add_room(room: CreateRoom) -> Result<Room, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::rooms::create(&state, &caller, room).await?)
}

#[server(endpoint = "edit_room", input = Json)]
pub async fn edit_room(room_id: String, patch: UpdateRoom) -> Result<Room, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::rooms::update(&state, &caller, &room_id, patch).await?)
}

#[server(endpoint = "remove_room", input = Json)]
pub async fn remove_room(room_id: String) -> Result<RoomDeleted, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::rooms::delete(&state, &caller, &room_id).await?)
}

#[server(endpoint = "get_or_create_meeting", input = Json)]
pub async fn get_or_create_meeting(room_name: String, allow_duplicated: bool) -> Result<Meeting, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(
        crate::server::services::meetings::get_or_create(&state, &caller, &room_name, allow_duplicated)
            .await?,
    )
}

#[server(endpoint = "active_meetings", input = Json)]
pub async fn active_meetings(room_name: String) -> Result<Vec<Meeting>, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::meetings::active_for_room(&state, &caller, &room_name).await?)
}

#[server(endpoint = "join_meeting", input = Json)]
pub async fn join_meeting(room_name: String, meeting_id: String) -> Result<Meeting, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::meetings::join(&state, &caller, &room_name, &meeting_id).await?)
}

#[server(endpoint = "record_consent", input = Json)]
pub async fn record_consent(meeting_id: String, consent_given: bool) -> Result<ConsentRecorded, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(
        crate::server::services::meetings::record_consent(&state, &caller, &meeting_id, consent_given)
            .await?,
    )
}

/// Each room the caller may list, by name alone: for filters, where the
/// whole overview would cost the page its decoding code.
#[server(endpoint = "room_choices", input = Json)]
pub async fn room_choices() -> Result<Vec<RoomChoice>, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::rooms::choices(&state, &caller).await?)
}

#[server(endpoint = "rooms_overview", input = Json)]
pub async fn rooms_overview() -> Result<Vec<RoomOverview>, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::rooms::overview(&state, &caller).await?)
}

#[server(endpoint = "room_history", input = Json)]
pub async fn read_room_history(room_name: String, page: i64) -> Result<RoomHistory, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::history::of_room(&state, &caller, &room_name, page, 20).await?)
}

#[server(endpoint = "room_recordings", input = Json)]
pub async fn room_recordings(room_id: String) -> Result<Vec<RecordingView>, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::recordings::of_room(&state, &caller, &room_id).await?)
}

/// Starts the meeting's Daily recording of `kind` under Reflector's
/// deterministic instance id; `false` when it was already running.
#[server(endpoint = "start_meeting_recording", input = Json)]
pub async fn start_meeting_recording(meeting_id: String, kind: DailyRecordingKind) -> Result<bool, ApiError> {
    let (state, _) = super::context::state_and_caller().await?;
    Ok(crate::server::services::meetings::start_recording_of_kind(&state, &meeting_id, kind).await?)
}

/// The room page's one call: the room and the meeting to join (or what to
/// choose from); `start_now` skips a calendar room's schedule.
#[server(endpoint = "open_room", input = Json)]
pub async fn open_room(
    room_name: String,
    meeting_id: Option<String>,
    #[server(default)] start_now: bool,
) -> Result<RoomVisit, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::room_visit::open(
        &state,
        &caller,
        &room_name,
        meeting_id.as_deref(),
        start_now,
    )
    .await?)
}
