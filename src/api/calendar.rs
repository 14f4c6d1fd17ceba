use app::server::auth::Caller;
use app::server::error::ErrorBody;
use app::server::services::calendar::views;
use app::server::{AppError, AppState};
use app::types::{CalendarEvent, IcsStatus, IcsSyncResult};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{ApiPath, ApiQuery};

/// Fetches the room's calendar now and brings its events up to date (the
/// room's owner; a manual sync is never refused as "not time yet").
#[utoipa::path(post, path = "/rooms/{room}/ics/sync", operation_id = "sync_calendar", tag = "calendar",
    params(("room" = String, Path, description = "The room's name")),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "How the sync went: `success`, `unchanged` (the feed answered 304) or `error` (with `error` in words; the stored events stay as they were)", body = IcsSyncResult),
        (status = 400, description = "The room has no calendar enabled", body = ErrorBody),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn sync(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
) -> Result<Json<IcsSyncResult>, AppError> {
    Ok(Json(views::sync_now(&state, &caller, &room_name).await?))
}

/// The room's calendar sync: enabled or not, when last and next, what the
/// last sync found.
#[utoipa::path(get, path = "/rooms/{room}/ics/status", operation_id = "calendar_status", tag = "calendar",
    params(("room" = String, Path, description = "The room's name")),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The sync's state", body = IcsStatus),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
) -> Result<Json<IcsStatus>, AppError> {
    Ok(Json(views::status(&state, &caller, &room_name).await?))
}

/// The room's calendar events (Reflector's path, which names them
/// meetings), by start; description and attendees for its owner only.
#[utoipa::path(get, path = "/rooms/{room}/meetings", operation_id = "calendar_events", tag = "calendar",
    params(("room" = String, Path, description = "The room's name")),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The events", body = Vec<CalendarEvent>),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
) -> Result<Json<Vec<CalendarEvent>>, AppError> {
    Ok(Json(views::events(&state, &caller, &room_name, None).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Ahead {
    /// Events on now and starting within this many minutes (default 120).
    #[param(minimum = 0, maximum = 10080)]
    minutes_ahead: Option<i64>,
}

/// The room's calendar events on now or starting soon.
#[utoipa::path(get, path = "/rooms/{room}/meetings/upcoming", operation_id = "upcoming_calendar_events", tag = "calendar",
    params(("room" = String, Path, description = "The room's name"), Ahead),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The events, by start", body = Vec<CalendarEvent>),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn upcoming(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
    ApiQuery(ahead): ApiQuery<Ahead>,
) -> Result<Json<Vec<CalendarEvent>>, AppError> {
    let minutes = ahead.minutes_ahead.unwrap_or(120);
    Ok(Json(
        views::events(&state, &caller, &room_name, Some(minutes)).await?,
    ))
}
