use std::time::Duration;

use axum::http::HeaderMap;
use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::tests_support::{request_body, room, settings_for};
use super::*;
use crate::types::{Meeting, RecordingType};

async fn client_for(server: &MockServer, extra: &[(&str, &str)]) -> DailyClient {
    let url = format!("{}/v1", server.uri());
    let mut vars = vec![
        ("DAILY_API_KEY", "daily-key"),
        ("DAILY_API_URL", url.as_str()),
        ("PLATFORM_TIMEOUT_SECONDS", "1"),
    ];
    vars.extend_from_slice(extra);
    DailyClient::from_settings(&settings_for(&vars).daily, Duration::from_secs(1)).unwrap()
}

fn request(room: crate::types::Room) -> MeetingRequest {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    MeetingRequest {
        room,
        start,
        end: start + chrono::Duration::hours(8),
    }
}

fn created_room_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "5b0f2b3c-1111-2222-3333-444455556666",
        "name": "team-20260101120000-abcdef",
        "api_created": true,
        "privacy": "public",
        "url": "https://acme.daily.co/team-20260101120000-abcdef",
        "created_at": "2026-01-01T12:00:00.000Z",
        "config": {}
    }))
}

fn meeting_from(data: &MeetingData) -> Meeting {
    let room = room("team", Platform::Daily);
    let start = Utc::now();
    Meeting {
        id: data.meeting_id.clone(),
        room_name: data.room_name.clone(),
        room_url: data.room_url.clone(),
        host_room_url: data.host_room_url.clone(),
        start_date: start,
        end_date: start + chrono::Duration::hours(8),
        room_id: Some(room.id),
        is_locked: false,
        room_mode: room.room_mode,
        recording_type: room.recording_type,
        recording_trigger: room.recording_trigger,
        num_clients: 0,
        is_active: true,
        calendar_event_id: None,
        calendar_metadata: None,
        platform: Platform::Daily,
        daily_composed_video_s3_key: None,
        daily_composed_video_duration: None,
        store_video: false,
        failover_from: None,
        failover_reason: None,
    }
}

#[tokio::test]
async fn creates_a_uniquely_named_room_per_meeting() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .and(header("authorization", "Bearer daily-key"))
        .respond_with(created_room_answer())
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(
        &server,
        &[
            ("AWS_DAILY_S3_BUCKET", "recordings"),
            ("AWS_DAILY_ROLE_ARN", "arn:aws:iam::1:role/d"),
        ],
    )
    .await;
    let data = client
        .create_meeting(&request(room("team", Platform::Daily)))
        .await
        .unwrap();
    assert_eq!(data.meeting_id, "5b0f2b3c-1111-2222-3333-444455556666");
    assert_eq!(data.room_url, "https://acme.daily.co/team-20260101120000-abcdef");
    assert_eq!(data.host_room_url, data.room_url);

    let body = request_body(&server, 0).await;
    let name = body["name"].as_str().unwrap();
    assert!(
        name.starts_with("team-20260101120000-") && name.len() == "team-20260101120000-".len() + 6,
        "{name}"
    );
    assert!(name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(body["privacy"], "public");
    assert_eq!(
        body["properties"],
        json!({
            "enable_chat": true, "enable_screenshare": true, "enable_knocking": false,
            "start_video_off": false, "start_audio_off": false,
            "exp": 1767297600,
            "enable_recording": "raw-tracks",
            "recordings_bucket": {
                "bucket_name": "recordings", "bucket_region": "us-west-2",
                "assume_role_arn": "arn:aws:iam::1:role/d", "allow_api_access": true
            }
        })
    );

    client
        .create_meeting(&request(room("team", Platform::Daily)))
        .await
        .unwrap();
    let second = request_body(&server, 1).await;
    assert_ne!(
        second["name"], body["name"],
        "two meetings in the same second get different names"
    );
}

#[tokio::test]
async fn locked_rooms_are_private_with_knocking_and_local_recording_is_enabled() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(created_room_answer())
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let mut locked = room("team", Platform::Daily);
    locked.is_locked = true;
    locked.recording_type = RecordingType::Local;
    client.create_meeting(&request(locked)).await.unwrap();
    let body = request_body(&server, 0).await;
    assert_eq!(body["privacy"], "private");
    assert_eq!(body["properties"]["enable_knocking"], true);
    assert_eq!(body["properties"]["enable_recording"], "local");
    assert!(
        body["properties"].get("recordings_bucket").is_none(),
        "no bucket configured, none sent"
    );
}

#[tokio::test]
async fn each_room_says_which_recordings_it_allows() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(created_room_answer())
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let cases = [
        (RecordingType::Cloud, false, json!("raw-tracks")),
        (RecordingType::Cloud, true, json!(["raw-tracks", "cloud"])),
        (RecordingType::Local, false, json!("local")),
        (RecordingType::None, false, Value::Null),
    ];
    for (index, (kind, store_video, expected)) in cases.into_iter().enumerate() {
        let mut settings = room("team", Platform::Daily);
        settings.recording_type = kind;
        settings.store_video = store_video;
        client.create_meeting(&request(settings)).await.unwrap();
        let body = request_body(&server, index).await;
        assert_eq!(
            body["properties"]["enable_recording"], expected,
            "{kind:?}, video {store_video}"
        );
    }
}

#[tokio::test]
async fn daily_errors_become_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid-request-error", "info": "name is taken"})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let error = client
        .create_meeting(&request(room("team", Platform::Daily)))
        .await
        .unwrap_err();
    assert_eq!(
        error,
        PlatformError::Upstream {
            platform: Platform::Daily,
            status: 400,
            kind: Some("invalid-request-error".into()),
            message: "name is taken".into()
        }
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "client errors are not retried"
    );
}

#[tokio::test]
async fn server_errors_on_creation_are_not_retried_but_rate_limits_are() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let error = client
        .create_meeting(&request(room("team", Platform::Daily)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, PlatformError::Upstream { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(created_room_answer())
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    client
        .create_meeting(&request(room("team", Platform::Daily)))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn presence_reads_are_retried_on_server_errors_within_bounds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/rooms/team-x/presence"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/rooms/team-x/presence"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 1,
            "data": [{"room": "team-x", "id": "p-1", "userId": null, "userName": "Ann", "joinTime": "2026-01-01T12:00:00Z", "duration": 5}]
        })))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let sessions = client.room_sessions("team-x").await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session_id, "p-1");
    assert!(sessions[0].is_live());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    let always_down = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&always_down)
        .await;
    let client = client_for(&always_down, &[]).await;
    assert!(client.room_sessions("team-x").await.is_err());
    assert_eq!(
        always_down.received_requests().await.unwrap().len(),
        3,
        "three attempts at most"
    );
}

#[tokio::test]
async fn timeouts_and_garbage_are_reported_as_such() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(created_room_answer().set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let error = client
        .create_meeting(&request(room("team", Platform::Daily)))
        .await
        .unwrap_err();
    assert_eq!(error, PlatformError::Timeout(Platform::Daily));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops"))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let error = client
        .create_meeting(&request(room("team", Platform::Daily)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, PlatformError::BadResponse(Platform::Daily, _)),
        "{error:?}"
    );
}

#[tokio::test]
async fn signed_in_participants_get_an_expiring_meeting_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/meeting-tokens"))
        .and(header("authorization", "Bearer daily-key"))
        .and(body_partial_json(
            json!({"properties": {"room_name": "team-20260101120000-abcdef"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "tok123"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let meeting = meeting_from(&MeetingData {
        meeting_id: "m".into(),
        room_name: "team-20260101120000-abcdef".into(),
        room_url: "https://acme.daily.co/team-20260101120000-abcdef".into(),
        host_room_url: "https://acme.daily.co/team-20260101120000-abcdef".into(),
    });

    let anonymous = JoinAs {
        user_id: None,
        is_owner: false,
        name: None,
        email: None,
        recording_ui: false,
    };
    assert_eq!(
        client.join_url(&meeting, &anonymous).await.unwrap(),
        meeting.room_url
    );

    let owner = JoinAs {
        user_id: Some("u-1".into()),
        is_owner: true,
        name: None,
        email: None,
        recording_ui: true,
    };
    let url = client.join_url(&meeting, &owner).await.unwrap();
    assert_eq!(url, "https://acme.daily.co/team-20260101120000-abcdef?t=tok123");
    let body = request_body(&server, 0).await;
    assert_eq!(
        body["properties"],
        json!({
            "room_name": "team-20260101120000-abcdef", "user_id": "u-1", "is_owner": true,
            "enable_recording_ui": true, "exp": meeting.end_date.timestamp(), "eject_at_token_exp": false
        })
    );
}

#[tokio::test]
async fn recording_start_reports_an_already_running_instance() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms/team-x/recordings/start"))
        .and(body_partial_json(
            json!({"type": "raw-tracks", "instanceId": "784b3af3-c7dd-57f0-ac54-2ee91c6927cb"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "sent"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms/team-x/recordings/start"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid-request-error", "info": "instance 784b has an active stream"}),
        ))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let id = "784b3af3-c7dd-57f0-ac54-2ee91c6927cb";
    assert_eq!(
        client.start_recording("team-x", "raw-tracks", id).await.unwrap(),
        RecordingStart::Started(json!({"status": "sent"}))
    );
    assert_eq!(
        client.start_recording("team-x", "raw-tracks", id).await.unwrap(),
        RecordingStart::AlreadyActive
    );
}

fn daily_headers(signature: &str, timestamp: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-webhook-signature", signature.parse().unwrap());
    headers.insert("x-webhook-timestamp", timestamp.parse().unwrap());
    headers
}

/// Daily's signature check as the webhook endpoint runs it, with a secret.
struct Verifier(Option<crate::server::secret::Secret>);

impl Verifier {
    fn with(secret: Option<&str>) -> Self {
        Verifier(secret.map(crate::server::secret::Secret::new))
    }

    fn verify_webhook(
        &self,
        body: &[u8],
        headers: &HeaderMap,
        at: chrono::DateTime<Utc>,
    ) -> Result<(), SignatureError> {
        verify_daily_signature(self.0.as_ref(), body, headers, at)
    }
}

#[test]
fn webhook_signatures_match_the_reference_vectors() {
    let reflector_secret = "cmVmbGVjdG9yLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzISE=";
    let client = Verifier::with(Some(reflector_secret));
    let body = br#"{"version":"1.0.0","type":"participant.joined","id":"ptcpt-join-1","payload":{"room":"myroom-20260101120000","session_id":"11111111-2222-3333-4444-555555555555","user_id":"user-1","user_name":"Alice","joined_at":1767268800.5},"event_ts":1767268801.2}"#;
    let at = Utc.timestamp_opt(1767268801, 0).unwrap();
    let good = daily_headers("jDQ1auIttm4Eot0u+rTDURRHV2/PHX2AUTA+FPHysLk=", "1767268801");
    assert_eq!(client.verify_webhook(body, &good, at), Ok(()));

    let mut tampered = body.to_vec();
    tampered[10] = b'X';
    assert_eq!(
        client.verify_webhook(&tampered, &good, at),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        client.verify_webhook(body, &good, at + chrono::Duration::minutes(6)),
        Err(SignatureError::Stale)
    );
    assert_eq!(
        client.verify_webhook(body, &good, at - chrono::Duration::minutes(6)),
        Err(SignatureError::Stale)
    );
    assert_eq!(
        client.verify_webhook(body, &HeaderMap::new(), at),
        Err(SignatureError::MissingHeader("X-Webhook-Signature"))
    );

    let other = Verifier::with(Some("NQrSA5z0FkJ44QPrFerW7uCc5kdNLv3l2FDEKDanL1U="));
    assert_eq!(
        other.verify_webhook(body, &good, at),
        Err(SignatureError::Mismatch),
        "wrong secret"
    );
    let ping_at = Utc.timestamp_opt(1708526125, 0).unwrap();
    let ping = daily_headers("bFGW3DMuEdFp1tLlLCqg2nj02vs7DIF6Ob683qAskR0=", "1708526125");
    assert_eq!(
        other.verify_webhook(br#"{"test":"test"}"#, &ping, ping_at),
        Ok(())
    );

    let unsigned = Verifier::with(None);
    assert_eq!(
        unsigned.verify_webhook(body, &good, at),
        Err(SignatureError::NotConfigured("DAILY_WEBHOOK_SECRET"))
    );
}

#[test]
fn query_parameters_are_added_or_replaced() {
    assert_eq!(
        with_query_param("https://a.daily.co/r", "t", "x"),
        "https://a.daily.co/r?t=x"
    );
    assert_eq!(
        with_query_param("https://a.daily.co/r?lang=de&t=old#f", "t", "x"),
        "https://a.daily.co/r?lang=de&t=x#f"
    );
}

#[tokio::test]
async fn ensure_webhook_creates_then_updates_the_domains_hook() {
    let server = MockServer::start().await;
    let secret = "NQrSA5z0FkJ44QPrFerW7uCc5kdNLv3l2FDEKDanL1U=";
    let hook = json!({"uuid": "w-1", "url": "https://rooms.example/v1/daily/webhook", "state": "ACTIVE",
                      "eventTypes": HANDLED_EVENT_TYPES, "hmac": secret});
    Mock::given(method("GET"))
        .and(path("/v1/webhooks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/webhooks"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!([{"uuid": "w-1", "url": "https://old.example/hook", "state": "FAILED"}]),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/webhooks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(hook.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/webhooks/w-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(hook))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, &[("DAILY_WEBHOOK_SECRET", secret)]).await;

    let created = client
        .ensure_webhook("https://rooms.example/v1/daily/webhook")
        .await
        .unwrap();
    assert_eq!(created.uuid, "w-1");
    let body = request_body(&server, 1).await;
    assert_eq!(
        body,
        json!({"url": "https://rooms.example/v1/daily/webhook", "eventTypes": HANDLED_EVENT_TYPES, "hmac": secret})
    );

    client
        .ensure_webhook("https://rooms.example/v1/daily/webhook")
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.last().unwrap().url.path(),
        "/v1/webhooks/w-1",
        "the existing (failed) hook is updated"
    );

    let unsigned = client_for(&server, &[]).await;
    assert!(matches!(
        unsigned.ensure_webhook("https://x").await,
        Err(PlatformError::NotConfigured(_))
    ));
}
