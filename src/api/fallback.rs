use app::server::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn not_found() -> AppError {
    AppError::NotFound("Not Found".into())
}

pub async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(serde_json::json!({ "detail": "Method Not Allowed" })),
    )
        .into_response()
}
