//! Failover: when the room's platform is down (unreachable, too slow, 5xx),
//! the meeting is made on the next configured platform and says so in the
//! API and the room webhook; a refusal (4xx) is shown, never failed over; a
//! platform that just failed is skipped for a cool-down, then tried again;
//! many visitors during an outage share one meeting. SQLite and PostgreSQL.

use std::time::{Duration, Instant};

use app::server::store::testing::every_backend;
use app::server::store::Store;
use axum::http::StatusCode;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use app::server::jobs::Runner;
use app::server::services::room_webhooks::deliver;
use app::server::store::SessionEvent;
use chrono::Utc;

use crate::support::fake_platforms::{fake_whereby, requests_to};
use crate::support::webhook_receiver::WebhookReceiver;
use crate::support::{state_for, TestApi};

/// A Daily API whose room creation answers `status` (after `delay`).
async fn failing_daily(status: u16, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_json(json!({"error": "server-error", "info": "Daily is having a bad day"}))
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    server
}

struct Outage {
    api: TestApi,
    owner: String,
    daily: MockServer,
    whereby: MockServer,
}

async fn outage(store: Store, daily: MockServer, extra: &[(&str, &str)]) -> Outage {
    let whereby = fake_whereby().await;
    let daily_url = format!("{}/v1", daily.uri());
    let whereby_url = format!("{}/v1", whereby.uri());
    let mut env = vec![
        ("DAILY_API_KEY", "fake-daily-key"),
        ("DAILY_API_URL", daily_url.as_str()),
        ("WHEREBY_API_KEY", "fake-whereby-key"),
        ("WHEREBY_API_URL", whereby_url.as_str()),
        ("PLATFORM_TIMEOUT_SECONDS", "1"),
        ("FALLBACK_VIDEO_PLATFORMS", "whereby"),
        // The room webhook's receiver is on loopback.
        ("ALLOW_PRIVATE_NETWORK_URLS", "true"),
    ];
    env.extend_from_slice(extra);
    let api = TestApi::new(state_for(store, &env));
    let owner = api
        .user(&format!("owner-{}@example.com", uuid::Uuid::new_v4().simple()))
        .await;
    Outage {
        api,
        owner,
        daily,
        whereby,
    }
}

impl Outage {
    async fn daily_room(&self, name: &str, extra: Value) -> Value {
        let mut body = json!({"name": name, "platform": "daily", "webhook_url": "http://127.0.0.1:9/hook"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let (status, room) = self
            .api
            .call("POST", "/v1/rooms", Some(&self.owner), Some(body))
            .await;
        assert_eq!(status, StatusCode::OK, "{room}");
        room
    }

    async fn meeting(&self, room: &str) -> (StatusCode, Value) {
        self.api
            .call(
                "POST",
                &format!("/v1/rooms/{room}/meeting"),
                None,
                Some(json!({})),
            )
            .await
    }
}

#[tokio::test]
async fn a_room_whose_platform_is_down_meets_on_the_fallback_and_says_so() {
    for store in every_backend().await {
        for (name, daily) in [
            ("answers-503", failing_daily(503, Duration::ZERO).await),
            // Slower than PLATFORM_TIMEOUT_SECONDS.
            ("too-slow", failing_daily(200, Duration::from_secs(3)).await),
        ] {
            let o = outage(store.clone(), daily, &[]).await;
            let room = o.daily_room(name, json!({})).await;
            let (status, meeting) = o.meeting(name).await;
            assert_eq!(status, StatusCode::OK, "{meeting}");
            assert_eq!(meeting["platform"], "whereby", "{meeting}");
            assert_eq!(meeting["failover_from"], "daily");
            let reason = meeting["failover_reason"].as_str().unwrap();
            assert!(reason.contains("Daily"), "{reason}");
            assert!(meeting["room_url"].as_str().unwrap().contains("fake.whereby.com"));

            // The next visitor gets the same meeting, without asking Daily again.
            let daily_asked = requests_to(&o.daily, "POST", "/v1/rooms").await;
            let (_, again) = o.meeting(name).await;
            assert_eq!(again["id"], meeting["id"]);
            assert_eq!(requests_to(&o.daily, "POST", "/v1/rooms").await, daily_asked);
            assert_eq!(requests_to(&o.whereby, "POST", "/v1/meetings").await, 1);

            // Joining goes to where the meeting really runs.
            let join = format!(
                "/v1/rooms/{name}/meetings/{}/join",
                meeting["id"].as_str().unwrap()
            );
            let (status, joined) = o.api.call("POST", &join, None, None).await;
            assert_eq!(status, StatusCode::OK, "{joined}");
            assert!(joined["room_url"].as_str().unwrap().contains("fake.whereby.com"));

            // The rooms list's live meetings say so too.
            let (_, active) = o
                .api
                .call("GET", &format!("/v1/rooms/{name}/meetings/active"), None, None)
                .await;
            assert_eq!(active[0]["failover_from"], "daily", "{active}");

            // The room webhook's meeting.started names both platforms.
            let (receiver, hook_url) = WebhookReceiver::start().await;
            let room_id = room["id"].as_str().unwrap();
            o.api
                .call(
                    "PATCH",
                    &format!("/v1/rooms/{room_id}"),
                    Some(&o.owner),
                    Some(json!({"webhook_url": hook_url})),
                )
                .await;
            let stored = o
                .api
                .state
                .store
                .meeting_by_id(meeting["id"].as_str().unwrap())
                .await
                .unwrap()
                .unwrap();
            o.api
                .state
                .store
                .record_session(
                    &stored,
                    &SessionEvent {
                        session_id: "s-1",
                        user_id: None,
                        user_name: Some("Ann"),
                        joined_at: Utc::now(),
                        left_at: None,
                    },
                )
                .await
                .unwrap();
            deliver_all(&o.api.state).await;
            let started = receiver
                .received()
                .into_iter()
                .map(|r| r.json())
                .find(|event| event["event"] == "meeting.started")
                .expect("meeting.started delivered");
            assert_eq!(started["meeting"]["platform"], "whereby", "{started}");
            assert_eq!(started["meeting"]["failover_from"], "daily", "{started}");
        }
    }
}

async fn deliver_all(state: &app::server::AppState) {
    let (_stop, mut stopped) = tokio::sync::watch::channel(false);
    let runner = Runner::new(state.clone(), "webhook-worker");
    loop {
        deliver::queue_due(state, Utc::now()).await.unwrap();
        if runner.run_next(&mut stopped).await.unwrap().is_none() {
            break;
        }
    }
}

#[tokio::test]
async fn a_refusal_is_shown_and_never_failed_over() {
    for store in every_backend().await {
        let o = outage(store, failing_daily(400, Duration::ZERO).await, &[]).await;
        o.daily_room("refused", json!({})).await;
        let (status, answer) = o.meeting("refused").await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{answer}");
        assert!(
            answer["detail"]
                .as_str()
                .unwrap()
                .contains("Daily.co answered 400"),
            "{answer}"
        );
        assert_eq!(requests_to(&o.whereby, "POST", "/v1/meetings").await, 0);
        // A refusal says nothing of the platform's health.
        o.meeting("refused").await;
        assert_eq!(requests_to(&o.daily, "POST", "/v1/rooms").await, 2);
    }
}

#[tokio::test]
async fn a_dead_platform_is_skipped_until_its_cooldown_ends_then_tried_again() {
    let store = app::server::store::testing::sqlite_store().await;
    let daily = failing_daily(200, Duration::from_secs(3)).await;
    let o = outage(store, daily, &[("PLATFORM_FAILURE_COOLDOWN_SECONDS", "2")]).await;
    o.daily_room("first", json!({})).await;
    o.daily_room("second", json!({})).await;
    o.daily_room("third", json!({})).await;
    let started = Instant::now();
    let (_, first) = o.meeting("first").await;
    assert_eq!(first["platform"], "whereby");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the first visitor waited for Daily"
    );

    // Another room right after: Daily is skipped, no wait.
    let started = Instant::now();
    let (_, second) = o.meeting("second").await;
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(second["platform"], "whereby");
    assert_eq!(second["failover_from"], "daily");
    assert!(
        second["failover_reason"]
            .as_str()
            .unwrap()
            .contains("not tried again"),
        "{second}"
    );
    assert_eq!(requests_to(&o.daily, "POST", "/v1/rooms").await, 1);

    // After the cool-down Daily is tried again; it is back.
    o.daily.reset().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "d-1", "name": "third-x", "api_created": true, "privacy": "public",
            "url": "https://fake.daily.co/third-x", "created_at": "2026-01-01T12:00:00.000Z", "config": {}
        })))
        .mount(&o.daily)
        .await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, third) = o.meeting("third").await;
    assert_eq!(status, StatusCode::OK, "{third}");
    assert_eq!(third["platform"], "daily", "{third}");
    assert!(third["failover_from"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_cooldown_one_visitor_tries_the_platform_again_while_the_others_skip_it() {
    let store = app::server::store::testing::sqlite_store().await;
    let daily = failing_daily(200, Duration::from_secs(3)).await;
    let o = outage(store, daily, &[("PLATFORM_FAILURE_COOLDOWN_SECONDS", "1")]).await;
    for room in ["early", "b", "c", "d"] {
        o.daily_room(room, json!({})).await;
    }
    o.meeting("early").await;
    assert_eq!(requests_to(&o.daily, "POST", "/v1/rooms").await, 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let visits = ["b", "c", "d"].map(|room| {
        let api = o.api.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let (status, meeting) = api
                .call(
                    "POST",
                    &format!("/v1/rooms/{room}/meeting"),
                    None,
                    Some(json!({})),
                )
                .await;
            (status, meeting, started.elapsed())
        })
    });
    let mut waited = 0;
    for visit in visits {
        let (status, meeting, took) = visit.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{meeting}");
        assert_eq!(meeting["platform"], "whereby");
        waited += usize::from(took >= Duration::from_millis(900));
    }
    assert_eq!(
        waited, 1,
        "one visitor waited for Daily's timeout, the others skipped it"
    );
    assert_eq!(requests_to(&o.daily, "POST", "/v1/rooms").await, 2);
}

#[tokio::test]
async fn without_a_fallback_a_skipped_platform_answers_at_once_with_503() {
    let store = app::server::store::testing::sqlite_store().await;
    let daily = failing_daily(503, Duration::ZERO).await;
    let o = outage(store, daily, &[("FALLBACK_VIDEO_PLATFORMS", "")]).await;
    o.daily_room("alone", json!({})).await;
    o.daily_room("alone-2", json!({})).await;
    let (status, first) = o.meeting("alone").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{first}");
    let (status, second) = o.meeting("alone-2").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{second}");
    assert!(
        second["detail"]
            .as_str()
            .unwrap()
            .starts_with("Daily.co is unavailable right now"),
        "{second}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_visitors_during_an_outage_share_one_meeting() {
    for store in every_backend().await {
        let o = outage(store, failing_daily(503, Duration::from_millis(300)).await, &[]).await;
        o.daily_room("crowd", json!({})).await;
        let visits = (0..100).map(|_| {
            let api = o.api.clone();
            tokio::spawn(async move {
                api.call("POST", "/v1/rooms/crowd/meeting", None, Some(json!({})))
                    .await
            })
        });
        let mut ids = std::collections::HashSet::new();
        for visit in visits.collect::<Vec<_>>() {
            let (status, meeting) = visit.await.unwrap();
            assert_eq!(status, StatusCode::OK, "{meeting}");
            assert_eq!(meeting["platform"], "whereby");
            ids.insert(meeting["id"].as_str().unwrap().to_owned());
        }
        assert_eq!(ids.len(), 1, "one meeting for everyone");
        assert_eq!(requests_to(&o.whereby, "POST", "/v1/meetings").await, 1);
        assert_eq!(requests_to(&o.daily, "POST", "/v1/rooms").await, 1);
    }
}

#[tokio::test]
async fn a_rooms_own_fallbacks_come_before_the_servers() {
    let store = app::server::store::testing::sqlite_store().await;
    let daily = failing_daily(502, Duration::ZERO).await;
    let o = outage(store, daily, &[("FALLBACK_VIDEO_PLATFORMS", "")]).await;
    let room = o
        .daily_room("own-plan", json!({"fallback_platforms": ["whereby"]}))
        .await;
    assert_eq!(room["fallback_platforms"], json!(["whereby"]));
    let (status, meeting) = o.meeting("own-plan").await;
    assert_eq!(status, StatusCode::OK, "{meeting}");
    assert_eq!(meeting["platform"], "whereby");
    assert_eq!(meeting["failover_from"], "daily");

    let (status, refused) = o
        .api
        .call(
            "POST",
            "/v1/rooms",
            Some(&o.owner),
            Some(json!({"name": "odd-plan", "fallback_platforms": ["zoom"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
}
