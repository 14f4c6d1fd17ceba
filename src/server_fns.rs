//! The server functions' HTTP door, a middleware over `/api/…` (Leptos
//! registers each server function's route itself): the body is read within
//! the request limit before Leptos decodes it, and every refusal leaves with
//! its own status (401, 403, 404, 422, 502, …) instead of the blanket 500
//! server functions answer errors with; the browser decodes any 4xx/5xx as
//! the same `ApiError`.

use app::server::{nul_text, AppError, AppState};
use app::types::ApiError;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use leptos::prelude::provide_context;
use leptos_axum::handle_server_fns_with_context;

use crate::body_limit::{is_too_large, too_large};
use crate::router::ServerState;

/// Marks a server function's error answer (server_fn's own header).
const ERROR_HEADER: &str = "serverfnerror";

/// Error answers are small; anything bigger is left as it is.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub const PREFIX: &str = "/api/";

pub async fn door(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    if !request.uri().path().starts_with(PREFIX) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if is_too_large(&error) => return refusal(too_large(state.settings.max_request_bytes)),
        Err(_) => return refusal(AppError::BadRequest("The request body could not be read".into())),
    };
    let query = parts.uri.query().unwrap_or_default().as_bytes();
    if nul_text::percent_encoded_has_nul(&bytes)
        || nul_text::percent_encoded_has_nul(query)
        || nul_text::json_has_nul(&bytes)
    {
        return refusal(nul_text::refusal());
    }
    // Arguments come as an object; serde would also read them from an array.
    let is_json = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json && !bytes.is_empty() && bytes.iter().find(|byte| !byte.is_ascii_whitespace()) != Some(&b'{') {
        return refusal(AppError::Unprocessable(
            "The arguments must be a JSON object".into(),
        ));
    }
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    with_its_own_status(response).await
}

/// `/api/{*fn_name}` for names Leptos did not register: its own "not found".
pub async fn unknown(State(state): State<ServerState>, request: Request<Body>) -> Response {
    let app = state.app.clone();
    handle_server_fns_with_context(move || provide_context(app.clone()), request)
        .await
        .into_response()
}

fn refusal(error: AppError) -> Response {
    let status = error.status();
    let mut response = (status, axum::Json(ApiError::from(error))).into_response();
    response
        .headers_mut()
        .insert(ERROR_HEADER, HeaderValue::from_static("true"));
    response
}

/// Gives a server function's error answer the status its `ApiError` names.
async fn with_its_own_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(collected) = http_body_util::Limited::new(body, ERROR_BODY_LIMIT)
        .collect()
        .await
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, parts.headers).into_response();
    };
    let bytes = collected.to_bytes();
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status) {
            if status.is_client_error() || status.is_server_error() {
                parts.status = status;
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
