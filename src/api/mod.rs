//! The `/v1` REST API, with Reflector's paths and JSON shapes. Handlers only
//! translate HTTP to service calls; every error answers `{"detail": "..."}`.

mod api_keys;
mod auth;
mod config;
mod fallback;
mod json;
mod meetings;
mod recordings;
mod rooms;
mod webhooks;

use app::server::auth::authenticate_request;
use app::server::AppState;
use axum::routing::{delete, get, patch, post};
use axum::Router;

use crate::router::ServerState;

pub fn router(state: AppState) -> Router<ServerState> {
    // Platforms authenticate with their signatures, not with our credentials
    // (Daily may even send an `Authorization: Basic` header of its own).
    let platform_webhooks = Router::new()
        .route("/daily/webhook", post(webhooks::daily))
        .route("/whereby", post(webhooks::whereby));
    Router::new()
        .route("/config", get(config::get_config))
        .route("/auth/login", post(auth::login))
        .route("/me", get(auth::me))
        .route("/user/api-keys", post(api_keys::create).get(api_keys::list))
        .route("/user/api-keys/{key_id}", delete(api_keys::delete))
        .route("/rooms", get(rooms::list).post(rooms::create))
        .route("/rooms/name/{room}", get(rooms::get_by_name))
        // `{room}` is the room's id on the room itself and its name below it,
        // as in Reflector's API.
        .route(
            "/rooms/{room}",
            get(rooms::get).patch(rooms::update).delete(rooms::delete),
        )
        .route("/rooms/{room}/meeting", post(meetings::get_or_create))
        .route("/rooms/{room}/meetings/active", get(meetings::active))
        .route("/rooms/{room}/meetings/{meeting_id}", get(meetings::get))
        .route("/rooms/{room}/meetings/{meeting_id}/join", post(meetings::join))
        .route("/meetings/{meeting_id}/consent", post(meetings::consent))
        .route("/meetings/{meeting_id}/deactivate", patch(meetings::deactivate))
        .route("/meetings/{meeting_id}/recordings", get(recordings::list))
        .route(
            "/meetings/{meeting_id}/recordings/{recording_id}/download",
            get(recordings::download),
        )
        .route(
            "/meetings/{meeting_id}/recordings/start",
            post(meetings::start_recording),
        )
        .layer(axum::middleware::from_fn_with_state(state, authenticate_request))
        .merge(platform_webhooks)
        .fallback(fallback::not_found)
        .method_not_allowed_fallback(fallback::method_not_allowed)
}
