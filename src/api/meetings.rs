use app::server::auth::{Caller, SignedIn};
use app::server::error::ErrorBody;
use app::server::services::meetings;
use app::server::{AppError, AppState};
use app::types::{ConsentRecorded, ConsentRequest, CreateRoomMeeting, Meeting, StartRecording};
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};

/// The live meeting of the room, or a new one on the room's platform.
#[utoipa::path(post, path = "/rooms/{room}/meeting", operation_id = "get_or_create_meeting", tag = "meetings",
    params(("room" = String, Path, description = "The room's name")),
    request_body(content = CreateRoomMeeting, description = "Send `{}`; `allow_duplicated` (the room's owner only) always makes a new meeting"),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The meeting (the host URL only for the room's owner)", body = Meeting, links(
            ("GetMeeting" = (operation_id = "get_meeting", parameters(("room" = "$request.path.room"), ("meeting_id" = "$response.body#/id")))),
            ("JoinMeeting" = (operation_id = "join_meeting", parameters(("room" = "$request.path.room"), ("meeting_id" = "$response.body#/id")))),
            ("GiveConsent" = (operation_id = "record_consent", parameters(("meeting_id" = "$response.body#/id")))),
            ("DeactivateMeeting" = (operation_id = "deactivate_meeting", parameters(("meeting_id" = "$response.body#/id")))),
            ("ListRecordings" = (operation_id = "list_meeting_recordings", parameters(("meeting_id" = "$response.body#/id")))),
            ("StartRecording" = (operation_id = "start_recording", parameters(("meeting_id" = "$response.body#/id")))),
        )),
        (status = 401, description = "`allow_duplicated` without being signed in", body = ErrorBody),
        (status = 403, description = "`allow_duplicated` by someone other than the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
        (status = 502, description = "The room's platform failed; no meeting was recorded", body = ErrorBody),
        (status = 503, description = "The room's platform is not configured, or another creation is still running", body = ErrorBody),
    ))]
pub async fn get_or_create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
    ApiJson(request): ApiJson<CreateRoomMeeting>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        meetings::get_or_create(&state, &caller, &room_name, request.allow_duplicated).await?,
    ))
}

/// The room's live meetings, the one ending last first.
#[utoipa::path(get, path = "/rooms/{room}/meetings/active", operation_id = "active_meetings", tag = "meetings",
    params(("room" = String, Path, description = "The room's name")),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Live meetings", body = Vec<Meeting>),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn active(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_name): ApiPath<String>,
) -> Result<Json<Vec<Meeting>>, AppError> {
    Ok(Json(
        meetings::active_for_room(&state, &caller, &room_name).await?,
    ))
}

/// One meeting of the room.
#[utoipa::path(get, path = "/rooms/{room}/meetings/{meeting_id}", operation_id = "get_meeting", tag = "meetings",
    params(("room" = String, Path, description = "The room's name"), ("meeting_id" = String, Path)),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The meeting", body = Meeting),
        (status = 404, description = "No such room, or no such meeting in it", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((room_name, meeting_id)): ApiPath<(String, String)>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        meetings::in_room(&state, &caller, &room_name, &meeting_id).await?,
    ))
}

/// The meeting with the URL this caller opens (a Daily meeting token for
/// signed-in callers, Whereby's host URL for the room's owner).
#[utoipa::path(post, path = "/rooms/{room}/meetings/{meeting_id}/join", operation_id = "join_meeting", tag = "meetings",
    params(("room" = String, Path, description = "The room's name"), ("meeting_id" = String, Path)),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The meeting, `room_url` made for this caller", body = Meeting),
        (status = 400, description = "The meeting is not active, or has ended", body = ErrorBody),
        (status = 404, description = "No such room, or no such meeting in it", body = ErrorBody),
        (status = 502, description = "The platform failed to make this caller's token", body = ErrorBody),
    ))]
pub async fn join(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((room_name, meeting_id)): ApiPath<(String, String)>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        meetings::join(&state, &caller, &room_name, &meeting_id).await?,
    ))
}

/// Records the caller's answer to the recording question.
#[utoipa::path(post, path = "/meetings/{meeting_id}/consent", operation_id = "record_consent", tag = "meetings",
    params(("meeting_id" = String, Path)),
    request_body = ConsentRequest,
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Recorded (a signed-in caller's later answer replaces the earlier one)", body = ConsentRecorded),
        (status = 404, description = "No such meeting", body = ErrorBody),
    ))]
pub async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(meeting_id): ApiPath<String>,
    ApiJson(request): ApiJson<ConsentRequest>,
) -> Result<Json<ConsentRecorded>, AppError> {
    Ok(Json(
        meetings::record_consent(&state, &caller, &meeting_id, request.consent_given).await?,
    ))
}

/// `{"status": "success", "meeting_id": …}`
#[derive(Serialize, ToSchema)]
pub struct Deactivated {
    status: String,
    meeting_id: String,
}

/// Ends a meeting (the room's owner only).
#[utoipa::path(patch, path = "/meetings/{meeting_id}/deactivate", operation_id = "deactivate_meeting", tag = "meetings",
    params(("meeting_id" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The meeting is over", body = Deactivated),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such meeting, or its room is gone", body = ErrorBody),
    ))]
pub async fn deactivate(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiPath(meeting_id): ApiPath<String>,
) -> Result<Json<Deactivated>, AppError> {
    meetings::deactivate(&state, &caller, &meeting_id).await?;
    Ok(Json(Deactivated {
        status: "success".into(),
        meeting_id,
    }))
}

/// Reflector's answers: `{"status": "ok", "result": <Daily's answer>}` or
/// `{"status": "already_active", "instanceId": …}`.
#[derive(Serialize, ToSchema)]
pub struct RecordingStarted {
    /// `ok`, or `already_active` when that instance was recording already.
    #[schema(pattern = "^(ok|already_active)$")]
    status: String,
    /// What Daily answered (`ok` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<serde_json::Value>,
    /// The instance that was recording already (`already_active` only).
    #[serde(rename = "instanceId", skip_serializing_if = "Option::is_none")]
    instance_id: Option<String>,
}

/// Starts a Daily recording of the meeting, under the instance id every
/// participant's browser computes the same way.
#[utoipa::path(post, path = "/meetings/{meeting_id}/recordings/start", operation_id = "start_recording", tag = "recordings",
    params(("meeting_id" = String, Path)),
    request_body = StartRecording,
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Started, or already running", body = RecordingStarted),
        (status = 400, description = "Not a live Daily meeting that records this kind to the cloud", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
        (status = 502, description = "Daily refused (code `call_not_started` when nobody is in the call yet)", body = ErrorBody),
    ))]
pub async fn start_recording(
    State(state): State<AppState>,
    ApiPath(meeting_id): ApiPath<String>,
    ApiJson(request): ApiJson<StartRecording>,
) -> Result<Json<RecordingStarted>, AppError> {
    Ok(Json(
        match meetings::start_recording(&state, &meeting_id, &request).await? {
            Some(result) => RecordingStarted {
                status: "ok".into(),
                result: Some(result),
                instance_id: None,
            },
            None => RecordingStarted {
                status: "already_active".into(),
                result: None,
                instance_id: Some(request.instance_id),
            },
        },
    ))
}
