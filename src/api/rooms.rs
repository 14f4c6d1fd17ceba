use app::server::auth::{Caller, SignedIn};
use app::server::services::rooms;
use app::server::{AppError, AppState};
use app::types::{CreateRoom, Room, RoomDeleted, RoomPage, UpdateRoom};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;

use super::json::ApiJson;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
    size: Option<String>,
}

fn number(name: &str, value: Option<String>, default: i64) -> Result<i64, AppError> {
    match value {
        None => Ok(default),
        Some(text) => text
            .parse()
            .map_err(|_| AppError::Unprocessable(format!("{name}: must be a whole number"))),
    }
}

/// `GET /v1/rooms?page=1&size=50`
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PageQuery>,
) -> Result<Json<RoomPage>, AppError> {
    let page = number("page", query.page, 1)?;
    let size = number("size", query.size, 50)?;
    Ok(Json(rooms::list(&state, &caller, page, size).await?))
}

/// `POST /v1/rooms`
pub async fn create(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiJson(request): ApiJson<CreateRoom>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::create(&state, &caller, request).await?))
}

/// `GET /v1/rooms/{room_id}`
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(room_id): Path<String>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::by_id(&state, &caller, &room_id).await?))
}

/// `GET /v1/rooms/name/{room_name}`
pub async fn get_by_name(
    State(state): State<AppState>,
    caller: Caller,
    Path(room_name): Path<String>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::by_name(&state, &caller, &room_name).await?))
}

/// `PATCH /v1/rooms/{room_id}`
pub async fn update(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(room_id): Path<String>,
    ApiJson(patch): ApiJson<UpdateRoom>,
) -> Result<Json<Room>, AppError> {
    Ok(Json(rooms::update(&state, &caller, &room_id, patch).await?))
}

/// `DELETE /v1/rooms/{room_id}`
pub async fn delete(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(room_id): Path<String>,
) -> Result<Json<RoomDeleted>, AppError> {
    Ok(Json(rooms::delete(&state, &caller, &room_id).await?))
}
