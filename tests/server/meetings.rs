use std::time::Duration;

use app::server::store::testing::{every_backend, fresh_postgres_url, postgres_store_with_url, sqlite_store};
use app::server::store::Store;
use axum::http::StatusCode;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::fake_platforms::{fake_daily, fake_whereby, platform_env, requests_to};
use crate::support::{state_for, TestApi};

pub(super) struct Setup {
    pub(super) api: TestApi,
    pub(super) daily: MockServer,
    pub(super) whereby: MockServer,
    pub(super) owner: String,
}

async fn setup_on(store: Store, daily_delay: Duration) -> Setup {
    let daily = fake_daily(daily_delay).await;
    let whereby = fake_whereby().await;
    let env = platform_env(&daily, &whereby);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let api = TestApi::new(state_for(store, &pairs));
    let owner = api
        .user(&format!("owner-{}@example.com", uuid::Uuid::new_v4().simple()))
        .await;
    Setup {
        api,
        daily,
        whereby,
        owner,
    }
}

/// One setup per database the run covers.
pub(super) async fn setups() -> Vec<Setup> {
    let mut setups = Vec::new();
    for store in every_backend().await {
        setups.push(setup_on(store, Duration::ZERO).await);
    }
    setups
}

impl Setup {
    pub(super) async fn room(&self, name: &str, settings: Value) -> Value {
        let mut body = json!({ "name": name });
        body.as_object_mut()
            .unwrap()
            .extend(settings.as_object().unwrap().clone());
        let (status, room) = self
            .api
            .call("POST", "/v1/rooms", Some(&self.owner), Some(body))
            .await;
        assert_eq!(status, StatusCode::OK, "{room}");
        room
    }

    pub(super) async fn meeting(&self, room: &str, auth: Option<&str>) -> (StatusCode, Value) {
        self.api
            .call(
                "POST",
                &format!("/v1/rooms/{room}/meeting"),
                auth,
                Some(json!({})),
            )
            .await
    }
}

#[tokio::test]
async fn participants_share_one_meeting_per_room_on_each_platform() {
    for s in setups().await {
        s.room("daily-room", json!({"platform": "daily"})).await;
        s.room("whereby-room", json!({"platform": "whereby"})).await;
        let guest = s.api.user("guest@example.com").await;

        let (status, first) = s.meeting("daily-room", None).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let (_, second) = s.meeting("daily-room", Some(&guest)).await;
        assert_eq!(first["id"], second["id"], "one shared meeting");
        assert_eq!(first["platform"], "daily");
        assert!(first["room_url"]
            .as_str()
            .unwrap()
            .starts_with("https://fake.daily.co/daily-room-"));
        assert_eq!(requests_to(&s.daily, "POST", "/v1/rooms").await, 1);

        let (_, wb) = s.meeting("whereby-room", None).await;
        assert_eq!(wb["platform"], "whereby");
        assert_eq!(wb["host_room_url"], "", "the host URL is the owner's");
        let (_, wb_owner) = s.meeting("whereby-room", Some(&s.owner)).await;
        assert_eq!(wb_owner["id"], wb["id"]);
        assert!(wb_owner["host_room_url"]
            .as_str()
            .unwrap()
            .ends_with("?roomKey=host-key"));
        assert_eq!(requests_to(&s.whereby, "POST", "/v1/meetings").await, 1);

        let (_, active) = s
            .api
            .call("GET", "/v1/rooms/daily-room/meetings/active", None, None)
            .await;
        assert_eq!(active.as_array().unwrap().len(), 1);
        let path = format!("/v1/rooms/daily-room/meetings/{}", first["id"].as_str().unwrap());
        let (status, one) = s.api.call("GET", &path, None, None).await;
        assert_eq!((status, &one["id"]), (StatusCode::OK, &first["id"]));
    }
}

#[tokio::test]
async fn joining_gives_each_participant_the_right_url() {
    for s in setups().await {
        s.room("daily-room", json!({"platform": "daily"})).await;
        s.room("whereby-room", json!({"platform": "whereby"})).await;
        let guest = s.api.user("guest@example.com").await;
        let (_, daily) = s.meeting("daily-room", None).await;
        let join = format!(
            "/v1/rooms/daily-room/meetings/{}/join",
            daily["id"].as_str().unwrap()
        );

        let (status, anonymous) = s.api.call("POST", &join, None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(anonymous["room_url"], daily["room_url"], "anonymous: no token");
        let (_, signed_in) = s.api.call("POST", &join, Some(&guest), None).await;
        assert_eq!(
            signed_in["room_url"],
            format!("{}?t=fake-daily-token", daily["room_url"].as_str().unwrap())
        );
        assert_eq!(requests_to(&s.daily, "POST", "/v1/meeting-tokens").await, 1);

        let (_, wb) = s.meeting("whereby-room", None).await;
        let join = format!(
            "/v1/rooms/whereby-room/meetings/{}/join",
            wb["id"].as_str().unwrap()
        );
        let (_, as_owner) = s.api.call("POST", &join, Some(&s.owner), None).await;
        assert!(
            as_owner["room_url"]
                .as_str()
                .unwrap()
                .ends_with("?roomKey=host-key"),
            "{as_owner}"
        );
        let (_, as_guest) = s.api.call("POST", &join, Some(&guest), None).await;
        assert!(!as_guest["room_url"].as_str().unwrap().contains("roomKey"));

        let elsewhere = format!(
            "/v1/rooms/daily-room/meetings/{}/join",
            wb["id"].as_str().unwrap()
        );
        let (status, answer) = s.api.call("POST", &elsewhere, None, None).await;
        assert_eq!(
            (status, answer["detail"].as_str()),
            (StatusCode::NOT_FOUND, Some("Meeting not found"))
        );
    }
}

#[tokio::test]
async fn changed_settings_or_duplicates_get_a_new_meeting() {
    for s in setups().await {
        let room = s.room("team", json!({"platform": "daily"})).await;
        let (_, first) = s.meeting("team", None).await;
        let path = format!("/v1/rooms/{}", room["id"].as_str().unwrap());
        s.api
            .call("PATCH", &path, Some(&s.owner), Some(json!({"is_locked": true})))
            .await;
        let (_, locked) = s.meeting("team", None).await;
        assert_ne!(locked["id"], first["id"]);
        assert_eq!(locked["is_locked"], true);

        s.api
            .call(
                "PATCH",
                &path,
                Some(&s.owner),
                Some(json!({"platform": "whereby"})),
            )
            .await;
        let (_, moved) = s.meeting("team", None).await;
        assert_eq!(
            moved["platform"], "whereby",
            "a platform switch takes effect on the next meeting"
        );
        let (_, active) = s
            .api
            .call("GET", "/v1/rooms/team/meetings/active", None, None)
            .await;
        let platforms: Vec<&str> = active
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["platform"].as_str().unwrap())
            .collect();
        assert!(
            platforms.contains(&"daily") && platforms.contains(&"whereby"),
            "each meeting keeps its own platform: {platforms:?}"
        );

        let (status, _) = s
            .api
            .call(
                "POST",
                "/v1/rooms/team/meeting",
                None,
                Some(json!({"allow_duplicated": true})),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "paid duplicates need a signed-in caller"
        );
        let stranger = s.api.user("stranger@example.com").await;
        let (status, _) = s
            .api
            .call(
                "POST",
                "/v1/rooms/team/meeting",
                Some(&stranger),
                Some(json!({"allow_duplicated": true})),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "and only the room's owner pays for them"
        );
        let (_, duplicate) = s
            .api
            .call(
                "POST",
                "/v1/rooms/team/meeting",
                Some(&s.owner),
                Some(json!({"allow_duplicated": true})),
            )
            .await;
        assert_ne!(duplicate["id"], moved["id"]);
        let (status, _) = s.api.call("POST", "/v1/rooms/team/meeting", None, None).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body is required, as in Reflector"
        );
    }
}

#[tokio::test]
async fn migration_flags_move_listed_rooms_to_daily() {
    let daily = fake_daily(Duration::ZERO).await;
    let whereby = fake_whereby().await;
    let store = sqlite_store().await;
    let owner = store
        .upsert_user("local:o@example.com", "o@example.com", None)
        .await
        .unwrap();
    let room = store
        .insert_room(&app::types::NewRoom::with_defaults(
            "moving",
            &owner.id,
            app::types::Platform::Whereby,
        ))
        .await
        .unwrap();
    let mut env = platform_env(&daily, &whereby);
    env.push(("DAILY_MIGRATION_ENABLED".into(), "true".into()));
    env.push(("DAILY_MIGRATION_ROOM_IDS".into(), format!("[\"{}\"]", room.id)));
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let api = TestApi::new(state_for(store, &pairs));
    let (_, meeting) = api
        .call("POST", "/v1/rooms/moving/meeting", None, Some(json!({})))
        .await;
    assert_eq!(meeting["platform"], "daily");
    assert_eq!(requests_to(&whereby, "POST", "/v1/meetings").await, 0);
}

#[tokio::test]
async fn platform_failures_are_502_and_leave_no_meeting_behind() {
    for (status, body, delay) in [
        (
            500,
            json!({"error": "server-error", "info": "boom"}),
            Duration::ZERO,
        ),
        (200, json!({"unexpected": true}), Duration::ZERO),
        (200, json!({}), Duration::from_secs(3)),
    ] {
        let broken = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/rooms"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body.clone())
                    .set_delay(delay),
            )
            .mount(&broken)
            .await;
        let whereby = fake_whereby().await;
        let env = platform_env(&broken, &whereby);
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let api = TestApi::new(state_for(sqlite_store().await, &pairs));
        let owner = api.user("o@example.com").await;
        api.call(
            "POST",
            "/v1/rooms",
            Some(&owner),
            Some(json!({"name": "team", "platform": "daily"})),
        )
        .await;
        let (got, answer) = api
            .call("POST", "/v1/rooms/team/meeting", None, Some(json!({})))
            .await;
        assert_eq!(got, StatusCode::BAD_GATEWAY, "{body}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().starts_with("Daily.co "),
            "{answer}"
        );
        let (_, active) = api
            .call("GET", "/v1/rooms/team/meetings/active", None, None)
            .await;
        assert_eq!(active, json!([]), "no half-made meeting");
    }
}

#[tokio::test]
async fn unconfigured_platforms_are_503_with_what_to_set() {
    let api = TestApi::new(state_for(sqlite_store().await, &[]));
    let owner = api.user("o@example.com").await;
    api.call(
        "POST",
        "/v1/rooms",
        Some(&owner),
        Some(json!({"name": "d", "platform": "daily"})),
    )
    .await;
    api.call(
        "POST",
        "/v1/rooms",
        Some(&owner),
        Some(json!({"name": "w", "platform": "whereby"})),
    )
    .await;
    let (status, answer) = api
        .call("POST", "/v1/rooms/d/meeting", None, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        answer["detail"]
            .as_str()
            .unwrap()
            .starts_with("Daily is not configured: set DAILY_API_KEY"),
        "{answer}"
    );
    let (status, answer) = api
        .call("POST", "/v1/rooms/w/meeting", None, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer["detail"]
        .as_str()
        .unwrap()
        .starts_with("Whereby is not configured: set WHEREBY_API_KEY"));
    let (status, _) = api
        .call("POST", "/v1/rooms/nope/meeting", None, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn consent_is_one_answer_per_signed_in_user() {
    for s in setups().await {
        s.room("team", json!({"platform": "daily"})).await;
        let (_, meeting) = s.meeting("team", None).await;
        let path = format!("/v1/meetings/{}/consent", meeting["id"].as_str().unwrap());
        let guest = s.api.user("guest@example.com").await;
        let (status, first) = s
            .api
            .call("POST", &path, Some(&guest), Some(json!({"consent_given": true})))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first["status"], "success");
        let (_, again) = s
            .api
            .call("POST", &path, Some(&guest), Some(json!({"consent_given": false})))
            .await;
        assert_eq!(first["consent_id"], again["consent_id"]);
        let (_, anon_one) = s
            .api
            .call("POST", &path, None, Some(json!({"consent_given": true})))
            .await;
        let (_, anon_two) = s
            .api
            .call("POST", &path, None, Some(json!({"consent_given": true})))
            .await;
        assert_ne!(anon_one["consent_id"], anon_two["consent_id"]);
        let (status, _) = s
            .api
            .call("POST", &path, None, Some(json!({"consent_given": "yes"})))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = s
            .api
            .call(
                "POST",
                "/v1/meetings/nope/consent",
                None,
                Some(json!({"consent_given": true})),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn only_the_owner_deactivates_and_then_nobody_joins() {
    for s in setups().await {
        s.room("team", json!({"platform": "daily"})).await;
        let (_, meeting) = s.meeting("team", None).await;
        let id = meeting["id"].as_str().unwrap();
        let path = format!("/v1/meetings/{id}/deactivate");
        let other = s.api.user("other@example.com").await;
        let (status, answer) = s.api.call("PATCH", &path, Some(&other), None).await;
        assert_eq!(
            (status, answer["detail"].as_str()),
            (
                StatusCode::FORBIDDEN,
                Some("Only the room owner can deactivate meetings")
            )
        );
        let (status, answer) = s.api.call("PATCH", &path, Some(&s.owner), None).await;
        assert_eq!(
            (status, answer),
            (StatusCode::OK, json!({"status": "success", "meeting_id": id}))
        );
        let (status, answer) = s
            .api
            .call("POST", &format!("/v1/rooms/team/meetings/{id}/join"), None, None)
            .await;
        assert_eq!(
            (status, answer["detail"].as_str()),
            (StatusCode::BAD_REQUEST, Some("Meeting is not active"))
        );
        let (_, next) = s.meeting("team", None).await;
        assert_ne!(next["id"], meeting["id"], "a deactivated meeting is not reused");
    }
}

#[tokio::test]
async fn daily_recordings_start_through_the_api() {
    for s in setups().await {
        s.room("team", json!({"platform": "daily"})).await;
        s.room("wb", json!({"platform": "whereby"})).await;
        let (_, meeting) = s.meeting("team", None).await;
        let path = format!(
            "/v1/meetings/{}/recordings/start",
            meeting["id"].as_str().unwrap()
        );
        let instance = "784b3af3-c7dd-57f0-ac54-2ee91c6927cb";
        let (status, answer) = s
            .api
            .call(
                "POST",
                &path,
                None,
                Some(json!({"type": "raw-tracks", "instanceId": instance})),
            )
            .await;
        assert_eq!(
            (status, answer),
            (
                StatusCode::OK,
                json!({"status": "ok", "result": {"status": "sent"}})
            )
        );
        let room_name = meeting["room_name"].as_str().unwrap();
        assert_eq!(
            requests_to(
                &s.daily,
                "POST",
                &format!("/v1/rooms/{room_name}/recordings/start")
            )
            .await,
            1
        );

        let (status, _) = s
            .api
            .call(
                "POST",
                &path,
                None,
                Some(json!({"type": "video", "instanceId": instance})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = s
            .api
            .call(
                "POST",
                &path,
                None,
                Some(json!({"type": "cloud", "instanceId": "nope"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, wb) = s.meeting("wb", None).await;
        let wb_path = format!("/v1/meetings/{}/recordings/start", wb["id"].as_str().unwrap());
        let (status, _) = s
            .api
            .call(
                "POST",
                &wb_path,
                None,
                Some(json!({"type": "cloud", "instanceId": instance})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
}

/// Only what the room records can be recorded: nothing in rooms that do not
/// record to the cloud, and the composed video only where the room keeps it.
#[tokio::test]
async fn only_rooms_that_record_can_be_recorded() {
    for s in setups().await {
        let start = |meeting: &Value, kind: &str| {
            let path = format!(
                "/v1/meetings/{}/recordings/start",
                meeting["id"].as_str().unwrap()
            );
            let body = json!({"type": kind, "instanceId": "784b3af3-c7dd-57f0-ac54-2ee91c6927cb"});
            let api = &s.api;
            async move { api.call("POST", &path, None, Some(body)).await }
        };
        s.room("silent", json!({"platform": "daily", "recording_type": "none"}))
            .await;
        s.room("local", json!({"platform": "daily", "recording_type": "local"}))
            .await;
        s.room("audio", json!({"platform": "daily", "recording_type": "cloud"}))
            .await;
        s.room(
            "video",
            json!({"platform": "daily", "recording_type": "cloud", "store_video": true}),
        )
        .await;
        let (_, silent) = s.meeting("silent", None).await;
        let (_, local) = s.meeting("local", None).await;
        let (_, audio) = s.meeting("audio", None).await;
        let (_, video) = s.meeting("video", None).await;
        for meeting in [&silent, &local] {
            let (status, answer) = start(meeting, "raw-tracks").await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
            assert_eq!(answer["detail"], "This meeting does not record to the cloud");
        }
        let (status, answer) = start(&audio, "cloud").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(start(&audio, "raw-tracks").await.0, StatusCode::OK);
        assert_eq!(start(&video, "cloud").await.0, StatusCode::OK);
        assert_eq!(start(&video, "raw-tracks").await.0, StatusCode::OK);
        assert_eq!(
            requests_to_prefix(&s.daily, "/v1/rooms/", "/recordings/start").await,
            3,
            "Daily was asked only for what the rooms record"
        );
    }
}

async fn requests_to_prefix(server: &MockServer, prefix: &str, suffix: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.url.path().starts_with(prefix) && request.url.path().ends_with(suffix))
        .count()
}

#[tokio::test]
async fn daily_recording_answers_keep_reflectors_wording() {
    // A Daily that plays the two interesting answers.
    let daily = MockServer::start().await;
    let whereby = fake_whereby().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": uuid::Uuid::new_v4().to_string(), "name": "team-1", "url": "https://fake.daily.co/team-1"
        })))
        .mount(&daily)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"/recordings/start$"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid-request-error", "info": "recording for instance has an active stream"}),
        ))
        .up_to_n_times(1)
        .mount(&daily)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"/recordings/start$"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"error": "not-found", "info": "room team-1 does not seem to be hosting a call currently"}),
        ))
        .mount(&daily)
        .await;
    let env = platform_env(&daily, &whereby);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let api = TestApi::new(state_for(sqlite_store().await, &pairs));
    let owner = api.user("o@example.com").await;
    api.call(
        "POST",
        "/v1/rooms",
        Some(&owner),
        Some(json!({"name": "team", "platform": "daily", "store_video": true})),
    )
    .await;
    let (_, meeting) = api
        .call("POST", "/v1/rooms/team/meeting", None, Some(json!({})))
        .await;
    let path = format!(
        "/v1/meetings/{}/recordings/start",
        meeting["id"].as_str().unwrap()
    );
    let body = json!({"type": "cloud", "instanceId": meeting["id"]});
    let (status, answer) = api.call("POST", &path, None, Some(body.clone())).await;
    assert_eq!(
        (status, answer),
        (
            StatusCode::OK,
            json!({"status": "already_active", "instanceId": meeting["id"]})
        )
    );
    let (status, answer) = api.call("POST", &path, None, Some(body)).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let detail = answer["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("Failed to start recording: ")
            && detail.contains("does not seem to be hosting a call"),
        "{detail}"
    );
    assert_eq!(
        answer["code"], "call_not_started",
        "the browser retries on the code, not the words"
    );
}

/// 100 simultaneous callers, no live meeting: one platform room, one row.
/// On PostgreSQL the callers are split over two server instances (separate
/// in-process state) that share the database, as two processes would.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_get_or_create_makes_exactly_one_meeting() {
    let mut cases: Vec<(Store, Option<Store>)> = vec![(sqlite_store().await, None)];
    if let Some(url) = fresh_postgres_url().await {
        let first = Store::connect(&url).await.unwrap();
        first.migrate().await.unwrap();
        cases.push((first, Some(Store::connect(&url).await.unwrap())));
    }
    for (store, other_store) in cases {
        let backend = store.backend();
        let s = setup_on(store, Duration::from_millis(200)).await;
        s.room("busy", json!({"platform": "daily"})).await;
        let env = platform_env(&s.daily, &s.whereby);
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let second_instance = other_store.map(|store| TestApi::new(state_for(store, &pairs)));
        let calls = (0..100).map(|i| {
            let api = match (&second_instance, i % 2) {
                (Some(other), 1) => other,
                _ => &s.api,
            };
            api.call("POST", "/v1/rooms/busy/meeting", None, Some(json!({})))
        });
        let answers = futures::future::join_all(calls).await;
        let ids: std::collections::BTreeSet<String> = answers
            .iter()
            .map(|(status, meeting)| {
                assert_eq!(*status, StatusCode::OK, "{backend:?}: {meeting}");
                meeting["id"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(ids.len(), 1, "{backend:?}: every caller got the same meeting");
        assert_eq!(
            requests_to(&s.daily, "POST", "/v1/rooms").await,
            1,
            "{backend:?}: one platform room"
        );
        let (_, active) = s
            .api
            .call("GET", "/v1/rooms/busy/meetings/active", None, None)
            .await;
        assert_eq!(active.as_array().unwrap().len(), 1, "{backend:?}: one row");
    }
}

/// A caller who gives up while the platform creates the meeting (a reload,
/// a timeout): the creation goes on, and the next caller gets that meeting
/// at once instead of waiting out a lock its first caller never released.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_who_leaves_mid_creation_leaves_the_meeting_for_the_next() {
    for store in every_backend().await {
        let backend = store.backend();
        let s = setup_on(store, Duration::from_millis(800)).await;
        s.room("slow", json!({"platform": "daily"})).await;
        let left = tokio::time::timeout(Duration::from_millis(200), s.meeting("slow", None)).await;
        assert!(left.is_err(), "the first caller left while Daily was working");
        let (status, meeting) = s.meeting("slow", None).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {meeting}");
        let (_, again) = s.meeting("slow", None).await;
        assert_eq!(again["id"], meeting["id"]);
        assert_eq!(
            requests_to(&s.daily, "POST", "/v1/rooms").await,
            1,
            "{backend:?}: one platform room, and it has its meeting"
        );
        let (_, active) = s
            .api
            .call("GET", "/v1/rooms/slow/meetings/active", None, None)
            .await;
        assert_eq!(active.as_array().unwrap().len(), 1);
    }
}

/// A platform slower than the creation lease's term, two server processes
/// on one PostgreSQL: the holder renews the lease while Daily works, so the
/// other process waits for that meeting instead of creating a second one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_platform_slower_than_the_lease_still_makes_one_meeting_across_processes() {
    let Some((store, url)) = postgres_store_with_url().await else {
        return;
    };
    let daily = fake_daily(Duration::from_millis(2500)).await;
    let whereby = fake_whereby().await;
    let mut env = platform_env(&daily, &whereby);
    env.push(("MEETING_CREATION_LEASE_SECONDS".into(), "1".into()));
    env.push(("PLATFORM_TIMEOUT_SECONDS".into(), "10".into()));
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let first = TestApi::new(state_for(store, &pairs));
    let second = TestApi::new(state_for(Store::connect(&url).await.unwrap(), &pairs));
    let owner = first.user("owner@example.com").await;
    let (status, _) = first
        .call(
            "POST",
            "/v1/rooms",
            Some(&owner),
            Some(json!({"name": "slow", "platform": "daily"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let path = "/v1/rooms/slow/meeting";
    let (a, b) = tokio::join!(first.call("POST", path, None, Some(json!({}))), async {
        // Arrives while the first process's creation outlives its lease term.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        second.call("POST", path, None, Some(json!({}))).await
    });
    assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK), "{} {}", a.1, b.1);
    assert_eq!(a.1["id"], b.1["id"], "both processes answer the same meeting");
    assert_eq!(
        requests_to(&daily, "POST", "/v1/rooms").await,
        1,
        "one platform room"
    );
}
