use app::server::auth::Caller;
use app::server::error::ErrorBody;
use app::server::services::history;
use app::server::{AppError, AppState};
use app::types::RoomHistory;
use axum::extract::State;
use axum::Json;

use super::extract::{ApiPath, ApiQuery};
use super::rooms::{number, PageQuery};

/// What happened in the room: its meetings, newest first, with who came
/// and went, consent answers, recordings and transcripts (the room's owner).
#[utoipa::path(get, path = "/rooms/{room}/history", operation_id = "room_history", tag = "rooms",
    params(("room" = String, Path, description = "The room's name"), PageQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "A page of the room's meetings", body = RoomHistory),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 422, description = "A page or size out of range", body = ErrorBody),
    ))]
pub async fn of_room(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<RoomHistory>, AppError> {
    let page = number("page", query.page, 1)?;
    let size = number("size", query.size, 20)?;
    Ok(Json(
        history::of_room(&state, &caller, &room_name, page, size).await?,
    ))
}
