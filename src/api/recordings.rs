use app::server::auth::SignedIn;
use app::server::services::recordings;
use app::server::{AppError, AppState};
use app::types::RecordingView;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// `GET /v1/meetings/{meeting_id}/recordings` (room owner).
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(meeting_id): Path<String>,
) -> Result<Json<Vec<RecordingView>>, AppError> {
    Ok(Json(recordings::of_meeting(&state, &caller, &meeting_id).await?))
}

/// `GET /v1/meetings/{meeting_id}/recordings/{recording_id}/download` (room
/// owner): our stored copy, streamed.
pub async fn download(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path((meeting_id, recording_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (recording, object) = recordings::download(&state, &caller, &meeting_id, &recording_id).await?;
    let key = recording.storage_key.unwrap_or_default();
    let file_name = key.rsplit('/').next().unwrap_or("recording.mp4").to_owned();
    let content_type = match file_name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("webm") => "video/webm",
        Some("m4a") => "audio/mp4",
        Some("ogg") => "audio/ogg",
        Some("mp3") => "audio/mpeg",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    };
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
