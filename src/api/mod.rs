//! The `/v1` REST API, with Reflector's paths and JSON shapes. Handlers only
//! translate HTTP to service calls; every error answers `{"detail": "..."}`.

mod config;
mod fallback;

use axum::routing::get;
use axum::Router;

use crate::router::ServerState;

pub fn router() -> Router<ServerState> {
    Router::new()
        .route("/config", get(config::get_config))
        .fallback(fallback::not_found)
        .method_not_allowed_fallback(fallback::method_not_allowed)
}

#[cfg(test)]
mod tests;
