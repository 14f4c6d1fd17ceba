use app::server::auth::{Caller, SignedIn};
use app::server::error::ErrorBody;
use app::server::services::rooms;
use app::server::{AppError, AppState};
use app::types::{CreateRoom, Room, RoomDeleted, RoomPage, UpdateRoom};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{ApiJson, ApiPath, ApiQuery};

/// Paging of the rooms list; numbers are read by hand so that a wrong one
/// is named in the refusal.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page, from 1.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Items per page.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub size: Option<String>,
}

pub fn number(name: &str, value: Option<String>, default: i64) -> Result<i64, AppError> {
    match value {
        None => Ok(default),
        Some(text) => text
            .parse()
            .map_err(|_| AppError::Unprocessable(format!("{name}: must be a whole number"))),
    }
}

/// Your rooms and the shared ones, newest first.
#[utoipa::path(get, path = "/rooms", operation_id = "list_rooms", tag = "rooms",
    params(PageQuery),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "A page of rooms", body = RoomPage),
        (status = 401, description = "Not signed in (unless the server runs in public mode)", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<RoomPage>, AppError> {
    let page = number("page", query.page, 1)?;
    let size = number("size", query.size, 50)?;
    Ok(Json(rooms::list(&state, &caller, page, size).await?))
}

/// Creates a room owned by the caller.
#[utoipa::path(post, path = "/rooms", operation_id = "create_room", tag = "rooms",
    request_body = CreateRoom,
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The room", body = Room, links(
            ("GetRoom" = (operation_id = "get_room", parameters(("room" = "$response.body#/id")))),
            ("UpdateRoom" = (operation_id = "update_room", parameters(("room" = "$response.body#/id")))),
            ("DeleteRoom" = (operation_id = "delete_room", parameters(("room" = "$response.body#/id")))),
            ("GetRoomByName" = (operation_id = "get_room_by_name", parameters(("room" = "$response.body#/name")))),
            ("OpenMeeting" = (operation_id = "get_or_create_meeting", parameters(("room" = "$response.body#/name")))),
            ("ActiveMeetings" = (operation_id = "active_meetings", parameters(("room" = "$response.body#/name")))),
        )),
        (status = 400, description = "The name is taken (code `room_name_taken`)", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiJson(request): ApiJson<CreateRoom>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::create(&state, &caller, request).await?))
}

/// A room by id: its owner's, or anyone's when shared.
#[utoipa::path(get, path = "/rooms/{room}", operation_id = "get_room", tag = "rooms",
    params(("room" = String, Path, description = "The room's id")),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The room (the owner-only settings only for its owner)", body = Room),
        (status = 403, description = "A private room of someone else", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_id): ApiPath<String>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::by_id(&state, &caller, &room_id).await?))
}

/// A room by name: anyone with its address may read it.
#[utoipa::path(get, path = "/rooms/name/{room}", operation_id = "get_room_by_name", tag = "rooms",
    params(("room" = String, Path, description = "The room's name")),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The room (the owner-only settings only for its owner)", body = Room),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn get_by_name(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::by_name(&state, &caller, &room_name).await?))
}

/// Changes the settings present in the body (the owner only).
#[utoipa::path(patch, path = "/rooms/{room}", operation_id = "update_room", tag = "rooms",
    params(("room" = String, Path, description = "The room's id")),
    request_body = UpdateRoom,
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The room as changed", body = Room),
        (status = 400, description = "The new name is taken (code `room_name_taken`)", body = ErrorBody),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiPath(room_id): ApiPath<String>,
    ApiJson(patch): ApiJson<UpdateRoom>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::update(&state, &caller, &room_id, patch).await?))
}

/// Deletes the room with its meetings and recordings (the owner only).
#[utoipa::path(delete, path = "/rooms/{room}", operation_id = "delete_room", tag = "rooms",
    params(("room" = String, Path, description = "The room's id")),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Deleted, with how many recordings went too", body = RoomDeleted),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiPath(room_id): ApiPath<String>,
) -> Result<Json<RoomDeleted>, AppError> {
    Ok(Json(rooms::delete(&state, &caller, &room_id).await?))
}
