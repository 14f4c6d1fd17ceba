use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::test_support::test_router;

async fn call(method: &str, uri: &str, body: Option<&str>) -> (StatusCode, String) {
    let router = test_router().await;
    let mut request = Request::builder().method(method).uri(uri);
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let request = request
        .body(body.map(|b| Body::from(b.to_owned())).unwrap_or_default())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[tokio::test]
async fn health_reports_healthy() {
    let (status, body) = call("GET", "/health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body), serde_json::json!({ "status": "healthy" }));
}

#[tokio::test]
async fn unknown_api_route_is_404_with_detail() {
    let (status, body) = call("GET", "/v1/no-such-thing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["detail"], "Not Found");
}

#[tokio::test]
async fn wrong_method_is_405_with_detail() {
    let (status, body) = call("DELETE", "/v1/config", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json(&body)["detail"], "Method Not Allowed");
}

#[tokio::test]
async fn config_lists_optional_integrations() {
    let (status, body) = call("GET", "/v1/config", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json(&body),
        serde_json::json!({ "zulip_enabled": false, "email_enabled": false })
    );
}

#[tokio::test]
async fn home_page_is_server_rendered_with_hydration_scripts() {
    let (status, body) = call("GET", "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>Reflector Rooms</h1>"), "{body}");
    assert!(
        body.contains("/pkg/reflector.js"),
        "no hydration script in: {body}"
    );
    assert!(body.contains("Welcome · Reflector Rooms"), "no title in: {body}");
}

#[tokio::test]
async fn unknown_page_is_404_html() {
    let (status, body) = call("GET", "/no/such/page", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page not found"), "{body}");
}

#[tokio::test]
async fn server_status_function_answers_from_the_database() {
    let (status, body) = call("POST", "/api/server_status", Some("{}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let value = json(&body);
    assert_eq!(value["database"], "SQLite");
    assert_eq!(value["rooms"], 0);
    assert_eq!(value["version"], env!("CARGO_PKG_VERSION"));
}
