//! The server functions behind the rooms page and the room page, and the
//! browser SDKs the room page loads.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::meetings::{setups, Setup};
use crate::support::fake_platforms::requests_to;
use crate::support::{router_for, send, test_state};
use app::server::store::AnnouncedRecording;
use app::types::Platform;

async fn server_fn(s: &Setup, name: &str, auth: Option<&str>, args: Value) -> (StatusCode, Value) {
    s.api.server_fn(name, auth, args).await
}

#[tokio::test]
async fn the_rooms_overview_counts_live_meetings_and_hides_others_secrets() {
    for s in setups().await {
        let mine = s
            .room(
                "mine",
                json!({"platform": "daily", "webhook_url": "https://hooks.example/a"}),
            )
            .await;
        s.room("quiet", json!({"platform": "whereby"})).await;
        let other = s.api.user("other@example.com").await;
        let (status, _) = s
            .api
            .call(
                "POST",
                "/v1/rooms",
                Some(&other),
                Some(json!({"name": "theirs", "is_shared": true, "webhook_url": "https://hooks.example/b"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, meeting) = s.meeting("mine", None).await;
        let meeting_id = meeting["id"].as_str().unwrap();
        s.api.state.store.set_num_clients(meeting_id, 3).await.unwrap();

        let (status, list) = server_fn(&s, "rooms_overview", Some(&s.owner), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let entry = |name: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|entry| entry["room"]["name"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("{name} missing from {list}"))
        };
        let mine_entry = entry("mine");
        assert_eq!(
            (
                &mine_entry["is_owner"],
                &mine_entry["live_meetings"],
                &mine_entry["participants"]
            ),
            (&json!(true), &json!(1), &json!(3))
        );
        assert_eq!(mine_entry["room"]["webhook_secret"], mine["webhook_secret"]);
        let started = chrono::DateTime::parse_from_rfc3339(meeting["start_date"].as_str().unwrap())
            .unwrap()
            .timestamp_millis();
        let live_since = mine_entry["live_since"]
            .as_i64()
            .expect("a live room says since when");
        assert!((live_since - started).abs() < 1000, "{live_since} vs {started}");
        assert_eq!(entry("quiet")["live_meetings"], 0);
        assert_eq!(entry("quiet")["live_since"], Value::Null);
        let theirs = entry("theirs");
        assert_eq!(theirs["is_owner"], false);
        assert_eq!(
            theirs["room"]["webhook_secret"],
            Value::Null,
            "only the owner sees a secret"
        );
        assert_eq!(theirs["room"]["webhook_url"], Value::Null);

        // The filters' short list: the same rooms, by id and name alone.
        let names = |list: &Value| {
            let mut names: Vec<String> = list
                .as_array()
                .unwrap()
                .iter()
                .map(|choice| {
                    assert_eq!(choice.as_object().unwrap().len(), 2, "id and name only: {choice}");
                    choice["name"].as_str().unwrap().to_owned()
                })
                .collect();
            names.sort();
            names
        };
        let (status, choices) = server_fn(&s, "room_choices", Some(&s.owner), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{choices}");
        assert_eq!(names(&choices), ["mine", "quiet", "theirs"]);
        assert!(choices
            .as_array()
            .unwrap()
            .iter()
            .any(|choice| choice["id"] == mine["id"] && choice["name"] == "mine"));
        let (_, theirs_only) = server_fn(&s, "room_choices", Some(&other), json!({})).await;
        assert_eq!(
            names(&theirs_only),
            ["theirs"],
            "others' private rooms are not offered"
        );

        // Server functions carry the REST status in their error body.
        for function in ["rooms_overview", "room_choices"] {
            let (_, refusal) = server_fn(&s, function, None, json!({})).await;
            assert_eq!(refusal["status"], 401, "{function}: {refusal}");
        }
    }
}

#[tokio::test]
async fn an_owner_lists_a_rooms_recordings_and_nobody_else_does() {
    for s in setups().await {
        let room = s.room("recorded", json!({"platform": "daily"})).await;
        let (_, meeting) = s.meeting("recorded", None).await;
        for (id, minutes_ago) in [("rec-old", 60), ("rec-new", 5)] {
            s.api
                .state
                .store
                .upsert_recording(&AnnouncedRecording {
                    id,
                    meeting_id: meeting["id"].as_str(),
                    platform: Platform::Daily,
                    bucket_name: "",
                    object_key: "",
                    recorded_at: Utc::now() - chrono::Duration::minutes(minutes_ago),
                    track_keys: None,
                })
                .await
                .unwrap();
        }
        let form = json!({"room_id": room["id"]});
        let (status, list) = server_fn(&s, "room_recordings", Some(&s.owner), form.clone()).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let ids: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["rec-new", "rec-old"], "newest first");
        assert_eq!(list[0]["status"], "pending");
        assert_eq!(
            list[0]["download_url"],
            Value::Null,
            "nothing to download before it is stored"
        );

        let stranger = s.api.user("stranger@example.com").await;
        let (_, refusal) = server_fn(&s, "room_recordings", Some(&stranger), form.clone()).await;
        assert_eq!(refusal["status"], 403, "{refusal}");
        let (_, refusal) = server_fn(&s, "room_recordings", None, form).await;
        assert_eq!(refusal["status"], 401, "{refusal}");
    }
}

#[tokio::test]
async fn a_participant_starts_the_recording_under_reflectors_instance_id() {
    for s in setups().await {
        s.room("team", json!({"platform": "daily", "recording_type": "cloud"}))
            .await;
        let (_, meeting) = s.meeting("team", None).await;
        let meeting_id = meeting["id"].as_str().unwrap();
        let form = json!({"meeting_id": meeting_id, "kind": "raw-tracks"});
        let (status, started) = server_fn(&s, "start_meeting_recording", None, form).await;
        assert_eq!((status, &started), (StatusCode::OK, &json!(true)));

        let room_name = meeting["room_name"].as_str().unwrap();
        let path = format!("/v1/rooms/{room_name}/recordings/start");
        assert_eq!(requests_to(&s.daily, "POST", &path).await, 1);
        let sent = s.daily.received_requests().await.unwrap();
        let body: Value = sent
            .iter()
            .find(|request| request.url.path() == path)
            .map(|request| serde_json::from_slice(&request.body).unwrap())
            .unwrap();
        assert_eq!(body["type"], "raw-tracks");
        assert_eq!(
            body["instanceId"],
            app::server::services::meetings::recording_instance_id(
                meeting_id,
                app::types::DailyRecordingKind::RawTracks
            )
        );
        let (_, refusal) = server_fn(
            &s,
            "start_meeting_recording",
            None,
            json!({"meeting_id": "nope", "kind": "raw-tracks"}),
        )
        .await;
        assert_eq!(refusal["status"], 404, "{refusal}");
    }
}

#[tokio::test]
async fn browser_sdks_are_served_from_the_npm_folder() {
    let folder = tempfile::tempdir().unwrap();
    let daily = folder.path().join("@daily-co/daily-js/dist");
    std::fs::create_dir_all(&daily).unwrap();
    std::fs::write(daily.join("daily.js"), "window.DailyIframe = {};").unwrap();
    let sdk_dir = folder.path().to_str().unwrap().to_owned();
    let router = router_for(test_state(&[("BROWSER_SDK_DIR", sdk_dir.as_str())]).await);

    let (status, body) = send(&router, "GET", "/vendor/daily.js", &[], None).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "window.DailyIframe = {};")
    );
    let response = router
        .clone()
        .oneshot(Request::get("/vendor/daily.js").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );

    let (status, body) = send(&router, "GET", "/vendor/whereby-embed.js", &[], None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("npm ci"), "{body}");
    let (status, body) = send(&router, "GET", "/vendor/..%2FCargo.toml", &[], None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

/// `/pkg/…` and the public files are files, not room pages, even though
/// `/:room_name` and `/:room_name/:meeting_id` would match their paths.
#[tokio::test]
async fn bundle_and_public_files_are_served_ahead_of_room_pages() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/reflector.js"), "export {};").unwrap();
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").unwrap();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("reflector")
        .site_root(site.path().to_str().unwrap())
        .build();
    let router = reflector::router::build_router(test_state(&[]).await, options);
    for (path, body, kind) in [
        ("/pkg/reflector.js", "export {};", "text/javascript"),
        ("/favicon.svg", "<svg/>", "image/svg+xml"),
    ] {
        let response = router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-type"], kind, "{path}");
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(bytes, body.as_bytes(), "{path}");
    }
}

/// The room page's one call: join URL per visitor, a chooser when several
/// meetings are live, the REST statuses in its errors.
#[tokio::test]
async fn opening_a_room_page_joins_or_offers_a_choice() {
    for s in setups().await {
        s.room("wb", json!({"platform": "whereby", "skip_consent": true}))
            .await;
        s.room("daily", json!({"platform": "daily", "recording_type": "local"}))
            .await;

        let (status, guest) = server_fn(&s, "open_room", None, json!({"room_name": "wb"})).await;
        assert_eq!(status, StatusCode::OK, "{guest}");
        let call = &guest["call"];
        assert_eq!(
            (
                &call["platform"],
                &call["records_to_cloud"],
                &call["skip_consent"]
            ),
            (&json!("whereby"), &json!(true), &json!(true))
        );
        assert!(
            !call["join_url"].as_str().unwrap().contains("roomKey"),
            "a guest gets the room URL"
        );
        let (_, owner) = server_fn(&s, "open_room", Some(&s.owner), json!({"room_name": "wb"})).await;
        assert_eq!(
            owner["call"]["meeting_id"], call["meeting_id"],
            "one meeting for everyone"
        );
        assert_ne!(
            owner["call"]["join_url"], call["join_url"],
            "the owner gets the host URL"
        );

        let (_, daily) = server_fn(&s, "open_room", Some(&s.owner), json!({"room_name": "daily"})).await;
        assert!(
            daily["call"]["join_url"].as_str().unwrap().contains("?t="),
            "a signed-in Daily participant gets a meeting token: {daily}"
        );
        assert_eq!(daily["call"]["records_to_cloud"], false);

        // A second live meeting (the owner may duplicate): visitors choose.
        let (status, _) = s
            .api
            .call(
                "POST",
                "/v1/rooms/wb/meeting",
                Some(&s.owner),
                Some(json!({"allow_duplicated": true})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, choice) = server_fn(&s, "open_room", None, json!({"room_name": "wb"})).await;
        assert_eq!(choice["call"], Value::Null, "{choice}");
        let choices = choice["choices"].as_array().unwrap();
        assert_eq!(choices.len(), 2);
        assert_eq!(choices[0]["title"], "Live meeting");
        let picked = choices[0]["meeting_id"].clone();
        let (_, direct) = server_fn(
            &s,
            "open_room",
            None,
            json!({"room_name": "wb", "meeting_id": picked}),
        )
        .await;
        assert_eq!(direct["call"]["meeting_id"], picked);

        let (_, missing) = server_fn(&s, "open_room", None, json!({"room_name": "nowhere"})).await;
        assert_eq!(
            missing,
            json!({"status": 404, "detail": "Room not found", "code": "room_not_found"})
        );
    }
}

/// The site header is rendered on the server with the visitor: the browser
/// bundle has no code to ask who is signed in.
#[tokio::test]
async fn pages_render_the_header_with_the_signed_in_user() {
    for s in setups().await {
        let token = s.api.user("ada@example.com").await;
        let cookie = format!("reflector_session={}", token.trim_start_matches("Bearer "));
        for path in ["/", "/rooms", "/login", "/no/such/page/here"] {
            let (_, page) = send(&s.api.router, "GET", path, &[("cookie", cookie.as_str())], None).await;
            let header = header_of(&page);
            assert!(
                header.contains(r#"<span class="who">ada@example.com</span>"#),
                "{path}: {header}"
            );
            assert!(header.contains(r#"action="/api/logout""#), "{path}: {header}");

            let (status, page) = send(&s.api.router, "GET", path, &[], None).await;
            assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
            let header = header_of(&page);
            assert!(
                header.contains(r#"<a href="/login">Log in</a>"#),
                "{path}: {header}"
            );
            assert!(!header.contains("ada@example.com"), "{path}: {header}");
        }
        // The address is text, never markup.
        let token = s.api.user("<b>eve</b>@example.com").await;
        let cookie = format!("reflector_session={}", token.trim_start_matches("Bearer "));
        let (_, page) = send(&s.api.router, "GET", "/", &[("cookie", cookie.as_str())], None).await;
        let header = header_of(&page);
        assert!(header.contains("&lt;b&gt;eve&lt;/b&gt;@example.com"), "{header}");
        assert!(!header.contains("<b>eve"), "{header}");

        // A stale or forged cookie makes an anonymous visitor, not an error page.
        let (status, page) = send(
            &s.api.router,
            "GET",
            "/",
            &[("cookie", "reflector_session=forged.token.value")],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(header_of(&page).contains(r#"<a href="/login">Log in</a>"#));
        // A bad API key on a page visit is likewise just anonymous.
        let (status, _) = send(&s.api.router, "GET", "/rooms", &[("x-api-key", "nope")], None).await;
        assert_eq!(status, StatusCode::OK);
    }
}

fn header_of(page: &str) -> &str {
    let start = page.find("<header").expect("a site header");
    let end = page[start..].find("</header>").expect("a closed header") + start;
    &page[start..end]
}

/// The bundle goes out as the build precompressed it (brotli, else gzip, else
/// plain, as the browser accepts), and pages and JSON are compressed on the
/// way: the sizes `scripts/report-size` reports are the bytes on the wire.
#[tokio::test]
async fn the_bundle_is_served_precompressed_and_pages_compressed() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("reflector.wasm"), b"\0asm plain").unwrap();
    std::fs::write(pkg.join("reflector.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("reflector.wasm.gz"), b"gzip bytes").unwrap();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("reflector")
        .site_root(site.path().to_str().unwrap())
        .build();
    let router = reflector::router::build_router(test_state(&[]).await, options);
    let get = |path: &str, accept: &str| {
        let request = Request::get(path)
            .header("accept-encoding", accept)
            .body(Body::empty())
            .unwrap();
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await.unwrap();
            let encoding = response
                .headers()
                .get("content-encoding")
                .map(|value| value.to_str().unwrap().to_owned());
            let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (encoding, kind, bytes)
        }
    };
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), &b"brotli bytes"[..]),
        ("gzip", Some("gzip"), b"gzip bytes"),
        ("identity", None, b"\0asm plain"),
    ] {
        let (sent_as, kind, bytes) = get("/pkg/reflector.wasm", accept).await;
        assert_eq!(sent_as.as_deref(), encoding, "{accept}");
        assert_eq!(kind, "application/wasm");
        assert_eq!(&bytes[..], body, "{accept}");
    }
    for path in ["/", "/login", "/v1/config"] {
        let (sent_as, _, _) = get(path, "gzip, deflate, br, zstd").await;
        assert_eq!(sent_as.as_deref(), Some("gzip"), "{path} compressed on the fly");
        let (sent_as, _, _) = get(path, "identity").await;
        assert_eq!(sent_as, None, "{path} plain when the client wants it so");
    }
}
