//! A transcript's audio for its page's player: the recording's stored copy,
//! with byte ranges so the player can seek anywhere without the whole file.

use app::server::auth::Caller;
use app::server::error::ErrorBody;
use app::server::recordings::{media_type, StoredObject};
use app::server::services::transcripts::views;
use app::server::{AppError, AppState};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::byte_ranges::{self, Asked};
use super::extract::ApiPath;

/// The recording's audio, while it is kept (readers of the transcript).
#[utoipa::path(get, path = "/transcripts/{transcript_id}/audio", operation_id = "transcript_audio", tag = "transcripts",
    params(("transcript_id" = String, Path), ("range" = Option<String>, Header, description = "bytes=start-end")),
    security(("bearer" = []), ("api_key" = []), ()),
    responses(
        (status = 200, description = "The whole file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "The range asked for", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "Not signed in (unless the server runs in public mode)", body = ErrorBody),
        (status = 404, description = "No such transcript, or its audio was deleted", body = ErrorBody),
        (status = 416, description = "A range outside the file", body = ErrorBody),
        (status = 503, description = "Recording storage is unavailable", body = ErrorBody),
    ))]
pub async fn audio(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let key = views::audio(&state, &caller, &id).await?;
    let storage = &state.recording_storage;
    let size = storage.size(&key).await.map_err(storage_unavailable)?;
    let content_type = media_type(&key);
    let header = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let range = match byte_ranges::asked(header, size) {
        Asked::Whole => {
            let object = storage.read(&key).await.map_err(storage_unavailable)?;
            return Ok(file_response(StatusCode::OK, content_type, object, None));
        }
        Asked::Part(range) => range,
        Asked::Unsatisfiable => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
                axum::Json(ErrorBody {
                    detail: format!("Range: expected bytes=start-end within the file's {size} bytes"),
                    code: None,
                }),
            )
                .into_response());
        }
    };
    let (start, end) = (*range.start(), *range.end());
    let object = storage
        .read_range(&key, start..end + 1)
        .await
        .map_err(storage_unavailable)?;
    let content_range = format!("bytes {start}-{end}/{size}");
    Ok(file_response(
        StatusCode::PARTIAL_CONTENT,
        content_type,
        object,
        Some(content_range),
    ))
}

fn file_response(
    status: StatusCode,
    content_type: &str,
    object: StoredObject,
    content_range: Option<String>,
) -> Response {
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_LENGTH, object.size.to_string()),
            (header::ACCEPT_RANGES, "bytes".to_owned()),
        ],
        Body::from_stream(object.bytes),
    )
        .into_response();
    if let Some(value) = content_range.and_then(|v| v.parse().ok()) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}

fn storage_unavailable(error: String) -> AppError {
    tracing::warn!(%error, "stored recording unreadable");
    AppError::Unavailable("Recording storage is unavailable; try again later".into())
}
