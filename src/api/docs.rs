//! The API's own description: the OpenAPI document at `/v1/openapi.json`,
//! and a page to browse it at `/v1/docs` (Swagger UI, from npm's
//! `swagger-ui-dist`, installed by `npm ci` like the platforms' SDKs).

use std::sync::Arc;

use app::server::error::ErrorBody;
use app::server::AppState;
use axum::extract::State;

use super::extract::ApiPath;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;

use crate::browser_sdks::npm_file;

/// The document, serialized once when the router is built.
#[derive(Clone)]
pub struct ApiDocument(pub Arc<String>);

/// This document.
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi_document", tag = "server",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = serde_json::Value)))]
pub async fn openapi_json(Extension(document): Extension<ApiDocument>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document.0.as_str().to_owned(),
    )
        .into_response()
}

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reflector Rooms API</title>
<link rel="stylesheet" href="/v1/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/v1/docs/swagger-ui-bundle.js"></script>
<script src="/v1/docs/init.js"></script>
</body>
</html>
"#;

const INIT: &str =
    "window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n";

/// A page to read the document and try the API from the browser.
#[utoipa::path(get, path = "/docs", operation_id = "api_docs_page", tag = "server",
    responses((status = 200, description = "The page", content_type = "text/html", body = String)))]
pub async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// The page's script and style.
#[utoipa::path(get, path = "/docs/{file}", operation_id = "api_docs_asset", tag = "server",
    params(("file" = String, Path, description = "`swagger-ui.css`, `swagger-ui-bundle.js` or `init.js`")),
    responses(
        (status = 200, description = "The file", content_type = "text/javascript", body = String),
        (status = 404, description = "No such file", body = ErrorBody),
        (status = 503, description = "`npm ci` was not run", body = ErrorBody),
    ))]
pub async fn asset(State(state): State<AppState>, ApiPath(file): ApiPath<String>) -> Response {
    const PACKAGE: &str = "swagger-ui-dist";
    match file.as_str() {
        "init.js" => ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], INIT).into_response(),
        "swagger-ui.css" => npm_file(&state, PACKAGE, "swagger-ui.css", "text/css; charset=utf-8").await,
        "swagger-ui-bundle.js" => {
            npm_file(
                &state,
                PACKAGE,
                "swagger-ui-bundle.js",
                "text/javascript; charset=utf-8",
            )
            .await
        }
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(ErrorBody {
                detail: format!("No documentation file is called '{file}'"),
                code: None,
            }),
        )
            .into_response(),
    }
}
