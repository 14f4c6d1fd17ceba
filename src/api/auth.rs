use app::server::auth::{Caller, ClientKey};
use app::server::error::ErrorBody;
use app::server::services;
use app::server::{AppError, AppState};
use app::types::{LoginRequest, LoginResponse, Me};
use axum::extract::State;
use axum::Json;

use super::extract::ApiJson;

/// Password login: a bearer token for the API.
#[utoipa::path(post, path = "/auth/login", operation_id = "login", tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "A token", body = LoginResponse),
        (status = 401, description = "Wrong e-mail or password", body = ErrorBody),
        (status = 404, description = "This server signs users in through an identity provider", body = ErrorBody),
        (status = 429, description = "More than 10 attempts from this client in 5 minutes", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    Ok(Json(services::auth::login(&state, &client, &request).await?))
}

/// The caller, or `null` when anonymous.
#[utoipa::path(get, path = "/me", operation_id = "me", tag = "accounts",
    security((), ("bearer" = []), ("api_key" = [])),
    responses((status = 200, description = "Who is calling", body = Option<Me>)))]
pub async fn me(caller: Caller) -> Json<Option<Me>> {
    Json(services::auth::me(&caller))
}
