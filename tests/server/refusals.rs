//! What a stranger sends is refused with a 4xx that says why, and each
//! refusal carries its own status, on the REST API and on the server
//! functions alike: bodies over the limit, numbers that overflow, webhook
//! timestamps and durations that are no times, malformed server-function
//! arguments; and what only a room's owner may see stays theirs.

use app::server::store::testing::every_backend;
use app::types::Platform;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::{send, state_for, test_state, TestApi};
use crate::webhooks::{daily_headers, hooks_with, DAILY_SECRET};

async fn raw(api: &TestApi, request: Request<Body>) -> (StatusCode, String) {
    let response = api.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn detail(text: &str) -> String {
    let value: Value = serde_json::from_str(text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    value["detail"]
        .as_str()
        .unwrap_or_else(|| panic!("no detail: {text}"))
        .to_owned()
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_everywhere_and_read_no_further() {
    let api = TestApi::new(test_state(&[("MAX_REQUEST_BYTES", "65536")]).await);
    let owner = api.user("owner@example.com").await;
    let big = vec![b'x'; 40 << 20];
    for path in ["/api/open_room", "/v1/rooms", "/v1/daily/webhook", "/v1/whereby"] {
        // Declared up front: refused before a byte of the body is read.
        let request = Request::post(path)
            .header("content-type", "application/json")
            .header("authorization", &owner)
            .header("content-length", big.len())
            .body(Body::from(big.clone()))
            .unwrap();
        let (status, text) = raw(&api, request).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {text}");
        assert!(detail(&text).contains("65536 bytes"), "{path}: {text}");

        // Streamed without a length: stopped once it passes the limit.
        let chunks = futures::stream::iter(
            (0..64).map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'x'; 16 << 10]))),
        );
        let request = Request::post(path)
            .header("content-type", "application/json")
            .header("authorization", &owner)
            .body(Body::from_stream(chunks))
            .unwrap();
        let (status, text) = raw(&api, request).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path} streamed: {text}");
        assert!(!detail(&text).is_empty());
    }
}

#[tokio::test]
async fn page_numbers_that_overflow_are_422() {
    let api = TestApi::new(test_state(&[]).await);
    let owner = api.user("owner@example.com").await;
    for query in [
        "page=9223372036854775807",
        "page=9223372036854775807&size=100",
        "page=99999999999999999999",
        "page=0",
        "size=0",
        "size=101",
        "page=-3",
    ] {
        let (status, answer) = api
            .call("GET", &format!("/v1/rooms?{query}"), Some(&owner), None)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {answer}");
        assert!(answer["detail"].is_string());
    }
}

/// serde reads a struct from an array of its fields too: `[]` would be a
/// request with every default (found by schemathesis on get-or-create).
#[tokio::test]
async fn bodies_that_are_not_objects_are_422() {
    let api = TestApi::new(test_state(&[("ENABLE_MOCK_PLATFORM", "true")]).await);
    let owner = api.user("owner@example.com").await;
    let (status, _) = api
        .call(
            "POST",
            "/v1/rooms",
            Some(&owner),
            Some(json!({"name": "arrays", "platform": "mock"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for (path, body) in [
        ("/v1/rooms/arrays/meeting", json!([])),
        ("/v1/rooms/arrays/meeting", json!([true])),
        ("/v1/rooms", json!(["named", "mock"])),
        ("/v1/rooms", json!("a string")),
    ] {
        let (status, answer) = api.call("POST", path, Some(&owner), Some(body.clone())).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body}: {answer}"
        );
        assert!(answer["detail"].is_string());
    }
    let (status, _) = api
        .call("POST", "/v1/rooms/arrays/meeting", None, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "an object still works");
}

#[tokio::test]
async fn webhook_timestamps_and_durations_must_be_times() {
    for store in every_backend().await {
        let hooks = hooks_with(store, &[]).await;
        hooks.meeting(Platform::Daily, "m-times", "times-room").await;
        let body = json!({"version": "1.0.0", "type": "participant.joined", "id": "evt-nan", "event_ts": 1,
            "payload": {"room": "times-room", "session_id": "s-1", "user_id": "u", "joined_at": 1_800_000_000}})
        .to_string();
        // Correctly signed over "NaN.<body>", but NaN is no time: refused.
        for timestamp in ["NaN", "inf", "1.8e9", "-1"] {
            let headers = signed_with_timestamp(body.as_bytes(), timestamp);
            let (status, answer) = hooks
                .post_raw("/v1/daily/webhook", body.as_bytes(), &headers)
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{timestamp}: {answer}");
        }
        assert_eq!(hooks.num_clients("m-times").await, 0);

        let now = Utc::now().timestamp();
        for duration in [json!(1e300), json!(1.7e308), json!(-5), json!(9.3e15)] {
            let left = json!({"version": "1.0.0", "type": "participant.left", "id": format!("evt-{duration}"),
                "event_ts": now, "payload": {"room": "times-room", "session_id": "s-2", "user_id": "u",
                "joined_at": now, "duration": duration}});
            let (status, answer) = hooks.daily(&left).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{duration}: {answer}");
        }
        let (_, open) = hooks.store.session_counts("m-times").await.unwrap();
        assert_eq!(open, 0, "nothing was applied");
    }
}

/// Daily's scheme, with any timestamp text in the header and the signature.
fn signed_with_timestamp(body: &[u8], timestamp: &str) -> Vec<(String, String)> {
    use base64::Engine;
    use hmac::Mac;
    let key = base64::engine::general_purpose::STANDARD
        .decode(DAILY_SECRET)
        .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut headers = daily_headers(body, DAILY_SECRET, 0);
    headers.retain(|(name, _)| name != "x-webhook-signature" && name != "x-webhook-timestamp");
    headers.push(("x-webhook-signature".into(), signature));
    headers.push(("x-webhook-timestamp".into(), timestamp.into()));
    headers
}

/// Calls a server function with a JSON body; answers the HTTP status and
/// the decoded answer.
async fn server_fn(api: &TestApi, name: &str, auth: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut request = Request::post(format!("/api/{name}")).header("content-type", "application/json");
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    let (status, text) = raw(api, request.body(Body::from(body.to_owned())).unwrap()).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn server_function_refusals_carry_their_own_status() {
    for store in every_backend().await {
        let api = TestApi::new(state_for(store, &[("ENABLE_MOCK_PLATFORM", "true")]));
        let owner = api.user("owner@example.com").await;
        let stranger = api.user("stranger@example.com").await;
        let (status, room) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": "mine", "platform": "mock"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let room_id = room["id"].as_str().unwrap();
        let remove = json!({"room_id": room_id}).to_string();
        let cases = [
            ("remove_room", None, remove.as_str(), StatusCode::UNAUTHORIZED),
            (
                "remove_room",
                Some(stranger.as_str()),
                remove.as_str(),
                StatusCode::FORBIDDEN,
            ),
            (
                "remove_room",
                Some(owner.as_str()),
                r#"{"room_id":"no-such-room"}"#,
                StatusCode::NOT_FOUND,
            ),
            (
                "add_room",
                Some(owner.as_str()),
                r#"{"room":{"name":"Not A Name!"}}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                "open_room",
                None,
                r#"{"room_name":"nowhere","meeting_id":null}"#,
                StatusCode::NOT_FOUND,
            ),
            (
                "room_recordings",
                Some(stranger.as_str()),
                remove.as_str(),
                StatusCode::FORBIDDEN,
            ),
        ];
        for (name, auth, body, expected) in cases {
            let (status, answer) = server_fn(&api, name, auth, body).await;
            assert_eq!(status, expected, "{name} {body}: {answer}");
            assert_eq!(
                answer["status"],
                expected.as_u16(),
                "{name}: the body says the same"
            );
            assert!(answer["detail"].as_str().is_some_and(|d| !d.is_empty()));
        }
    }
}

#[tokio::test]
async fn platform_failures_reach_the_browser_as_502_and_503() {
    let api = TestApi::new(
        test_state(&[
            ("DAILY_API_KEY", "k"),
            ("DAILY_API_URL", "http://127.0.0.1:9/v1"),
            ("PLATFORM_TIMEOUT_SECONDS", "1"),
        ])
        .await,
    );
    let owner = api.user("owner@example.com").await;
    for (name, platform) in [("daily-down", "daily"), ("whereby-unset", "whereby")] {
        let (status, _) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": name, "platform": platform})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let body = |room: &str| json!({"room_name": room, "meeting_id": null}).to_string();
    let (status, answer) = server_fn(&api, "open_room", None, &body("daily-down")).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{answer}");
    let (status, answer) = server_fn(&api, "open_room", None, &body("whereby-unset")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
}

/// About three hundred malformed calls over every server function: each is
/// a 4xx whose body is an `ApiError` naming the same status, never a 5xx.
#[tokio::test]
async fn malformed_server_function_calls_are_client_errors() {
    let api = TestApi::new(test_state(&[("ENABLE_MOCK_PLATFORM", "true")]).await);
    let owner = api.user("owner@example.com").await;
    let json_functions = [
        "platform_options",
        "list_rooms",
        "room_by_name",
        "add_room",
        "edit_room",
        "remove_room",
        "get_or_create_meeting",
        "active_meetings",
        "join_meeting",
        "record_consent",
        "rooms_overview",
        "room_choices",
        "room_recordings",
        "start_meeting_recording",
        "open_room",
    ];
    let bodies = [
        "",
        "null",
        "[]",
        "42",
        "\"text\"",
        "{",
        "{}}",
        "{\"x\":1}",
        "not json at all",
        "{\"room_name\":5}",
        "{\"room_name\":null}",
        "{\"room\":\"x\"}",
        "{\"room\":{\"name\":[]}}",
        "{\"page\":\"one\",\"size\":10}",
        "{\"page\":1e400,\"size\":1}",
        "{\"room_id\":{}}",
        "{\"meeting_id\":\"m\",\"kind\":\"video\"}",
        "{\"meeting_id\":\"m\",\"consent_given\":\"yes\"}",
        "\u{0}\u{1}",
        "{\"room_name\":\"\\ud800\"}",
        "[\"weekly\"]",
        "[]",
    ];
    let mut tried = 0;
    for name in json_functions {
        for body in bodies {
            for auth in [None, Some(owner.as_str())] {
                let (status, answer) = server_fn(&api, name, auth, body).await;
                tried += 1;
                if status.is_success() {
                    continue; // a function without arguments ignores the body
                }
                assert!(status.is_client_error(), "{name} {body:?}: {status} {answer}");
                assert_eq!(answer["status"], status.as_u16(), "{name} {body:?}: {answer}");
            }
        }
    }
    // The login form posts URL-encoded fields.
    for body in [
        "",
        "email=a",
        "password=b",
        "email=%ZZ&password=x",
        "&&&",
        "email=a&password=b&next=%00",
    ] {
        let request = Request::post("/api/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (status, text) = raw(&api, request).await;
        tried += 1;
        assert!(status.is_client_error(), "login {body:?}: {status} {text}");
    }
    assert!(tried >= 300, "{tried} calls");
}

#[tokio::test]
async fn what_only_the_owner_may_see_stays_theirs() {
    for store in every_backend().await {
        let api = TestApi::new(state_for(store, &[("ENABLE_MOCK_PLATFORM", "true")]));
        let owner = api.user("owner@example.com").await;
        let stranger = api.user("stranger@example.com").await;
        let settings = json!({"name": "private-bits", "platform": "mock", "is_shared": true,
            "webhook_url": "https://hooks.example.com/x", "webhook_secret": "s3cret",
            "ics_url": "https://calendar.example.com/feed.ics", "ics_enabled": true,
            "zulip_auto_post": true, "zulip_stream": "team", "zulip_topic": "meetings",
            "email_transcript_to": "boss@example.com"});
        let (status, room) = api.call("POST", "/v1/rooms", Some(&owner), Some(settings)).await;
        assert_eq!(status, StatusCode::OK, "{room}");
        assert_eq!(
            room["email_transcript_to"], "boss@example.com",
            "the owner sees it all"
        );
        let id = room["id"].as_str().unwrap();
        for (who, auth) in [("anonymous", None), ("a stranger", Some(stranger.as_str()))] {
            for path in [
                "/v1/rooms/name/private-bits".to_owned(),
                format!("/v1/rooms/{id}"),
            ] {
                let (status, seen) = api.call("GET", &path, auth, None).await;
                assert_eq!(status, StatusCode::OK, "{who} {path}: {seen}");
                for field in [
                    "webhook_url",
                    "webhook_secret",
                    "ics_url",
                    "ics_last_sync",
                    "ics_last_etag",
                    "email_transcript_to",
                ] {
                    assert_eq!(seen[field], Value::Null, "{who} {path}: {field}");
                }
                assert_eq!(seen["zulip_stream"], "", "{who}");
                assert_eq!(seen["zulip_topic"], "", "{who}");
                assert_eq!(seen["zulip_auto_post"], false, "{who}");
                assert_eq!(seen["ics_enabled"], false, "{who}");
                assert_eq!(seen["name"], "private-bits");
            }
        }
        let (_, text) = send(&api.router, "GET", "/v1/rooms/name/private-bits", &[], None).await;
        assert!(!text.contains("s3cret") && !text.contains("boss@"), "{text}");
    }
}

/// PostgreSQL cannot store a NUL character; SQLite can. Refused alike on
/// both, at every door that takes text, and nothing is written.
#[tokio::test]
async fn text_with_a_nul_character_is_422_on_every_door() {
    for store in every_backend().await {
        let api = TestApi::new(state_for(store.clone(), &[]));
        let owner = api.user("owner@example.com").await;
        let (status, answer) = api
            .call(
                "POST",
                "/v1/user/api-keys",
                Some(&owner),
                Some(json!({"name": "a\u{0}b"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["detail"].as_str().unwrap().contains("NUL"), "{answer}");
        let (status, answer) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": "nul", "ics_url": "https://x/\u{0}"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        let (status, _) = api.call("GET", "/v1/rooms/a%00b", Some(&owner), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, answer) = server_fn(
            &api,
            "add_room",
            Some(&owner),
            &json!({"room": {"name": "nul", "platform": "whereby", "webhook_secret": "s\u{0}"}}).to_string(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        let (_, keys) = api.call("GET", "/v1/user/api-keys", Some(&owner), None).await;
        assert_eq!(keys.as_array().map(Vec::len), Some(0), "{keys}");
        let (_, rooms) = api.call("GET", "/v1/rooms", Some(&owner), None).await;
        assert_eq!(rooms["total"], 0, "{rooms}");
    }
}
