use app::server::auth::{Caller, ClientKey};
use app::server::services;
use app::server::{AppError, AppState};
use app::types::{LoginRequest, LoginResponse, Me};
use axum::extract::State;
use axum::Json;

use super::json::ApiJson;

/// `POST /v1/auth/login`
pub async fn login(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    Ok(Json(services::auth::login(&state, &client, &request).await?))
}

/// `GET /v1/me`: the caller, or `null`.
pub async fn me(caller: Caller) -> Json<Option<Me>> {
    Json(services::auth::me(&caller))
}
