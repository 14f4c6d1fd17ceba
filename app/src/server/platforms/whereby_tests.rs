use std::time::Duration;

use axum::http::HeaderMap;
use chrono::{TimeZone, Utc};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::tests_support::{request_body, room, settings_for};
use super::*;
use crate::types::{RecordingTrigger, RecordingType, RoomMode};

async fn client_for(server: &MockServer, extra: &[(&str, &str)]) -> WherebyClient {
    let url = format!("{}/v1", server.uri());
    let mut vars = vec![
        ("WHEREBY_API_KEY", "whereby-key"),
        ("WHEREBY_API_URL", url.as_str()),
    ];
    vars.extend_from_slice(extra);
    WherebyClient::from_settings(&settings_for(&vars).whereby, Duration::from_secs(2)).unwrap()
}

fn created_meeting() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "meetingId": "12345678",
        "roomName": "/team-793e9ec1-c686-423d-9043-9b7a10c553fd",
        "roomUrl": "https://acme.whereby.com/team-793e9ec1-c686-423d-9043-9b7a10c553fd",
        "hostRoomUrl": "https://acme.whereby.com/team-793e9ec1-c686-423d-9043-9b7a10c553fd?roomKey=secret",
        "startDate": "2026-01-01T12:00:00.000Z",
        "endDate": "2026-01-01T20:00:00.000Z"
    }))
}

#[tokio::test]
async fn creates_meetings_with_reflectors_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/meetings"))
        .and(header("authorization", "Bearer whereby-key"))
        .respond_with(created_meeting())
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let mut room = room("team", Platform::Whereby);
    room.is_locked = true;
    room.room_mode = RoomMode::Group;
    room.recording_trigger = RecordingTrigger::Prompt;
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    let data = client
        .create_meeting(&MeetingRequest {
            room,
            start,
            end: start + chrono::Duration::hours(8),
        })
        .await
        .unwrap();
    assert_eq!(
        data,
        MeetingData {
            meeting_id: "12345678".into(),
            room_name: "/team-793e9ec1-c686-423d-9043-9b7a10c553fd".into(),
            room_url: "https://acme.whereby.com/team-793e9ec1-c686-423d-9043-9b7a10c553fd".into(),
            host_room_url:
                "https://acme.whereby.com/team-793e9ec1-c686-423d-9043-9b7a10c553fd?roomKey=secret".into(),
        }
    );
    assert_eq!(
        request_body(&server, 0).await,
        json!({
            "isLocked": true,
            "roomNamePrefix": "team-",
            "roomNamePattern": "uuid",
            "roomMode": "group",
            "endDate": "2026-01-01T20:00:00Z",
            "fields": ["hostRoomUrl"],
            "recording": {"type": "cloud", "destination": {"provider": "whereby", "fileFormat": "mp4"}, "startTrigger": "prompt"}
        })
    );
}

#[tokio::test]
async fn cloud_recordings_go_to_our_bucket_when_configured_and_local_is_sent_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/meetings"))
        .respond_with(created_meeting())
        .mount(&server)
        .await;
    let client = client_for(
        &server,
        &[
            ("AWS_WHEREBY_S3_BUCKET", "rec"),
            ("AWS_WHEREBY_ACCESS_KEY_ID", "AKIA1"),
            ("AWS_WHEREBY_ACCESS_KEY_SECRET", "s3cret"),
        ],
    )
    .await;
    let start = Utc::now();
    let cloud = room("team", Platform::Whereby);
    client
        .create_meeting(&MeetingRequest {
            room: cloud,
            start,
            end: start,
        })
        .await
        .unwrap();
    assert_eq!(
        request_body(&server, 0).await["recording"],
        json!({"type": "cloud", "startTrigger": "automatic-2nd-participant", "destination": {
            "provider": "s3", "bucket": "rec", "accessKeyId": "AKIA1", "accessKeySecret": "s3cret", "fileFormat": "mp4"}})
    );
    let mut local = room("team", Platform::Whereby);
    local.recording_type = RecordingType::Local;
    client
        .create_meeting(&MeetingRequest {
            room: local,
            start,
            end: start,
        })
        .await
        .unwrap();
    assert_eq!(
        request_body(&server, 1).await["recording"],
        json!({"type": "local", "destination": null, "startTrigger": null})
    );
}

#[tokio::test]
async fn sessions_come_from_insights_with_the_room_name_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/insights/room-sessions"))
        .and(query_param("roomName", "/team-793e"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"cursor": null, "results": [
            {"roomSessionId": "s1", "roomName": "/team-793e", "startedAt": "2026-01-01T12:00:00.000Z", "endedAt": "2026-01-01T12:30:00.000Z"},
            {"roomSessionId": "s2", "roomName": "/team-793e", "startedAt": "2026-01-01T13:00:00.000Z", "endedAt": null}
        ]})))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    let sessions = client.room_sessions("/team-793e").await.unwrap();
    assert_eq!(
        sessions
            .iter()
            .map(|s| (s.session_id.as_str(), s.is_live()))
            .collect::<Vec<_>>(),
        [("s1", false), ("s2", true)]
    );
    assert_eq!(
        sessions[0].ended_at,
        Some(Utc.with_ymd_and_hms(2026, 1, 1, 12, 30, 0).unwrap())
    );
}

#[tokio::test]
async fn logos_are_uploaded_as_multipart_images() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/rooms/team-793e/theme/logo"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, &[]).await;
    assert!(client.upload_logo("/team-793e", b"\x89PNG fake").await.unwrap());
    let request = &server.received_requests().await.unwrap()[0];
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data"), "{content_type}");
    let body = String::from_utf8_lossy(&request.body);
    assert!(
        body.contains("name=\"image\"") && body.contains("PNG fake"),
        "{body}"
    );
}

#[tokio::test]
async fn hosts_get_the_host_url_and_others_the_room_url() {
    let server = MockServer::start().await;
    let client = client_for(&server, &[]).await;
    let start = Utc::now();
    let meeting = crate::types::Meeting {
        id: "1".into(),
        room_name: "/r".into(),
        room_url: "https://w/r".into(),
        host_room_url: "https://w/r?roomKey=k".into(),
        start_date: start,
        end_date: start,
        room_id: None,
        is_locked: false,
        room_mode: RoomMode::Normal,
        recording_type: RecordingType::Cloud,
        recording_trigger: RecordingTrigger::None,
        num_clients: 0,
        is_active: true,
        calendar_event_id: None,
        calendar_metadata: None,
        platform: Platform::Whereby,
        daily_composed_video_s3_key: None,
        daily_composed_video_duration: None,
        store_video: false,
        failover_from: None,
        failover_reason: None,
    };
    let owner = JoinAs {
        user_id: Some("u".into()),
        is_owner: true,
        name: None,
        email: None,
        recording_ui: false,
    };
    let guest = JoinAs {
        user_id: None,
        is_owner: false,
        name: None,
        email: None,
        recording_ui: false,
    };
    assert_eq!(
        client.join_url(&meeting, &owner).await.unwrap(),
        "https://w/r?roomKey=k"
    );
    assert_eq!(client.join_url(&meeting, &guest).await.unwrap(), "https://w/r");
}

/// Whereby's signature check as the webhook endpoint runs it, with a secret.
struct Verifier(crate::server::secret::Secret);

impl Verifier {
    fn with(secret: &str) -> Self {
        Verifier(crate::server::secret::Secret::new(secret))
    }

    fn verify_webhook(
        &self,
        body: &[u8],
        headers: &HeaderMap,
        at: chrono::DateTime<Utc>,
    ) -> Result<(), SignatureError> {
        verify_whereby_signature(Some(&self.0), body, headers, at)
    }
}

#[test]
fn webhook_signatures_use_the_raw_body() {
    let client = Verifier::with("whereby-secret");
    let body = br#"{"apiVersion":"1.0","id":"evt-1","createdAt":"2026-01-01T12:00:00.000Z","type":"room.client.joined","data":{"meetingId":"12345678","roomName":"/myroom-uuid","numClients":2}}"#;
    let at = Utc.timestamp_opt(1767268800, 0).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        "whereby-signature",
        "t=1767268800,v1=6254b1005981d6651f10f3420f2e6389e8f14120b3bf71065ddb578bb2daa7c5"
            .parse()
            .unwrap(),
    );
    assert_eq!(client.verify_webhook(body, &headers, at), Ok(()));
    assert_eq!(
        client.verify_webhook(body, &headers, at + chrono::Duration::seconds(301)),
        Err(SignatureError::Stale)
    );
    assert_eq!(
        client.verify_webhook(body, &headers, at - chrono::Duration::seconds(301)),
        Err(SignatureError::Stale)
    );
    let spaced = br#"{"apiVersion": "1.0","id":"evt-1","createdAt":"2026-01-01T12:00:00.000Z","type":"room.client.joined","data":{"meetingId":"12345678","roomName":"/myroom-uuid","numClients":2}}"#;
    assert_eq!(
        client.verify_webhook(spaced, &headers, at),
        Err(SignatureError::Mismatch)
    );

    let second_vector = Verifier::with("my-whereby-webhook-secret");
    let docs_body = br#"{"id":"d7c4","apiVersion":"1.0","createdAt":"2021-01-21T16:29:59.681Z","type":"room.client.joined","data":{"meetingId":"134","roomName":"/af0b7b66","subdomain":"JoeBloggsInc"}}"#;
    let mut rotated = HeaderMap::new();
    rotated.insert(
        "whereby-signature",
        "t=1606227791,v1=00ff,v1=19e705f28fd91d68741e1b8f3eff8a7fa6f5bbc49c14b44cef38daad61e1ad6d"
            .parse()
            .unwrap(),
    );
    assert_eq!(
        second_vector.verify_webhook(docs_body, &rotated, Utc.timestamp_opt(1606227791, 0).unwrap()),
        Ok(())
    );

    let mut garbage = HeaderMap::new();
    garbage.insert("whereby-signature", "nonsense".parse().unwrap());
    assert_eq!(
        client.verify_webhook(body, &garbage, at),
        Err(SignatureError::Malformed("Whereby-Signature"))
    );
    assert_eq!(
        client.verify_webhook(body, &HeaderMap::new(), at),
        Err(SignatureError::MissingHeader("Whereby-Signature"))
    );
}
