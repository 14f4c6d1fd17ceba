use app::server::auth::SignedIn;
use app::server::error::ErrorBody;
use app::server::services::api_keys;
use app::server::{AppError, AppState};
use app::types::{ApiKey, CreateApiKey, CreatedApiKey};
use axum::extract::State;
use axum::Json;

use super::extract::{ApiJson, ApiPath};
use super::StatusOk;

/// Creates an API key; the key itself is in this answer only.
#[utoipa::path(post, path = "/user/api-keys", operation_id = "create_api_key", tag = "accounts",
    request_body = CreateApiKey,
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The key, shown this once", body = CreatedApiKey, links(
            ("DeleteKey" = (operation_id = "delete_api_key", parameters(("key_id" = "$response.body#/id")))),
        )),
    ))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiJson(request): ApiJson<CreateApiKey>,
) -> Result<Json<CreatedApiKey>, AppError> {
    Ok(Json(api_keys::create(&state, &caller, &request).await?))
}

/// The caller's API keys (never the keys themselves), newest first.
#[utoipa::path(get, path = "/user/api-keys", operation_id = "list_api_keys", tag = "accounts",
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, description = "The keys", body = Vec<ApiKey>)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<ApiKey>>, AppError> {
    Ok(Json(api_keys::list(&state, &caller).await?))
}

/// Deletes one of the caller's API keys.
#[utoipa::path(delete, path = "/user/api-keys/{key_id}", operation_id = "delete_api_key", tag = "accounts",
    params(("key_id" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Deleted", body = StatusOk),
        (status = 404, description = "No such key of yours", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    ApiPath(key_id): ApiPath<String>,
) -> Result<Json<StatusOk>, AppError> {
    api_keys::delete(&state, &caller, &key_id).await?;
    Ok(Json(StatusOk::ok()))
}
