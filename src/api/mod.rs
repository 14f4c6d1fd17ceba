//! The `/v1` REST API, with Reflector's paths and JSON shapes, and its
//! OpenAPI document, both made from the same route list (`Documented`).
//! Handlers only translate HTTP to service calls; every error answers
//! `{"detail": "..."}`.

mod api_keys;
mod auth;
mod byte_ranges;
mod calendar;
mod config;
pub mod docs;
mod documented;
mod extract;
mod fallback;
mod history;
mod meetings;
pub mod openapi;
mod recordings;
mod room_webhooks;
mod rooms;
mod transcript_audio;
mod transcripts;
mod webhooks;

use std::sync::Arc;

use app::server::auth::authenticate_request;
use app::server::AppState;
use axum::{Extension, Router};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

use self::docs::ApiDocument;
use self::documented::Documented;
use crate::router::ServerState;

/// Every route of the API, and the OpenAPI document (as served) describing
/// exactly those.
pub fn router(state: AppState) -> (Router<ServerState>, serde_json::Value) {
    let for_callers = Documented::new()
        .routes(routes!(config::get_config))
        .routes(routes!(auth::login))
        .routes(routes!(auth::me))
        .routes(routes!(api_keys::create, api_keys::list))
        .routes(routes!(api_keys::delete))
        .routes(routes!(rooms::list, rooms::create))
        .routes(routes!(rooms::get_by_name))
        .routes(routes!(rooms::get, rooms::update, rooms::delete))
        .routes(routes!(history::of_room))
        .routes(routes!(meetings::get_or_create))
        .routes(routes!(meetings::active))
        .routes(routes!(meetings::get))
        .routes(routes!(meetings::join))
        .routes(routes!(meetings::consent))
        .routes(routes!(meetings::deactivate))
        .routes(routes!(recordings::list))
        .routes(routes!(recordings::download))
        .routes(routes!(meetings::start_recording))
        .routes(routes!(calendar::sync))
        .routes(routes!(calendar::status))
        .routes(routes!(calendar::events))
        .routes(routes!(calendar::upcoming))
        .routes(routes!(room_webhooks::test))
        .routes(routes!(room_webhooks::deliveries))
        .routes(routes!(room_webhooks::redeliver))
        .routes(routes!(transcripts::list))
        .routes(routes!(transcripts::search))
        .routes(routes!(transcripts::get, transcripts::delete))
        .routes(routes!(transcripts::export))
        .routes(routes!(transcript_audio::audio))
        .layer(axum::middleware::from_fn_with_state(state, authenticate_request));
    // Platforms authenticate with their signatures, not with our credentials
    // (Daily may even send an `Authorization: Basic` header of its own); the
    // description of the API is for everyone.
    let open = Documented::new()
        .routes(routes!(webhooks::daily))
        .routes(routes!(webhooks::whereby))
        .routes(routes!(webhooks::jaas))
        .routes(routes!(webhooks::livekit))
        .routes(routes!(docs::openapi_json))
        .routes(routes!(docs::page))
        .routes(routes!(docs::asset));
    let (routes, described) = for_callers.merge(open).finish();
    let document = openapi::published(&openapi::document(described));
    let serialized = document.to_string();
    let router = routes
        .layer(Extension(ApiDocument(Arc::new(serialized))))
        .fallback(fallback::not_found)
        .method_not_allowed_fallback(fallback::method_not_allowed);
    (router, document)
}

/// `{"status": "ok"}`, Reflector's answer to deletions.
#[derive(Serialize, ToSchema)]
pub struct StatusOk {
    status: String,
}

impl StatusOk {
    pub fn ok() -> Self {
        StatusOk { status: "ok".into() }
    }
}
