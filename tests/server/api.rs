use axum::http::StatusCode;
use serde_json::json;

use crate::support::{json, send, test_router};

async fn call(method: &str, uri: &str) -> (StatusCode, String) {
    send(&test_router().await, method, uri, &[], None).await
}

#[tokio::test]
async fn health_reports_healthy() {
    let (status, body) = call("GET", "/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body), json!({ "status": "healthy" }));
}

#[tokio::test]
async fn unknown_api_route_is_404_with_detail() {
    let (status, body) = call("GET", "/v1/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["detail"], "Not Found");
}

#[tokio::test]
async fn wrong_method_is_405_with_detail() {
    let (status, body) = call("DELETE", "/v1/config").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json(&body)["detail"], "Method Not Allowed");
}

#[tokio::test]
async fn config_lists_optional_integrations() {
    let (status, body) = call("GET", "/v1/config").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json(&body),
        json!({ "zulip_enabled": false, "email_enabled": false })
    );
}

#[tokio::test]
async fn malformed_bodies_are_client_errors_with_detail() {
    let router = test_router().await;
    let (status, body) = send(
        &router,
        "POST",
        "/v1/auth/login",
        &[],
        Some(&json!({ "email": 3 })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        json(&body)["detail"].as_str().unwrap().contains("email"),
        "{body}"
    );

    let request = axum::http::Request::post("/v1/auth/login")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let response = tower::ServiceExt::oneshot(router.clone(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let request = axum::http::Request::post("/v1/auth/login")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    let response = tower::ServiceExt::oneshot(router, request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn home_page_is_server_rendered_with_hydration_scripts() {
    let (status, body) = call("GET", "/").await;
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
    let (status, body) = call("GET", "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page not found"), "{body}");
}
