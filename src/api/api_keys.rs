use app::server::auth::SignedIn;
use app::server::services::api_keys;
use app::server::{AppError, AppState};
use app::types::{ApiKey, CreateApiKey, CreatedApiKey};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::json::ApiJson;

/// `POST /v1/user/api-keys`: the plaintext key is in this answer only.
pub async fn create(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiJson(request): ApiJson<CreateApiKey>,
) -> Result<Json<CreatedApiKey>, AppError> {
    Ok(Json(api_keys::create(&state, &caller, &request).await?))
}

/// `GET /v1/user/api-keys`: the caller's keys, newest first.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<ApiKey>>, AppError> {
    Ok(Json(api_keys::list(&state, &caller).await?))
}

/// `DELETE /v1/user/api-keys/{key_id}`
pub async fn delete(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(key_id): Path<String>,
) -> Result<Json<Value>, AppError> {
    api_keys::delete(&state, &caller, &key_id).await?;
    Ok(Json(json!({ "status": "ok" })))
}
