use app::server::services::webhooks::{ingest_daily, ingest_whereby, AckBody};
use app::server::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;

/// `POST /v1/daily/webhook`: signed Daily events, checked over the raw body.
pub async fn daily(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AckBody>, AppError> {
    Ok(Json(AckBody {
        status: ingest_daily(&state, &headers, &body).await?,
    }))
}

/// `POST /v1/whereby`: signed Whereby events, checked over the raw body.
pub async fn whereby(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AckBody>, AppError> {
    Ok(Json(AckBody {
        status: ingest_whereby(&state, &headers, &body).await?,
    }))
}
