//! The video platforms' browser SDKs (and other npm files the server hands
//! out, such as the API documentation page's). `npm ci` installs them from
//! the lockfile at build time (they are never committed) and the room page
//! loads them from here, only on the rooms that need them.

use std::path::PathBuf;

use app::server::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

struct BrowserSdk {
    file: &'static str,
    package: &'static str,
    path_in_package: &'static str,
}

const SDKS: &[BrowserSdk] = &[
    BrowserSdk {
        file: "daily.js",
        package: "@daily-co/daily-js",
        path_in_package: "dist/daily.js",
    },
    BrowserSdk {
        file: "livekit-client.js",
        package: "livekit-client",
        path_in_package: "dist/livekit-client.umd.js",
    },
    BrowserSdk {
        file: "whereby-embed.js",
        package: "@whereby.com/browser-sdk",
        path_in_package: "dist/cdn/v3-embed.js",
    },
];

/// `GET /vendor/{file}`.
pub async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(sdk) = SDKS.iter().find(|sdk| sdk.file == file) else {
        return problem(
            StatusCode::NOT_FOUND,
            format!("No browser SDK is called '{file}'"),
        );
    };
    npm_file(
        &state,
        sdk.package,
        sdk.path_in_package,
        "text/javascript; charset=utf-8",
    )
    .await
}

/// A file of an npm package `npm ci` installed under `BROWSER_SDK_DIR`.
pub async fn npm_file(
    state: &AppState,
    package: &str,
    path_in_package: &str,
    content_type: &'static str,
) -> Response {
    let location: PathBuf = state.settings.browser_sdk_dir.join(package).join(path_in_package);
    match tokio::fs::read(&location).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(path = %location.display(), %error, "npm package file missing");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "The server has no copy of {package}: run `npm ci` in the project folder (or set BROWSER_SDK_DIR)"
                ),
            )
        }
    }
}

fn problem(status: StatusCode, detail: String) -> Response {
    (status, axum::Json(serde_json::json!({ "detail": detail }))).into_response()
}
