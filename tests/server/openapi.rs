//! The `/v1` API as a published contract: the OpenAPI document the server
//! serves is the one made from its routes, it cannot drift from them, it
//! says what a client generator needs (schemas, enums, errors, security,
//! the webhooks' signature headers), and the API docs page is served.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{send, test_state, TestApi};

pub(crate) async fn document() -> Value {
    reflector::api::router(test_state(&[]).await).1
}

/// Every (method, path) the document lists.
pub(crate) fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if let Some(operation) = item.get(method) {
                found.push((method.to_uppercase(), path.clone(), operation.clone()));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_served_document_is_the_one_made_from_the_routes() {
    let api = TestApi::new(test_state(&[]).await);
    let (status, served) = api.call("GET", "/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, document().await);
    assert_eq!(served["openapi"], "3.1.0");
}

/// Each documented operation is answered by its handler, not by the
/// API's "no such route" fallback.
#[tokio::test]
async fn every_documented_operation_is_served() {
    let api = TestApi::new(test_state(&[]).await);
    let document = document().await;
    let operations = operations(&document);
    assert!(operations.len() >= 25, "{} operations", operations.len());
    for (method, path, _) in operations {
        let concrete = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "probe-x"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let body = matches!(method.as_str(), "POST" | "PATCH" | "PUT").then(|| serde_json::json!({}));
        let (status, text) = send(&api.router, &method, &concrete, &[], body.as_ref()).await;
        let fallback = (status == StatusCode::NOT_FOUND && text.contains("\"Not Found\""))
            || status == StatusCode::METHOD_NOT_ALLOWED;
        assert!(!fallback, "{method} {path}: {status} {text}");
    }
}

/// A route can join the API only through `Documented` (which documents it):
/// no code in `src/api` adds one any other way.
#[test]
fn no_route_is_added_without_its_documentation() {
    let sources = [
        ("mod.rs", include_str!("../../src/api/mod.rs")),
        ("documented.rs", include_str!("../../src/api/documented.rs")),
        ("docs.rs", include_str!("../../src/api/docs.rs")),
    ];
    for (file, source) in sources {
        for undocumented in [
            ".route(",
            ".route_service(",
            ".nest(",
            ".nest_service(",
            "Router::new()",
        ] {
            assert!(
                !source.contains(undocumented),
                "src/api/{file} adds a route with {undocumented}: use Documented::routes"
            );
        }
    }
    let router = include_str!("../../src/router.rs");
    assert_eq!(
        router.matches("\"/v1\"").count(),
        1,
        "only the documented API is mounted under /v1"
    );
}

#[tokio::test]
async fn the_document_says_what_a_client_generator_needs() {
    let document = document().await;
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["api_key"]["in"], "header");
    assert_eq!(schemes["api_key"]["name"], "X-API-Key");
    let schemas = &document["components"]["schemas"];
    for (name, values) in [
        ("Platform", vec!["whereby", "daily", "livekit", "jitsi", "mock"]),
        ("RoomMode", vec!["normal", "group"]),
        ("RecordingType", vec!["none", "local", "cloud"]),
        (
            "RecordingTrigger",
            vec!["none", "prompt", "automatic", "automatic-2nd-participant"],
        ),
        ("DailyRecordingKind", vec!["cloud", "raw-tracks"]),
        (
            "RecordingStatus",
            vec!["pending", "processing", "completed", "failed"],
        ),
    ] {
        let listed: Vec<&str> = schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is an enum"))
            .iter()
            .map(|value| value.as_str().unwrap())
            .collect();
        assert_eq!(listed, values, "{name}");
    }
    assert_eq!(schemas["ErrorBody"]["required"], serde_json::json!(["detail"]));

    for (method, path, operation) in operations(&document) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path}: operationId"));
        let responses = operation["responses"].as_object().unwrap();
        assert!(responses.contains_key("200"), "{id}: a success answer");
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{id} {status}: errors are {{\"detail\"}}"
                );
            }
        }
        for status in ["400", "413", "422"] {
            assert!(responses.contains_key(status), "{id}: documents {status}");
        }
    }
    let headers = |path: &str| -> BTreeSet<String> {
        document["paths"][path]["post"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|parameter| parameter["in"] == "header")
            .map(|parameter| parameter["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        headers("/v1/daily/webhook"),
        BTreeSet::from(["X-Webhook-Signature".to_owned(), "X-Webhook-Timestamp".to_owned()])
    );
    assert_eq!(
        headers("/v1/whereby"),
        BTreeSet::from(["Whereby-Signature".to_owned()])
    );
    assert_eq!(
        headers("/v1/livekit/webhook"),
        BTreeSet::from(["Authorization".to_owned()])
    );
    assert_eq!(
        headers("/v1/jaas/webhook"),
        BTreeSet::from(["X-Jaas-Signature".to_owned()])
    );
    let create = &document["paths"]["/v1/rooms"]["post"];
    let links = create["responses"]["200"]["links"].as_object().unwrap();
    assert_eq!(
        links["GetRoom"]["operationId"], "get_room",
        "stateful clients follow links"
    );
}

#[tokio::test]
async fn the_docs_page_is_served_with_its_npm_assets() {
    let sdk = tempfile::tempdir().unwrap();
    let package = sdk.path().join("swagger-ui-dist");
    std::fs::create_dir_all(&package).unwrap();
    std::fs::write(
        package.join("swagger-ui-bundle.js"),
        "window.SwaggerUIBundle = () => {};",
    )
    .unwrap();
    std::fs::write(package.join("swagger-ui.css"), "body {}").unwrap();
    let api = TestApi::new(test_state(&[("BROWSER_SDK_DIR", sdk.path().to_str().unwrap())]).await);
    let (status, page) = send(&api.router, "GET", "/v1/docs", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/v1/docs/swagger-ui-bundle.js") && page.contains("/v1/docs/init.js"));
    for (file, expected) in [
        ("swagger-ui-bundle.js", "SwaggerUIBundle"),
        ("swagger-ui.css", "body"),
        ("init.js", "/v1/openapi.json"),
    ] {
        let (status, text) = send(&api.router, "GET", &format!("/v1/docs/{file}"), &[], None).await;
        assert_eq!(status, StatusCode::OK, "{file}");
        assert!(text.contains(expected), "{file}: {text}");
    }
    let (status, _) = send(&api.router, "GET", "/v1/docs/../secret", &[], None).await;
    assert!(status.is_client_error());
    let missing = TestApi::new(test_state(&[("BROWSER_SDK_DIR", "/nonexistent")]).await);
    let (status, text) = send(&missing.router, "GET", "/v1/docs/swagger-ui.css", &[], None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
}

/// Every `$ref` points at a schema the document has (a type used only as a
/// path parameter is not collected on its own: schemathesis found one).
#[tokio::test]
async fn every_reference_resolves() {
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(fields) => {
                for (key, inner) in fields {
                    match (key.as_str(), inner.as_str()) {
                        ("$ref", Some(target)) => found.push(target.to_owned()),
                        _ => refs(inner, found),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
            _ => {}
        }
    }
    let api = TestApi::new(test_state(&[]).await);
    let (_, document) = api.call("GET", "/v1/openapi.json", None, None).await;
    let mut found = Vec::new();
    refs(&document, &mut found);
    assert!(!found.is_empty());
    for target in found {
        assert!(
            document.pointer(target.trim_start_matches('#')).is_some(),
            "unresolvable {target}"
        );
    }
}
