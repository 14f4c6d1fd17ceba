//! Room webhooks against a receiver on loopback: what happens in a room
//! (through the platforms' signed webhooks and the recording pipeline's
//! store calls) reaches the owner's URL signed, once, in order; failures
//! are retried with the same `event_id` and the log shows every attempt;
//! the test button; a receiver that was down gets its events from a
//! restarted server; private addresses stay refused unless allowed.

use std::time::Duration;

use app::server::jobs::Runner;
use app::server::services::room_webhooks::deliver;
use app::server::store::testing::{every_backend, every_backend_url};
use app::server::store::{AnnouncedRecording, Store, StoredCopy};
use app::types::{NewMeeting, NewRoom, Platform, RoomEventKind, WebhookEvents};
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{json, Value};

use crate::support::webhook_receiver::{Answer, WebhookReceiver};
use crate::support::ServerProcess;
use crate::webhooks::{hooks_with, participant, Hooks};

const SECRET: &str = "receiver-secret";

struct Room {
    hooks: Hooks,
    owner: String,
    room_id: String,
    room_name: String,
    meeting_id: String,
    platform_room: String,
}

async fn room_with_webhook(store: Store, url: &str, events: WebhookEvents, extra: &[(&str, &str)]) -> Room {
    let mut settings = vec![
        ("ALLOW_PRIVATE_NETWORK_URLS".to_owned(), "true".to_owned()),
        ("ROOM_WEBHOOK_RETRY_BASE_SECONDS".to_owned(), "1".to_owned()),
        ("ROOM_WEBHOOK_TIMEOUT_SECONDS".to_owned(), "2".to_owned()),
    ];
    settings.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let hooks = hooks_with(store.clone(), &settings).await;
    let owner_user = store
        .upsert_user("local:owner@example.com", "owner@example.com", None)
        .await
        .unwrap();
    let owner = format!(
        "Bearer {}",
        hooks.api.state.auth.tokens.issue(&owner_user).unwrap()
    );
    let room_name = format!("hooked-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let mut new_room = NewRoom::with_defaults(&room_name, &owner_user.id, Platform::Daily);
    new_room.webhook_url = Some(url.to_owned());
    new_room.webhook_secret = Some(SECRET.to_owned());
    new_room.webhook_events = events;
    let room = store.insert_room(&new_room).await.unwrap();
    let platform_room = format!("{room_name}-20261130");
    let start = Utc::now();
    let meeting = store
        .insert_meeting(
            &room,
            &NewMeeting {
                id: format!("m-{room_name}"),
                room_name: platform_room.clone(),
                room_url: format!("https://fake/{platform_room}"),
                host_room_url: format!("https://fake/{platform_room}"),
                start_date: start,
                end_date: start + chrono::Duration::hours(1),
                platform: Platform::Daily,
                calendar_event_id: None,
                calendar_metadata: None,
                failover: None,
            },
        )
        .await
        .unwrap();
    Room {
        hooks,
        owner,
        room_id: room.id,
        room_name,
        meeting_id: meeting.id,
        platform_room,
    }
}

impl Room {
    fn store(&self) -> &Store {
        &self.hooks.store
    }

    async fn daily(&self, event: Value) {
        let (status, answer) = self.hooks.daily(&event).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }

    async fn join(&self, session: &str, name: &str) {
        let now = Utc::now().timestamp() as f64;
        let mut event = participant(
            "participant.joined",
            &format!("j-{session}"),
            &self.platform_room,
            session,
            now,
        );
        event["payload"]["user_name"] = json!(name);
        self.daily(event).await;
    }

    async fn leave(&self, session: &str) {
        let now = Utc::now().timestamp() as f64;
        let event = participant(
            "participant.left",
            &format!("l-{session}"),
            &self.platform_room,
            session,
            now - 30.0,
        );
        self.daily(event).await;
    }

    async fn end(&self) {
        let now = Utc::now().timestamp() as f64;
        self.daily(json!({"version": "1.0.0", "type": "meeting.ended", "id": format!("e-{}", self.room_name),
            "payload": {"start_ts": now - 60.0, "end_ts": now, "meeting_id": "x", "room": self.platform_room}}))
            .await;
    }

    async fn announce_recording(&self, id: &str) {
        self.store()
            .upsert_recording(&AnnouncedRecording {
                id,
                meeting_id: Some(&self.meeting_id),
                platform: Platform::Daily,
                bucket_name: "bucket",
                object_key: &format!("{id}.mp4"),
                recorded_at: Utc::now(),
                track_keys: None,
            })
            .await
            .unwrap();
    }

    /// Runs the delivery jobs as the workers do, until none is due.
    async fn deliver(&self) {
        let state = &self.hooks.api.state;
        let (_stop, mut stopped) = tokio::sync::watch::channel(false);
        let runner = Runner::new(state.clone(), "webhook-worker");
        loop {
            deliver::queue_due(state, Utc::now()).await.unwrap();
            match runner.run_next(&mut stopped).await.unwrap() {
                Some((job, _)) => assert_eq!(job.kind, "deliver_room_webhooks"),
                None => break,
            }
        }
    }

    async fn log(&self) -> Value {
        let (status, page) = self
            .hooks
            .api
            .call(
                "GET",
                &format!("/v1/rooms/{}/webhook/deliveries?size=100", self.room_id),
                Some(&self.owner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page
    }
}

#[tokio::test]
async fn every_event_reaches_the_receiver_signed_once_and_in_order() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store, &url, WebhookEvents::every(), &[]).await;
        room.join("s-ann", "Ann").await;
        room.leave("s-ann").await;
        room.announce_recording("rec-ready").await;
        let copy = StoredCopy {
            storage_key: "recordings/rec-ready.mp4".into(),
            size_bytes: 1234,
            sha256: "00".repeat(32),
        };
        assert!(room.store().complete_recording("rec-ready", &copy).await.unwrap());
        room.announce_recording("rec-failed").await;
        room.daily(
            json!({"version": "1.0.0", "type": "recording.error", "id": format!("re-{}", room.room_name),
            "payload": {"action": "cloud-recording-error", "error_msg": "disk full", "instance_id": "i",
                        "room_name": room.platform_room, "timestamp": Utc::now().timestamp()}}),
        )
        .await;
        room.end().await;
        // The same platform events again (Daily redelivers): no new room events.
        room.join("s-ann", "Ann").await;
        room.end().await;

        room.deliver().await;
        assert_eq!(
            receiver.events(),
            [
                "meeting.started",
                "participant.joined",
                "participant.left",
                "recording.ready",
                "recording.failed",
                "meeting.ended"
            ]
        );
        let received = receiver.received();
        let mut event_ids: Vec<String> = Vec::new();
        for request in &received {
            let body = request.json();
            assert!(request.signed_with(SECRET), "{body}");
            assert!(!request.signed_with("another secret"));
            assert_eq!(request.header("x-webhook-event"), body["event"]);
            assert_eq!(request.header("x-webhook-retry"), "0");
            assert_eq!(request.header("content-type"), "application/json");
            assert_eq!(request.header("user-agent"), "Reflector-Webhook/1.0");
            assert_eq!(body["room"], json!({"id": room.room_id, "name": room.room_name}));
            assert!(body["timestamp"].as_str().is_some(), "{body}");
            if body["event"] != "test" {
                assert_eq!(body["meeting"]["id"], room.meeting_id, "{body}");
                assert_eq!(body["meeting"]["platform"], "daily");
            }
            event_ids.push(body["event_id"].as_str().unwrap().to_owned());
        }
        event_ids.sort();
        event_ids.dedup();
        assert_eq!(event_ids.len(), received.len(), "one event_id per event");

        let joined = received[1].json();
        assert_eq!(joined["participant"]["name"], "Ann");
        assert_eq!(joined["participant"]["session_id"], "s-ann");
        let text = String::from_utf8_lossy(&received[1].body).into_owned();
        assert!(
            !text.contains("u-1") && !text.contains("owner@example.com"),
            "no ids or e-mails: {text}"
        );
        let ready = received[3].json();
        assert_eq!(ready["recording"]["id"], "rec-ready");
        assert_eq!(ready["recording"]["size"], 1234);
        let failed = received[4].json();
        assert_eq!(failed["recording"]["id"], "rec-failed");
        assert!(
            failed["recording"]["error"]
                .as_str()
                .unwrap()
                .contains("disk full"),
            "{failed}"
        );
        let ended = received[5].json();
        assert_eq!(ended["participants"], 1);

        let log = room.log().await;
        assert_eq!(log["total"], 6);
        for delivery in log["items"].as_array().unwrap() {
            assert_eq!(delivery["status"], "delivered", "{delivery}");
            let attempts = delivery["attempts"].as_array().unwrap();
            assert_eq!(attempts.len(), 1);
            assert_eq!(attempts[0]["status_code"], 200);
            assert_eq!(attempts[0]["response_preview"], "thanks");
        }
        room.deliver().await;
        assert_eq!(receiver.received().len(), 6, "delivered once each");
    }
}

#[tokio::test]
async fn a_room_sends_only_the_events_its_owner_chose() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let only_ends = WebhookEvents::only([RoomEventKind::MeetingEnded]);
        let room = room_with_webhook(store.clone(), &url, only_ends, &[]).await;
        room.join("s-1", "Bo").await;
        room.leave("s-1").await;
        room.end().await;
        room.deliver().await;
        assert_eq!(receiver.events(), ["meeting.ended"]);

        // Chosen through the API, as the form saves it.
        let (status, saved) = room
            .hooks
            .api
            .call(
                "PATCH",
                &format!("/v1/rooms/{}", room.room_id),
                Some(&room.owner),
                Some(json!({"webhook_events": ["participant.joined", "nonsense"]})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{saved}");
        let (status, saved) = room
            .hooks
            .api
            .call(
                "PATCH",
                &format!("/v1/rooms/{}", room.room_id),
                Some(&room.owner),
                Some(json!({"webhook_events": ["participant.joined"]})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["webhook_events"], json!(["participant.joined"]));
        let (_, read) = room
            .hooks
            .api
            .call(
                "GET",
                &format!("/v1/rooms/name/{}", room.room_name),
                Some(&room.owner),
                None,
            )
            .await;
        assert_eq!(read["webhook_events"], json!(["participant.joined"]));
    }
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_the_same_event_id_and_later_events_wait() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store.clone(), &url, WebhookEvents::every(), &[]).await;
        receiver.script(&[Answer::Status(500)]);
        room.join("s-1", "Cy").await;
        room.leave("s-1").await;
        room.deliver().await;
        assert_eq!(
            receiver.events(),
            ["meeting.started"],
            "later events wait for the retry"
        );
        let log = room.log().await;
        let first = &log["items"][2];
        assert_eq!(first["status"], "pending", "{log}");
        let attempt = &first["attempts"][0];
        assert_eq!(attempt["status_code"], 500);
        assert_eq!(attempt["response_preview"], "answered 500");
        assert!(attempt["error"].as_str().unwrap().contains("500"), "{attempt}");
        let retry_at: chrono::DateTime<Utc> =
            serde_json::from_value(first["next_attempt_at"].clone()).unwrap();
        let wait = retry_at - Utc::now();
        assert!(wait <= chrono::Duration::seconds(1), "first retry soon: {wait}");

        tokio::time::sleep(Duration::from_millis(1100)).await;
        room.deliver().await;
        assert_eq!(
            receiver.events(),
            [
                "meeting.started",
                "meeting.started",
                "participant.joined",
                "participant.left"
            ]
        );
        let received = receiver.received();
        assert_eq!(received[0].json()["event_id"], received[1].json()["event_id"]);
        assert_eq!(received[1].header("x-webhook-retry"), "1");
        assert!(received[1].signed_with(SECRET));
        let log = room.log().await;
        assert_eq!(log["items"][2]["status"], "delivered");
        assert_eq!(log["items"][2]["attempts"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn refusals_are_not_retried_but_408_429_and_retry_after_are() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store.clone(), &url, WebhookEvents::every(), &[]).await;
        // meeting.started: 400 → failed for good; participant.joined: 429 with
        // Retry-After → waits that long.
        receiver.script(&[Answer::Status(400), Answer::RetryAfter(429, "120")]);
        room.join("s-1", "Di").await;
        room.deliver().await;
        assert_eq!(receiver.events(), ["meeting.started", "participant.joined"]);
        let log = room.log().await;
        assert_eq!(log["items"][1]["status"], "failed", "{log}");
        let joined = &log["items"][0];
        assert_eq!(joined["status"], "pending");
        let retry_at: chrono::DateTime<Utc> =
            serde_json::from_value(joined["next_attempt_at"].clone()).unwrap();
        let wait = (retry_at - Utc::now()).num_seconds();
        assert!((115..=120).contains(&wait), "Retry-After honoured: {wait} s");

        // 408 is retried.
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store.clone(), &url, WebhookEvents::every(), &[]).await;
        receiver.script(&[Answer::Status(408)]);
        room.join("s-2", "Ed").await;
        room.deliver().await;
        assert_eq!(room.log().await["items"][1]["status"], "pending");

        // Redelivery sends a failed event again, under its event_id.
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store.clone(), &url, WebhookEvents::every(), &[]).await;
        receiver.script(&[Answer::Status(410)]);
        room.end().await;
        room.deliver().await;
        let log = room.log().await;
        assert_eq!(log["items"][0]["status"], "failed");
        let event_id = log["items"][0]["event_id"].as_str().unwrap().to_owned();
        let path = format!(
            "/v1/rooms/{}/webhook/deliveries/{event_id}/redeliver",
            room.room_id
        );
        let (status, _) = room.hooks.api.call("POST", &path, None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let stranger = room.hooks.api.user("stranger@example.com").await;
        let (status, _) = room.hooks.api.call("POST", &path, Some(&stranger), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, again) = room.hooks.api.call("POST", &path, Some(&room.owner), None).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["status"], "pending");
        room.deliver().await;
        let received = receiver.received();
        assert_eq!(received.len(), 2);
        assert_eq!(received[1].json()["event_id"], event_id.as_str());
        assert_eq!(room.log().await["items"][0]["status"], "delivered");
        let missing = format!(
            "/v1/rooms/{}/webhook/deliveries/no-such-event/redeliver",
            room.room_id
        );
        let (status, _) = room
            .hooks
            .api
            .call("POST", &missing, Some(&room.owner), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_receiver_that_hangs_times_out_and_never_holds_up_webhook_ingest() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store.clone(), &url, WebhookEvents::every(), &[]).await;
        receiver.script(&[Answer::Hang]);
        room.join("s-1", "Fa").await;
        let delivering = tokio::spawn({
            let state = room.hooks.api.state.clone();
            let room_id = room.room_id.clone();
            async move { deliver::deliver_room(&state, &room_id).await.unwrap() }
        });
        // While the receiver hangs, platform events keep being taken in.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = std::time::Instant::now();
        room.leave("s-1").await;
        room.join("s-2", "Gi").await;
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "ingest waited for the receiver"
        );
        assert_eq!(delivering.await.unwrap(), 1, "stopped at the retry");
        let log = room.log().await;
        let attempt = &log["items"][3]["attempts"][0];
        assert!(
            attempt["error"]
                .as_str()
                .unwrap()
                .contains("did not answer within 2 seconds"),
            "{attempt}"
        );
        assert!(attempt["duration_ms"].as_i64().unwrap() >= 2000, "{attempt}");
        assert_eq!(log["items"][3]["status"], "pending");
    }
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(
            store.clone(),
            &url,
            WebhookEvents::every(),
            &[("ALLOW_PRIVATE_NETWORK_URLS", "false")],
        )
        .await;
        room.end().await;
        room.deliver().await;
        assert!(receiver.received().is_empty());
        let log = room.log().await;
        assert_eq!(log["items"][0]["status"], "failed", "{log}");
        let error = log["items"][0]["attempts"][0]["error"].as_str().unwrap();
        assert!(error.contains("private"), "{error}");

        let (status, result) = room
            .hooks
            .api
            .call(
                "POST",
                &format!("/v1/rooms/{}/webhook/test", room.room_id),
                Some(&room.owner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{result}");
        assert_eq!(result["success"], false);
        assert!(
            result["error"]
                .as_str()
                .unwrap()
                .starts_with("Webhook URL refused"),
            "{result}"
        );
        assert!(receiver.received().is_empty());
    }
}

#[tokio::test]
async fn the_test_button_says_how_the_receiver_answered() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store.clone(), &url, WebhookEvents::every(), &[]).await;
        let test = format!("/v1/rooms/{}/webhook/test", room.room_id);
        let api = &room.hooks.api;

        let (status, result) = api.call("POST", &test, Some(&room.owner), None).await;
        assert_eq!(status, StatusCode::OK, "{result}");
        assert_eq!(
            result,
            json!({"success": true, "message": "Webhook test successful", "error": "",
                   "status_code": 200, "response_preview": "thanks"})
        );
        let sent = &receiver.received()[0];
        assert!(sent.signed_with(SECRET));
        assert_eq!(sent.json()["event"], "test");
        assert_eq!(sent.json()["message"], "This is a test webhook from Reflector");
        assert_eq!(sent.header("x-webhook-event"), "test");

        receiver.script(&[Answer::Status(404)]);
        let (_, result) = api.call("POST", &test, Some(&room.owner), None).await;
        assert_eq!(result["success"], false);
        assert_eq!(result["status_code"], 404);
        assert_eq!(result["response_preview"], "answered 404");

        receiver.script(&[Answer::Hang]);
        let (_, result) = api.call("POST", &test, Some(&room.owner), None).await;
        assert_eq!(result["success"], false);
        assert_eq!(result["error"], "Webhook request timed out (2 seconds)");

        // Nobody listening.
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        api.call(
            "PATCH",
            &format!("/v1/rooms/{}", room.room_id),
            Some(&room.owner),
            Some(json!({"webhook_url": format!("http://127.0.0.1:{closed}/hook")})),
        )
        .await;
        let (_, result) = api.call("POST", &test, Some(&room.owner), None).await;
        assert_eq!(result["success"], false);
        assert!(
            result["error"]
                .as_str()
                .unwrap()
                .starts_with("Could not connect to webhook URL"),
            "{result}"
        );

        // Tests are in the log, tried once each, and never sent by the jobs.
        let log = room.log().await;
        assert_eq!(log["total"], 4);
        for delivery in log["items"].as_array().unwrap() {
            assert_eq!(delivery["event"], "test");
            assert_eq!(delivery["attempts"].as_array().unwrap().len(), 1, "{delivery}");
        }
        room.deliver().await;
        assert_eq!(receiver.received().len(), 3);

        let stranger = api.user("stranger@example.com").await;
        let (status, _) = api.call("POST", &test, Some(&stranger), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api
            .call(
                "GET",
                &format!("/v1/rooms/{}/webhook/deliveries", room.room_id),
                Some(&stranger),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api.call("POST", &test, None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = api
            .call(
                "POST",
                "/v1/rooms/no-such-room/webhook/test",
                Some(&room.owner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

/// The receiver is down when the meeting ends; the server is killed and
/// another one started on the same database; the receiver comes back and
/// gets the event, under its first event_id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_down_gets_its_events_after_a_restart_of_our_server() {
    for url in every_backend_url().await {
        let store = Store::connect(&url).await.unwrap();
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let hook_url = format!("http://127.0.0.1:{port}/hook");
        let room = room_with_webhook(store.clone(), &hook_url, WebhookEvents::every(), &[]).await;
        room.store()
            .end_meeting(&room.meeting_id, Utc::now())
            .await
            .unwrap();
        let settings = [
            ("DATABASE_URL", url.as_str()),
            ("ALLOW_PRIVATE_NETWORK_URLS", "true"),
            ("ROOM_WEBHOOK_RETRY_BASE_SECONDS", "1"),
            ("ROOM_WEBHOOK_POLL_SECONDS", "1"),
        ];
        let first = ServerProcess::start(&settings).await;
        let mut tried = false;
        for _ in 0..100 {
            let (items, _) = store.room_deliveries(&room.room_id, 10, 0).await.unwrap();
            if items
                .first()
                .is_some_and(|delivery| !delivery.attempts.is_empty())
            {
                tried = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(tried, "the first server tried the receiver");
        first.kill().await;

        let (receiver, _) = WebhookReceiver::start_on(port).await;
        let second = ServerProcess::start(&settings).await;
        // The first server's failed attempts have pushed the retry out by
        // their back-off (1, 2, 4 s…): on a loaded machine that is a while.
        for _ in 0..300 {
            if !receiver.received().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let received = receiver.received();
        assert_eq!(received.len(), 1, "delivered once");
        let body = received[0].json();
        assert_eq!(body["event"], "meeting.ended");
        let (items, _) = store.room_deliveries(&room.room_id, 10, 0).await.unwrap();
        assert_eq!(body["event_id"], items[0].event_id.as_str());
        assert!(received[0].header("x-webhook-retry") != "0");
        assert!(received[0].signed_with(SECRET));
        second.kill().await;
        store.close().await;
    }
}

/// The form's server functions are the same services as the REST routes.
#[tokio::test]
async fn the_forms_server_functions_test_list_and_redeliver() {
    for store in every_backend().await {
        let (receiver, url) = WebhookReceiver::start().await;
        let room = room_with_webhook(store.clone(), &url, WebhookEvents::every(), &[]).await;
        let api = &room.hooks.api;
        receiver.script(&[Answer::Status(500)]);
        let (status, result) = api
            .server_fn(
                "test_room_webhook",
                Some(&room.owner),
                json!({"room_id": room.room_id}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{result}");
        assert_eq!(result["success"], false);
        assert_eq!(result["status_code"], 500);
        let (status, page) = api
            .server_fn(
                "room_webhook_deliveries",
                Some(&room.owner),
                json!({"room_id": room.room_id, "page": 1, "size": 10}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0]["status"], "failed", "a test is tried once");
        let event_id = page["items"][0]["event_id"].clone();
        let (status, again) = api
            .server_fn(
                "redeliver_room_webhook",
                Some(&room.owner),
                json!({"room_id": room.room_id, "event_id": event_id}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{again}");
        room.deliver().await;
        assert_eq!(receiver.received().len(), 2);
        assert_eq!(room.log().await["items"][0]["status"], "delivered");

        let stranger = api.user("stranger@example.com").await;
        let (status, _) = api
            .server_fn(
                "room_webhook_deliveries",
                Some(&stranger),
                json!({"room_id": room.room_id, "page": 1, "size": 10}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api
            .server_fn("test_room_webhook", None, json!({"room_id": room.room_id}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}
