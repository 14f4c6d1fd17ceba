use app::server::auth::identify_visitor;
use app::server::AppState;
use app::{shell, App};
use axum::extract::FromRef;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::body_limit::limit_body;
use crate::{api, server_fns};

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
        .nest_service("/v1", api::router(state.app.clone()).0.with_state(state.clone()))
        .route(
            "/api/{*fn_name}",
            post(server_fns::unknown).get(server_fns::unknown),
        )
        .route("/vendor/{file}", get(crate::browser_sdks::serve))
        .merge(static_files(&state.leptos_options.site_root))
        .merge(pages)
        .layer(middleware::from_fn_with_state(
            state.app.clone(),
            server_fns::door,
        ))
        .layer(middleware::from_fn_with_state(state.app.clone(), limit_body))
        // HTML and JSON gzipped on the fly (brotli's encoder would add
        // megabytes to the binary for a few percent on small answers); the
        // bundle's files go out precompressed, brotli included (their
        // answers already carry an encoding, which this layer leaves alone).
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The built bundle (`/pkg/…`) and the files copied from `public/`, routed
/// ahead of the pages: `/:room_name/:meeting_id` would otherwise match
/// `/pkg/reflector.js`. (Room names cannot contain dots or be `pkg`.) The
/// release build writes a brotli and a gzip copy beside each file
/// (`cargo leptos build --precompress`); the copy the browser accepts is
/// sent, the plain file otherwise.
fn static_files(site_root: &str) -> Router<ServerState> {
    let root = std::path::Path::new(site_root);
    let bundle = ServeDir::new(root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let mut router = Router::new().nest_service("/pkg", bundle);
    let public_files = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()));
    for entry in public_files {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let file = ServeFile::new(entry.path())
            .precompressed_br()
            .precompressed_gzip();
        router = router.route_service(&format!("/{name}"), file);
    }
    router
}

async fn health() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "healthy" }))
}
