use app::server::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::Request;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::trace::TraceLayer;

use crate::api;

/// Axum state: the services' state plus what Leptos needs to render.
#[derive(Clone)]
pub struct ServerState {
    pub app: AppState,
    pub leptos_options: LeptosOptions,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}

/// The whole HTTP surface: health, the `/v1` REST API, server functions and
/// the server-rendered pages with their static files.
pub fn build_router(app: AppState, leptos_options: LeptosOptions) -> Router {
    let state = ServerState { app, leptos_options };
    let routes = generate_route_list(App);
    let page_state = state.app.clone();

    Router::new()
        .route("/health", get(health))
        .nest("/v1", api::router(state.app.clone()))
        .route("/api/{*fn_name}", post(server_fn_handler).get(server_fn_handler))
        .leptos_routes_with_context(&state, routes, move || provide_context(page_state.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(shell))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn health() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "healthy" }))
}

async fn server_fn_handler(State(state): State<ServerState>, request: Request<Body>) -> impl IntoResponse {
    let app = state.app.clone();
    handle_server_fns_with_context(move || provide_context(app.clone()), request).await
}
