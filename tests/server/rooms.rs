use axum::http::StatusCode;
use serde_json::json;

use app::server::store::testing::every_backend;

use crate::support::{state_for, test_state, TestApi};

async fn api() -> TestApi {
    TestApi::new(test_state(&[("ENABLE_MOCK_PLATFORM", "true")]).await)
}

/// One API per database the run covers.
async fn apis() -> Vec<TestApi> {
    let mut apis = Vec::new();
    for store in every_backend().await {
        apis.push(TestApi::new(state_for(
            store,
            &[("ENABLE_MOCK_PLATFORM", "true")],
        )));
    }
    apis
}

#[tokio::test]
async fn a_room_is_created_with_defaults_and_read_back() {
    for api in apis().await {
        let owner = api.user("owner@example.com").await;
        let (status, room) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": "team", "webhook_url": "https://hooks.example/x", "webhook_secret": ""})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{room}");
        assert_eq!(room["platform"], "whereby", "DEFAULT_VIDEO_PLATFORM applies");
        assert_eq!(room["room_mode"], "normal");
        assert_eq!(room["recording_type"], "cloud");
        assert_eq!(room["recording_trigger"], "automatic-2nd-participant");
        assert_eq!(room["ics_fetch_interval"], 300);
        let secret = room["webhook_secret"].as_str().unwrap().to_owned();
        assert_eq!(secret.len(), 43, "a secret is generated for a new webhook");

        let id = room["id"].as_str().unwrap();
        let (status, by_id) = api
            .call("GET", &format!("/v1/rooms/{id}"), Some(&owner), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(by_id, room);

        let (_, patched) = api
            .call(
                "PATCH",
                &format!("/v1/rooms/{id}"),
                Some(&owner),
                Some(json!({"webhook_url": "https://hooks.example/y"})),
            )
            .await;
        assert_eq!(
            patched["webhook_secret"],
            secret.as_str(),
            "editing the URL keeps the secret"
        );
        assert_eq!(patched["webhook_url"], "https://hooks.example/y");
        let (_, cleared) = api
            .call(
                "PATCH",
                &format!("/v1/rooms/{id}"),
                Some(&owner),
                Some(json!({"webhook_url": null})),
            )
            .await;
        assert_eq!(cleared["webhook_url"], serde_json::Value::Null);
        assert_eq!(cleared["is_locked"], false, "absent fields are untouched");
    }
}

#[tokio::test]
async fn bad_rooms_are_refused_with_the_reason() {
    for api in apis().await {
        let owner = api.user("owner@example.com").await;
        let cases = [
            (
                json!({"name": "Team Room"}),
                422,
                "lowercase letters, digits and dashes",
            ),
            (json!({"name": "login"}), 422, "reserved"),
            (json!({"name": ""}), 422, "needs a name"),
            (json!({"name": "a".repeat(65)}), 422, "at most 64"),
            (
                json!({"name": "ok", "platform": "zoom"}),
                422,
                "invalid platform 'zoom'",
            ),
            (
                json!({"name": "ok", "room_mode": "huge"}),
                422,
                "invalid room_mode 'huge'",
            ),
            (
                json!({"name": "ok", "webhook_url": "ftp://x"}),
                422,
                "webhook_url",
            ),
            (
                json!({"name": "ok", "ics_enabled": true}),
                422,
                "ics_url: required",
            ),
            (json!({"platform": "daily"}), 422, "name"),
            // What the platform cannot honour, named.
            (
                json!({"name": "ok", "platform": "whereby", "store_video": true}),
                422,
                "store_video: Whereby does not record a composed video",
            ),
            (
                json!({"name": "ok", "platform": "whereby", "fallback_platforms": ["zoom"]}),
                422,
                "zoom",
            ),
        ];
        for (body, status, fragment) in cases {
            let (got, answer) = api
                .call("POST", "/v1/rooms", Some(&owner), Some(body.clone()))
                .await;
            assert_eq!(got.as_u16(), status, "{body}: {answer}");
            let detail = answer["detail"].as_str().unwrap_or_default();
            assert!(detail.contains(fragment), "{body}: {detail}");
        }
        let (status, _) = api
            .call("POST", "/v1/rooms", Some(&owner), Some(json!({"name": "taken"})))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, answer) = api
            .call("POST", "/v1/rooms", Some(&owner), Some(json!({"name": "taken"})))
            .await;
        assert_eq!(
            (status, answer["detail"].as_str()),
            (StatusCode::BAD_REQUEST, Some("Room name is not unique"))
        );

        let (_, room) = api
            .call("POST", "/v1/rooms", Some(&owner), Some(json!({"name": "kept"})))
            .await;
        let path = format!("/v1/rooms/{}", room["id"].as_str().unwrap());
        let (status, _) = api
            .call(
                "PATCH",
                &path,
                Some(&owner),
                Some(json!({"recording_type": "tape"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = api
            .call("PATCH", &path, Some(&owner), Some(json!({"name": "taken"})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (_, unchanged) = api.call("GET", &path, Some(&owner), None).await;
        assert_eq!(unchanged, room, "refused edits change nothing");
    }
}

#[tokio::test]
async fn the_mock_platform_needs_its_setting() {
    let api = TestApi::new(test_state(&[]).await);
    let owner = api.user("owner@example.com").await;
    let (status, answer) = api
        .call(
            "POST",
            "/v1/rooms",
            Some(&owner),
            Some(json!({"name": "m", "platform": "mock"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["detail"], "platform: 'mock' is not enabled on this server");
}

#[tokio::test]
async fn secrets_are_shown_to_the_owner_only() {
    for store in every_backend().await {
        let api = TestApi::new(state_for(store, &[("PUBLIC_MODE", "true")]));
        let owner = api.user("owner@example.com").await;
        let other = api.user("other@example.com").await;
        let body = json!({"name": "shared", "is_shared": true, "webhook_url": "https://hooks.example/x?token=abc", "ics_url": "https://cal.example/private.ics?key=1"});
        let (_, room) = api.call("POST", "/v1/rooms", Some(&owner), Some(body)).await;
        let id = room["id"].as_str().unwrap();
        for (who, auth) in [("anonymous", None), ("other user", Some(other.as_str()))] {
            for path in [format!("/v1/rooms/{id}"), "/v1/rooms/name/shared".to_owned()] {
                let (status, seen) = api.call("GET", &path, auth, None).await;
                assert_eq!(status, StatusCode::OK, "{who} {path}");
                for field in ["webhook_url", "webhook_secret", "ics_url"] {
                    assert_eq!(
                        seen[field],
                        serde_json::Value::Null,
                        "{who} sees {field} at {path}"
                    );
                }
            }
            let (_, page) = api.call("GET", "/v1/rooms", auth, None).await;
            let listed = &page["items"][0];
            assert_eq!(listed["name"], "shared");
            assert_eq!(
                listed["webhook_secret"],
                serde_json::Value::Null,
                "{who} in the listing"
            );
        }
        let (_, own) = api.call("GET", "/v1/rooms/name/shared", Some(&owner), None).await;
        assert_eq!(own["ics_url"], "https://cal.example/private.ics?key=1");
        assert!(own["webhook_secret"].is_string());
    }
}

#[tokio::test]
async fn listing_pages_through_visible_rooms() {
    for api in apis().await {
        let owner = api.user("owner@example.com").await;
        for name in ["a", "b", "c"] {
            api.call("POST", "/v1/rooms", Some(&owner), Some(json!({"name": name})))
                .await;
        }
        let (status, page) = api
            .call("GET", "/v1/rooms?page=2&size=2", Some(&owner), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (
                page["total"].as_i64(),
                page["pages"].as_i64(),
                page["page"].as_i64()
            ),
            (Some(3), Some(2), Some(2))
        );
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert_eq!(page["items"][0]["name"], "a", "newest first");
        for query in ["size=101", "size=0", "page=0", "page=x"] {
            let (status, answer) = api
                .call("GET", &format!("/v1/rooms?{query}"), Some(&owner), None)
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {answer}");
        }
        let (status, _) = api.call("GET", "/v1/rooms", None, None).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "listing needs a user outside PUBLIC_MODE"
        );
    }
}

#[tokio::test]
async fn deleting_a_room_takes_its_meetings_along() {
    for api in apis().await {
        let owner = api.user("owner@example.com").await;
        let (_, room) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": "gone", "platform": "mock"})),
            )
            .await;
        let (_, meeting) = api
            .call("POST", "/v1/rooms/gone/meeting", None, Some(json!({})))
            .await;
        let id = room["id"].as_str().unwrap();
        let (status, answer) = api
            .call("DELETE", &format!("/v1/rooms/{id}"), Some(&owner), None)
            .await;
        assert_eq!(
            (status, answer),
            (StatusCode::OK, json!({"status": "ok", "recordings_deleted": 0}))
        );
        let (status, _) = api
            .call("GET", &format!("/v1/rooms/{id}"), Some(&owner), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let meeting_id = meeting["id"].as_str().unwrap();
        assert_eq!(api.state.store.meeting_by_id(meeting_id).await.unwrap(), None);
    }
}

/// The UI's server functions run the same services: same rules, same answers.
#[tokio::test]
async fn server_functions_share_the_rest_rules() {
    let api = api().await;
    let owner = api.user("owner@example.com").await;
    let session = format!("reflector_session={}", owner.trim_start_matches("Bearer "));
    let same_origin = [
        ("cookie", session.as_str()),
        ("origin", "http://127.0.0.1:3000"),
        ("host", "127.0.0.1:3000"),
    ];
    let create = json!({"room": {"name": "from-ui", "platform": "mock"}});
    let (status, text) =
        crate::support::send(&api.router, "POST", "/api/add_room", &same_origin, Some(&create)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, text) =
        crate::support::send(&api.router, "POST", "/api/add_room", &same_origin, Some(&create)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the refusal's own status");
    let error = crate::support::json(&text);
    assert_eq!(
        error,
        json!({"status": 400, "detail": "Room name is not unique", "code": "room_name_taken"})
    );

    let (status, text) = crate::support::send(&api.router, "POST", "/api/add_room", &[], Some(&create)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(crate::support::json(&text)["status"], 401, "{text}");

    let request = axum::http::Request::post("/api/get_or_create_meeting")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            r#"{"room_name":"from-ui","allow_duplicated":false}"#,
        ))
        .unwrap();
    let response = tower::ServiceExt::oneshot(api.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let from_ui: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let (_, from_rest) = api
        .call("POST", "/v1/rooms/from-ui/meeting", None, Some(json!({})))
        .await;
    assert_eq!(from_ui["id"], from_rest["id"]);
    assert_eq!(from_ui["platform"], "mock");
}
