use app::server::auth::SignedIn;
use app::server::error::ErrorBody;
use app::server::services::recordings;
use app::server::{AppError, AppState};
use app::types::RecordingView;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::extract::ApiPath;

/// The meeting's recordings (the room's owner only).
#[utoipa::path(get, path = "/meetings/{meeting_id}/recordings", operation_id = "list_meeting_recordings", tag = "recordings",
    params(("meeting_id" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Oldest first, with status, size, checksum and a download URL once stored", body = Vec<RecordingView>),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiPath(meeting_id): ApiPath<String>,
) -> Result<Json<Vec<RecordingView>>, AppError> {
    Ok(Json(recordings::of_meeting(&state, &caller, &meeting_id).await?))
}

/// Our stored copy of a recording, streamed (the room's owner only).
#[utoipa::path(get, path = "/meetings/{meeting_id}/recordings/{recording_id}/download", operation_id = "download_recording", tag = "recordings",
    params(("meeting_id" = String, Path), ("recording_id" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such meeting or recording", body = ErrorBody),
        (status = 409, description = "Not stored yet", body = ErrorBody),
    ))]
pub async fn download(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiPath((meeting_id, recording_id)): ApiPath<(String, String)>,
) -> Result<Response, AppError> {
    let (recording, object) = recordings::download(&state, &caller, &meeting_id, &recording_id).await?;
    let key = recording.storage_key.unwrap_or_default();
    let file_name = key.rsplit('/').next().unwrap_or("recording.mp4").to_owned();
    let content_type = app::server::recordings::media_type(&key);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_LENGTH, object.size.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        Body::from_stream(object.bytes),
    )
        .into_response())
}
