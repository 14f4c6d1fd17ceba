use app::server::auth::{Caller, SignedIn};
use app::server::services::meetings;
use app::server::{AppError, AppState};
use app::types::{ConsentRecorded, ConsentRequest, CreateRoomMeeting, Meeting, StartRecording};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::json::ApiJson;

/// `POST /v1/rooms/{room_name}/meeting`: the live meeting, or a new one.
pub async fn get_or_create(
    State(state): State<AppState>,
    caller: Caller,
    Path(room_name): Path<String>,
    ApiJson(request): ApiJson<CreateRoomMeeting>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        meetings::get_or_create(&state, &caller, &room_name, request.allow_duplicated).await?,
    ))
}

/// `GET /v1/rooms/{room_name}/meetings/active`
pub async fn active(
    State(state): State<AppState>,
    caller: Caller,
    Path(room_name): Path<String>,
) -> Result<Json<Vec<Meeting>>, AppError> {
    Ok(Json(
        meetings::active_for_room(&state, &caller, &room_name).await?,
    ))
}

/// `GET /v1/rooms/{room_name}/meetings/{meeting_id}`
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path((room_name, meeting_id)): Path<(String, String)>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        meetings::in_room(&state, &caller, &room_name, &meeting_id).await?,
    ))
}

/// `POST /v1/rooms/{room_name}/meetings/{meeting_id}/join`
pub async fn join(
    State(state): State<AppState>,
    caller: Caller,
    Path((room_name, meeting_id)): Path<(String, String)>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        meetings::join(&state, &caller, &room_name, &meeting_id).await?,
    ))
}

/// `POST /v1/meetings/{meeting_id}/consent`
pub async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(meeting_id): Path<String>,
    ApiJson(request): ApiJson<ConsentRequest>,
) -> Result<Json<ConsentRecorded>, AppError> {
    Ok(Json(
        meetings::record_consent(&state, &caller, &meeting_id, request.consent_given).await?,
    ))
}

/// `PATCH /v1/meetings/{meeting_id}/deactivate`
pub async fn deactivate(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(meeting_id): Path<String>,
) -> Result<Json<Value>, AppError> {
    meetings::deactivate(&state, &caller, &meeting_id).await?;
    Ok(Json(json!({ "status": "success", "meeting_id": meeting_id })))
}

/// `POST /v1/meetings/{meeting_id}/recordings/start` (Daily meetings).
pub async fn start_recording(
    State(state): State<AppState>,
    Path(meeting_id): Path<String>,
    ApiJson(request): ApiJson<StartRecording>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        match meetings::start_recording(&state, &meeting_id, &request).await? {
            Some(result) => json!({ "status": "ok", "result": result }),
            None => json!({ "status": "already_active", "instanceId": request.instance_id }),
        },
    ))
}
