use app::server::store::testing::{every_backend, sqlite_store};
use app::server::store::Store;
use app::types::{NewMeeting, NewRoom, Platform, RecordingStatus};
use axum::http::StatusCode;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::Utc;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::support::{send, state_for, TestApi};

pub(super) const DAILY_SECRET: &str = "cmVmbGVjdG9yLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzISE=";
const WHEREBY_SECRET: &str = "whereby-secret";

fn mac(key: &[u8], timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

pub(super) fn daily_headers(body: &[u8], secret: &str, timestamp: i64) -> Vec<(String, String)> {
    let ts = timestamp.to_string();
    let signature = STANDARD.encode(mac(&STANDARD.decode(secret).unwrap(), &ts, body));
    vec![
        ("x-webhook-signature".into(), signature),
        ("x-webhook-timestamp".into(), ts),
    ]
}

fn whereby_headers(body: &[u8], secret: &str, timestamp: i64) -> Vec<(String, String)> {
    let ts = timestamp.to_string();
    vec![(
        "whereby-signature".into(),
        format!("t={ts},v1={}", hex::encode(mac(secret.as_bytes(), &ts, body))),
    )]
}

pub(super) struct Hooks {
    pub(super) api: TestApi,
    pub(super) store: Store,
}

async fn hooks_on(store: Store) -> Hooks {
    hooks_with(store, &[]).await
}

/// Webhook secrets set, plus `extra` settings.
pub(super) async fn hooks_with(store: Store, extra: &[(String, String)]) -> Hooks {
    let mut env = vec![
        ("DAILY_WEBHOOK_SECRET", DAILY_SECRET),
        ("WHEREBY_WEBHOOK_SECRET", WHEREBY_SECRET),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    Hooks {
        api: TestApi::new(state_for(store.clone(), &env)),
        store,
    }
}

impl Hooks {
    pub(super) async fn post_raw(
        &self,
        path: &str,
        body: &[u8],
        headers: &[(String, String)],
    ) -> (StatusCode, Value) {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let request = headers
            .iter()
            .fold(axum::http::Request::post(path), |r, (k, v)| r.header(*k, *v));
        let request = request
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_vec()))
            .unwrap();
        let response = tower::ServiceExt::oneshot(self.api.router.clone(), request)
            .await
            .unwrap();
        let status = response.status();
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    pub(super) async fn daily(&self, event: &Value) -> (StatusCode, Value) {
        let body = event.to_string();
        self.post_raw(
            "/v1/daily/webhook",
            body.as_bytes(),
            &daily_headers(body.as_bytes(), DAILY_SECRET, Utc::now().timestamp()),
        )
        .await
    }

    pub(super) async fn whereby(&self, event: &Value) -> (StatusCode, Value) {
        let body = event.to_string();
        self.post_raw(
            "/v1/whereby",
            body.as_bytes(),
            &whereby_headers(body.as_bytes(), WHEREBY_SECRET, Utc::now().timestamp()),
        )
        .await
    }

    /// A room with one live meeting whose platform room is `platform_room`.
    pub(super) async fn meeting(&self, platform: Platform, id: &str, platform_room: &str) -> String {
        let owner = self
            .store
            .upsert_user("local:o@example.com", "o@example.com", None)
            .await
            .unwrap();
        let room_name = format!("r-{}", uuid::Uuid::new_v4().simple());
        let room = self
            .store
            .insert_room(&NewRoom::with_defaults(&room_name, &owner.id, platform))
            .await
            .unwrap();
        let start = Utc::now();
        let meeting = NewMeeting {
            id: id.into(),
            room_name: platform_room.into(),
            room_url: format!("https://fake/{platform_room}"),
            host_room_url: format!("https://fake/{platform_room}"),
            start_date: start,
            end_date: start + chrono::Duration::hours(8),
            platform,
            calendar_event_id: None,
            calendar_metadata: None,
            failover: None,
        };
        self.store.insert_meeting(&room, &meeting).await.unwrap().id
    }

    pub(super) async fn num_clients(&self, meeting_id: &str) -> i64 {
        self.store
            .meeting_by_id(meeting_id)
            .await
            .unwrap()
            .unwrap()
            .num_clients
    }
}

pub(super) fn participant(kind: &str, id: &str, room: &str, session: &str, joined_at: f64) -> Value {
    json!({"version": "1.0.0", "type": kind, "id": id, "event_ts": joined_at + 1.0,
           "payload": {"room": room, "session_id": session, "user_id": "u-1", "user_name": "Ann",
                       "joined_at": joined_at, "duration": 30.5}})
}

#[tokio::test]
async fn daily_participant_events_drive_presence_once_each() {
    for store in every_backend().await {
        let hooks = hooks_on(store).await;
        let meeting = hooks
            .meeting(Platform::Daily, "d-1", "team-20260101120000-abcdef")
            .await;
        let now = Utc::now().timestamp() as f64;
        let joined = participant(
            "participant.joined",
            "j-1",
            "team-20260101120000-abcdef",
            "s-1",
            now,
        );
        assert_eq!(
            hooks.daily(&joined).await,
            (StatusCode::OK, json!({"status": "ok"}))
        );
        let other = participant(
            "participant.joined",
            "j-2",
            "team-20260101120000-abcdef",
            "s-2",
            now,
        );
        hooks.daily(&other).await;
        assert_eq!(hooks.num_clients(&meeting).await, 2);

        assert_eq!(
            hooks.daily(&joined).await,
            (StatusCode::OK, json!({"status": "duplicate"})),
            "redelivery"
        );
        assert_eq!(hooks.num_clients(&meeting).await, 2);

        let left = participant(
            "participant.left",
            "l-1",
            "team-20260101120000-abcdef",
            "s-1",
            now,
        );
        hooks.daily(&left).await;
        assert_eq!(hooks.num_clients(&meeting).await, 1);
        // A late duplicate join of a finished session does not reopen it.
        let late = participant(
            "participant.joined",
            "j-1-late",
            "team-20260101120000-abcdef",
            "s-1",
            now,
        );
        hooks.daily(&late).await;
        assert_eq!(hooks.num_clients(&meeting).await, 1);

        // Out of order: a leave that arrives before its join.
        let early_left = participant(
            "participant.left",
            "l-3",
            "team-20260101120000-abcdef",
            "s-3",
            now,
        );
        hooks.daily(&early_left).await;
        let late_join = participant(
            "participant.joined",
            "j-3",
            "team-20260101120000-abcdef",
            "s-3",
            now,
        );
        hooks.daily(&late_join).await;
        assert_eq!(hooks.num_clients(&meeting).await, 1);

        let ended = json!({"version": "1.0.0", "type": "meeting.ended", "id": "e-1",
                           "payload": {"start_ts": now, "end_ts": now + 60.0, "meeting_id": "x", "room": "team-20260101120000-abcdef"}});
        assert_eq!(hooks.daily(&ended).await.0, StatusCode::OK);
        let stored = hooks.store.meeting_by_id(&meeting).await.unwrap().unwrap();
        assert_eq!((stored.num_clients, stored.is_active), (0, false));

        let elsewhere = participant("participant.joined", "j-9", "unknown-room", "s-9", now);
        assert_eq!(
            hooks.daily(&elsewhere).await,
            (StatusCode::OK, json!({"status": "ignored"}))
        );
    }
}

#[tokio::test]
async fn daily_recording_events_are_recorded() {
    for store in every_backend().await {
        let hooks = hooks_on(store).await;
        let meeting = hooks.meeting(Platform::Daily, "d-2", "rec-room").await;
        let now = Utc::now().timestamp();
        let started = json!({"version": "1.0.0", "type": "recording.started", "id": "rs-1",
            "payload": {"action": "start-cloud-recording", "recording_id": "rec-1", "room_name": "rec-room", "start_ts": now, "instance_id": "i"}});
        assert_eq!(hooks.daily(&started).await.0, StatusCode::OK);
        let ready = json!({"version": "1.0.0", "type": "recording.ready-to-download", "id": "rr-1",
            "payload": {"type": "raw-tracks", "recording_id": "rec-1", "room_name": "rec-room", "start_ts": now, "status": "finished",
                        "duration": 9, "s3_key": "domain/rec-room/1692124183028",
                        "tracks": [{"type": "audio", "s3Key": "domain/rec-room/a.webm", "size": 10},
                                   {"type": "video", "s3Key": "domain/rec-room/v.webm", "size": 20}]}});
        assert_eq!(hooks.daily(&ready).await.0, StatusCode::OK);
        let recording = hooks.store.recording_by_id("rec-1").await.unwrap().unwrap();
        assert_eq!(recording.meeting_id.as_deref(), Some(meeting.as_str()));
        assert_eq!(recording.object_key, "domain/rec-room/1692124183028");
        assert_eq!(
            recording.track_keys,
            Some(vec!["domain/rec-room/a.webm".to_owned()])
        );
        assert_eq!(recording.status, RecordingStatus::Pending);
        assert_eq!(
            hooks.daily(&ready).await.1,
            json!({"status": "duplicate"}),
            "stored once"
        );

        let failed = json!({"version": "1.0.0", "type": "recording.error", "id": "re-1",
            "payload": {"action": "cloud-recording-error", "error_msg": "disk full", "instance_id": "i", "room_name": "rec-room", "timestamp": now}});
        assert_eq!(hooks.daily(&failed).await.0, StatusCode::OK);
        let recording = hooks.store.recording_by_id("rec-1").await.unwrap().unwrap();
        assert_eq!(
            (recording.status, recording.error.as_deref()),
            (RecordingStatus::Failed, Some("disk full"))
        );

        // The room's owner sees them over the API.
        let owner = hooks
            .store
            .upsert_user("local:o@example.com", "o@example.com", None)
            .await
            .unwrap();
        let bearer = format!("Bearer {}", hooks.api.state.auth.tokens.issue(&owner).unwrap());
        let path = format!("/v1/meetings/{meeting}/recordings");
        let (status, listed) = hooks.api.call("GET", &path, Some(&bearer), None).await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        assert_eq!(listed[0]["id"], "rec-1");
        assert_eq!(listed[0]["status"], "failed");
        assert_eq!(listed[0]["error"], "disk full");
    }
}

#[tokio::test]
async fn daily_refuses_what_it_cannot_trust_and_ignores_what_it_does_not_know() {
    let hooks = hooks_on(sqlite_store().await).await;
    let event = participant(
        "participant.joined",
        "j-1",
        "room",
        "s-1",
        Utc::now().timestamp() as f64,
    );
    let body = event.to_string();
    let now = Utc::now().timestamp();
    let cases: Vec<(&str, Vec<(String, String)>)> = vec![
        ("no signature", vec![]),
        (
            "wrong secret",
            daily_headers(
                body.as_bytes(),
                "NQrSA5z0FkJ44QPrFerW7uCc5kdNLv3l2FDEKDanL1U=",
                now,
            ),
        ),
        ("stale", daily_headers(body.as_bytes(), DAILY_SECRET, now - 301)),
        ("future", daily_headers(body.as_bytes(), DAILY_SECRET, now + 301)),
    ];
    for (why, headers) in cases {
        let (status, answer) = hooks
            .post_raw("/v1/daily/webhook", body.as_bytes(), &headers)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {answer}");
        assert_eq!(answer["detail"], "Invalid webhook signature");
    }
    let mut tampered = body.clone().into_bytes();
    let signed = daily_headers(&tampered, DAILY_SECRET, now);
    tampered[5] ^= 1;
    assert_eq!(
        hooks.post_raw("/v1/daily/webhook", &tampered, &signed).await.0,
        StatusCode::UNAUTHORIZED
    );

    let ping = br#"{"test":"test"}"#;
    assert_eq!(
        hooks.post_raw("/v1/daily/webhook", ping, &[]).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );

    let unknown = json!({"version": "1.0.0", "type": "transcript.started", "id": "t-1", "payload": {}});
    assert_eq!(
        hooks.daily(&unknown).await,
        (StatusCode::OK, json!({"status": "ignored"}))
    );

    let malformed =
        json!({"version": "1.0.0", "type": "participant.joined", "id": "m-1", "payload": {"room": "room"}});
    let (status, answer) = hooks.daily(&malformed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer["detail"]
        .as_str()
        .unwrap()
        .starts_with("Invalid event format"));
    let not_json = b"{nope";
    let headers = daily_headers(not_json, DAILY_SECRET, now);
    assert_eq!(
        hooks.post_raw("/v1/daily/webhook", not_json, &headers).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Daily may send its own Basic credentials; they are not ours to judge.
    let mut with_basic = daily_headers(body.as_bytes(), DAILY_SECRET, now);
    with_basic.push(("authorization".into(), "Basic c2VjcmV0".into()));
    assert_eq!(
        hooks
            .post_raw("/v1/daily/webhook", body.as_bytes(), &with_basic)
            .await
            .0,
        StatusCode::OK
    );

    let unconfigured = TestApi::new(state_for(sqlite_store().await, &[]));
    let (status, _) = send(
        &unconfigured.router,
        "POST",
        "/v1/daily/webhook",
        &[],
        Some(&event),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn whereby_events_update_the_meeting() {
    for store in every_backend().await {
        let hooks = hooks_on(store).await;
        let meeting = hooks.meeting(Platform::Whereby, "12345678", "/myroom-uuid").await;
        let joined = json!({"apiVersion": "1.0", "id": "evt-1", "createdAt": "2026-01-01T12:00:00.000Z", "type": "room.client.joined",
                            "data": {"meetingId": "12345678", "roomName": "/myroom-uuid", "participantId": "p-1", "displayName": "Zoë", "numClients": 2}});
        assert_eq!(
            hooks.whereby(&joined).await,
            (StatusCode::OK, json!({"status": "ok"}))
        );
        assert_eq!(hooks.num_clients(&meeting).await, 2);
        assert_eq!(hooks.whereby(&joined).await.1, json!({"status": "duplicate"}));
        let left = json!({"apiVersion": "1.0", "id": "evt-2", "createdAt": "2026-01-01T12:05:00.000Z", "type": "room.client.left",
                          "data": {"meetingId": "12345678", "roomName": "/myroom-uuid", "participantId": "p-1", "numClients": 1}});
        hooks.whereby(&left).await;
        assert_eq!(hooks.num_clients(&meeting).await, 1);

        let finished = json!({"apiVersion": "1.0", "id": "evt-3", "createdAt": "2026-01-01T13:00:00.000Z", "type": "recording.finished",
                              "data": {"recordingId": "wr-1", "filename": "myroom-2026-01-01T12:00:00Z.mp4", "roomName": "/myroom-uuid", "status": "completed"}});
        assert_eq!(hooks.whereby(&finished).await.0, StatusCode::OK);
        let recording = hooks.store.recording_by_id("wr-1").await.unwrap().unwrap();
        assert_eq!(recording.meeting_id.as_deref(), Some(meeting.as_str()));
        assert_eq!(recording.platform, Some(Platform::Whereby));

        let other = json!({"apiVersion": "1.0", "id": "evt-4", "createdAt": "2026-01-01T13:00:00.000Z", "type": "room.session.started", "data": {}});
        assert_eq!(hooks.whereby(&other).await.1, json!({"status": "ignored"}));
    }
}

#[tokio::test]
async fn whereby_signatures_are_checked_on_the_raw_bytes() {
    let hooks = hooks_on(sqlite_store().await).await;
    hooks.meeting(Platform::Whereby, "m-1", "/r").await;
    // Non-ASCII and unusual spacing: Reflector re-serialised and failed these.
    let body = "{\"apiVersion\": \"1.0\", \"id\": \"evt-9\", \"createdAt\": \"2026-01-01T12:00:00Z\", \"type\": \"room.client.joined\", \"data\": {\"meetingId\": \"m-1\", \"displayName\": \"Zoë Ñúñez\", \"numClients\": 3}}";
    let now = Utc::now().timestamp();
    let good = whereby_headers(body.as_bytes(), WHEREBY_SECRET, now);
    assert_eq!(
        hooks.post_raw("/v1/whereby", body.as_bytes(), &good).await.0,
        StatusCode::OK
    );
    assert_eq!(hooks.num_clients("m-1").await, 3);
    for (why, headers) in [
        ("missing", vec![]),
        ("wrong secret", whereby_headers(body.as_bytes(), "other", now)),
        (
            "stale",
            whereby_headers(body.as_bytes(), WHEREBY_SECRET, now - 301),
        ),
        (
            "future",
            whereby_headers(body.as_bytes(), WHEREBY_SECRET, now + 301),
        ),
        (
            "garbage",
            vec![("whereby-signature".to_owned(), "t=abc".to_owned())],
        ),
    ] {
        let (status, answer) = hooks.post_raw("/v1/whereby", body.as_bytes(), &headers).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {answer}");
    }
    let malformed = json!({"apiVersion": "1.0", "id": "evt-10", "createdAt": "2026-01-01T12:00:00Z", "type": "room.client.joined", "data": {"numClients": 1}});
    assert_eq!(
        hooks.whereby(&malformed).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn an_impossible_participant_event_is_refused_with_422_and_changes_nothing() {
    for store in every_backend().await {
        let hooks = hooks_on(store).await;
        let meeting = hooks.meeting(Platform::Daily, "d-neg", "neg-room").await;
        let now = Utc::now().timestamp() as f64;
        hooks
            .daily(&participant("participant.joined", "nj-1", "neg-room", "s-1", now))
            .await;
        let mut backwards = participant("participant.left", "nl-1", "neg-room", "s-1", now);
        backwards["payload"]["duration"] = json!(-30.0);
        let (status, body) = hooks.daily(&backwards).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["detail"].as_str().unwrap().contains("duration"), "{body}");
        assert_eq!(hooks.num_clients(&meeting).await, 1);
        // Not remembered as applied: a corrected redelivery is applied.
        let fixed = participant("participant.left", "nl-1", "neg-room", "s-1", now);
        assert_eq!(
            hooks.daily(&fixed).await,
            (StatusCode::OK, json!({"status": "ok"}))
        );
        assert_eq!(hooks.num_clients(&meeting).await, 0);
    }
}

/// PostgreSQL cannot store a NUL; a platform's event that carries one in a
/// name is kept (the NUL dropped), not refused, on both databases.
#[tokio::test]
async fn a_platform_event_with_a_nul_in_a_name_is_kept() {
    for store in every_backend().await {
        let hooks = hooks_on(store).await;
        let meeting = hooks.meeting(Platform::Daily, "nul-1", "nul-room").await;
        let now = Utc::now().timestamp() as f64;
        let mut event = participant("participant.joined", "nul-ev", "nul-room", "s-nul", now);
        event["payload"]["user_name"] = json!("An\u{0}n");
        event["payload"]["session_id"] = json!("s\u{0}1");
        let (status, answer) = hooks.daily(&event).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(hooks.num_clients(&meeting).await, 1);
        let sessions = hooks.store.open_sessions(&meeting).await.unwrap();
        assert_eq!(sessions[0].session_id, "s1");
    }
}
