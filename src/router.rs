use app::server::auth::identify_visitor;
use app::server::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::Request;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::services::{ServeDir, ServeFile};
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
    // The pages, 404 included, know their visitor for the header.
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, move || provide_context(page_state.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.app.clone(),
            identify_visitor,
        ));

    Router::new()
        .route("/health", get(health))
        .nest_service("/v1", api::router(state.app.clone()).with_state(state.clone()))
        .route("/api/{*fn_name}", post(server_fn_handler).get(server_fn_handler))
        .route("/vendor/{file}", get(crate::browser_sdks::serve))
        .merge(static_files(&state.leptos_options.site_root))
        .merge(pages)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The built bundle (`/pkg/…`) and the files copied from `public/`, routed
/// ahead of the pages: `/:room_name/:meeting_id` would otherwise match
/// `/pkg/reflector.js`. (Room names cannot contain dots or be `pkg`.)
fn static_files(site_root: &str) -> Router<ServerState> {
    let root = std::path::Path::new(site_root);
    let mut router = Router::new().nest_service("/pkg", ServeDir::new(root.join("pkg")));
    let public_files = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()));
    for entry in public_files {
        if let Some(name) = entry.file_name().to_str() {
            router = router.route_service(&format!("/{name}"), ServeFile::new(entry.path()));
        }
    }
    router
}

async fn health() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "healthy" }))
}

async fn server_fn_handler(State(state): State<ServerState>, request: Request<Body>) -> impl IntoResponse {
    let app = state.app.clone();
    handle_server_fns_with_context(move || provide_context(app.clone()), request).await
}
