//! The `/v1` REST API, with Reflector's paths and JSON shapes. Handlers only
//! translate HTTP to service calls; every error answers `{"detail": "..."}`.

mod api_keys;
mod auth;
mod config;
mod fallback;
mod json;

use app::server::auth::authenticate_request;
use app::server::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

use crate::router::ServerState;

pub fn router(state: AppState) -> Router<ServerState> {
    Router::new()
        .route("/config", get(config::get_config))
        .route("/auth/login", post(auth::login))
        .route("/me", get(auth::me))
        .route("/user/api-keys", post(api_keys::create).get(api_keys::list))
        .route("/user/api-keys/{key_id}", delete(api_keys::delete))
        .fallback(fallback::not_found)
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state, authenticate_request))
}

#[cfg(test)]
mod permission_matrix;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_auth;
