//! One limit on every request body (`MAX_REQUEST_BYTES`), for the REST API,
//! the platform webhooks, the server functions and anything added later: a
//! declared length over it is refused before a byte is read, a body that
//! grows past it while streaming stops there, and both answer 413 with a
//! `detail` (never a 500).

use app::server::{AppError, AppState};
use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::Limited;

pub async fn limit_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.settings.max_request_bytes;
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return too_large(limit).into_response();
    }
    // A declared length is exact (hyper enforces it) and was checked; only
    // a body of unknown length needs watching as it streams in.
    let unknown_length = declared.is_none() && request.body().size_hint().exact() != Some(0);
    let request = if unknown_length {
        let (parts, body) = request.into_parts();
        Request::from_parts(parts, Body::new(Limited::new(body, limit)))
    } else {
        request
    };
    let response = next.run(request).await;
    // Extractors that hit the limit answer 413 in their own words.
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return too_large(limit).into_response();
    }
    response
}

pub fn too_large(limit: usize) -> AppError {
    AppError::TooLarge(format!(
        "The request body is larger than this server accepts ({limit} bytes)"
    ))
}

/// Whether reading a body failed because it outgrew the limit.
pub fn is_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}
