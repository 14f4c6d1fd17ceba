use chrono::Utc;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde_json::json;
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::server::platforms::tests_support::{request_body, room, settings_for};
use crate::types::NewRoom;

const KEY: &str = "APIfakekey";
const SECRET: &str = "livekit-secret-livekit-secret-00";

fn client_for(server: &MockServer, extra: &[(&str, &str)]) -> LiveKitClient {
    let mut vars = vec![
        ("LIVEKIT_URL", server.uri()),
        ("LIVEKIT_API_KEY", KEY.to_owned()),
        ("LIVEKIT_API_SECRET", SECRET.to_owned()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let settings = settings_for(&vars);
    LiveKitClient::from_settings(settings.livekit.as_ref(), Duration::from_secs(1)).unwrap()
}

fn claims_of(token: &str) -> LiveKitClaims {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[KEY]);
    validation.validate_aud = false;
    decode::<LiveKitClaims>(token, &DecodingKey::from_secret(SECRET.as_bytes()), &validation)
        .expect("signed with the API secret, issued by the API key")
        .claims
}

fn bearer_of(request: &wiremock::Request) -> String {
    request.headers["authorization"]
        .to_str()
        .unwrap()
        .strip_prefix("Bearer ")
        .expect("a bearer token")
        .to_owned()
}

async fn twirp_room(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/twirp/livekit.RoomService/CreateRoom"))
        .and(header_regex("content-type", "application/json"))
        .respond_with(|request: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            ResponseTemplate::new(200).set_body_json(json!({
                "sid": "RM_abc123", "name": body["name"], "empty_timeout": body["empty_timeout"],
                "max_participants": body["max_participants"], "creation_time": "1767268800",
                "num_participants": 0, "active_recording": false
            }))
        })
        .mount(server)
        .await;
}

fn request(room: crate::types::Room) -> MeetingRequest {
    let start = Utc::now();
    MeetingRequest {
        room,
        start,
        end: start + chrono::Duration::hours(8),
    }
}

#[tokio::test]
async fn create_room_is_one_twirp_call_with_its_own_token() {
    let server = MockServer::start().await;
    twirp_room(&server).await;
    let client = client_for(&server, &[]);
    let mut settings = room("Team", Platform::LiveKit);
    settings.recording_type = RecordingType::None;
    let made = client.create_meeting(&request(settings)).await.unwrap();

    assert_eq!(made.meeting_id, "RM_abc123");
    assert!(made.room_name.starts_with("Team-") && made.room_name.len() == "Team-".len() + 12);
    let ws = server.uri().replacen("http://", "ws://", 1);
    assert_eq!(made.room_url, format!("{ws}?room={}", made.room_name));
    assert_eq!(made.host_room_url, made.room_url);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body = request_body(&server, 0).await;
    assert_eq!(body["name"], made.room_name);
    assert_eq!(body["max_participants"], 4, "a 2–4 people room");
    let timeout = body["empty_timeout"].as_i64().unwrap();
    assert!(
        (28_700..=28_800).contains(&timeout),
        "until the meeting's end: {timeout}"
    );
    assert!(body.get("egress").is_none(), "a room that does not record");
    let claims = claims_of(&bearer_of(&requests[0]));
    assert_eq!(claims.video.unwrap().room_create, Some(true));
    assert!(claims.exp <= Utc::now().timestamp() + 60);
}

#[tokio::test]
async fn a_recording_room_asks_for_every_track_into_the_egress_bucket() {
    let server = MockServer::start().await;
    twirp_room(&server).await;
    let client = client_for(
        &server,
        &[
            ("LIVEKIT_STORAGE_AWS_BUCKET_NAME", "lk-tracks"),
            ("LIVEKIT_STORAGE_AWS_ACCESS_KEY_ID", "AKID"),
            ("LIVEKIT_STORAGE_AWS_SECRET_ACCESS_KEY", "egress-secret"),
            ("LIVEKIT_STORAGE_AWS_ENDPOINT_URL", "http://s3.example:9000"),
        ],
    );
    let mut settings =
        NewRoom::with_defaults("big", "owner-1", Platform::LiveKit).into_room("r-1", Utc::now());
    settings.room_mode = RoomMode::Group;
    settings.recording_type = RecordingType::Cloud;
    let made = client.create_meeting(&request(settings)).await.unwrap();
    let body = request_body(&server, 0).await;
    assert_eq!(body["max_participants"], 200);
    assert_eq!(
        body["egress"],
        json!({"tracks": {
            "filepath": format!("livekit/{}/{{publisher_identity}}-{{time}}", made.room_name),
            "s3": {"access_key": "AKID", "secret": "egress-secret", "region": "us-east-1",
                   "endpoint": "http://s3.example:9000", "bucket": "lk-tracks", "force_path_style": true}
        }})
    );
}

#[tokio::test]
async fn access_tokens_carry_identity_name_room_and_admin_for_the_owner() {
    let server = MockServer::start().await;
    twirp_room(&server).await;
    let client = client_for(&server, &[]);
    let data = client
        .create_meeting(&request(room("team", Platform::LiveKit)))
        .await
        .unwrap();
    let start = Utc::now();
    let meeting = Meeting {
        id: data.meeting_id,
        room_name: data.room_name.clone(),
        room_url: data.room_url.clone(),
        host_room_url: data.host_room_url,
        start_date: start,
        end_date: start + chrono::Duration::hours(8),
        room_id: None,
        is_locked: false,
        room_mode: RoomMode::Normal,
        recording_type: RecordingType::Cloud,
        recording_trigger: crate::types::RecordingTrigger::AutomaticSecondParticipant,
        num_clients: 0,
        is_active: true,
        calendar_event_id: None,
        calendar_metadata: None,
        platform: Platform::LiveKit,
        daily_composed_video_s3_key: None,
        daily_composed_video_duration: None,
        store_video: false,
        failover_from: None,
        failover_reason: None,
    };
    let owner = JoinAs {
        user_id: Some("u-1".into()),
        is_owner: true,
        name: Some("José García".into()),
        email: Some("jose@example.com".into()),
        recording_ui: true,
    };
    let url = client.join_url(&meeting, &owner).await.unwrap();
    let (room_url, token) = url
        .split_once("&token=")
        .expect("Reflector's form: …?room=…&token=…");
    assert_eq!(room_url, data.room_url);
    let claims = claims_of(token);
    let identity = claims.sub.clone().unwrap();
    assert!(
        identity.starts_with("Jos__Garc_a-") && identity.len() == "Jos__Garc_a-".len() + 6,
        "{identity}"
    );
    assert_eq!(claims.name.as_deref(), Some("José García"));
    assert_eq!(claims.exp, meeting.end_date.timestamp());
    let video = claims.video.unwrap();
    assert_eq!(video.room_join, Some(true));
    assert_eq!(video.room.as_deref(), Some(data.room_name.as_str()));
    assert_eq!(video.room_admin, Some(true));
    assert_eq!((video.can_publish, video.can_subscribe), (Some(true), Some(true)));
    assert_eq!(video.room_create, None, "joining is not creating");

    let guest = JoinAs {
        user_id: None,
        is_owner: false,
        name: None,
        email: None,
        recording_ui: false,
    };
    let guest_url = client.join_url(&meeting, &guest).await.unwrap();
    let guest_claims = claims_of(guest_url.split_once("&token=").unwrap().1);
    assert!(guest_claims.sub.unwrap().starts_with("guest-"));
    assert_eq!(guest_claims.video.unwrap().room_admin, Some(false));
    assert_ne!(
        client.join_url(&meeting, &guest).await.unwrap(),
        guest_url,
        "two guests are two identities"
    );
}

#[tokio::test]
async fn participants_come_from_list_participants() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/twirp/livekit.RoomService/ListParticipants"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"participants": [
            {"sid": "PA_1", "identity": "ada-1a2b3c", "name": "Ada", "state": "ACTIVE", "joined_at": "1767268800"},
            {"sid": "PA_2", "identity": "guest-9f8e7d", "name": "", "joinedAt": 1767268900}
        ]})))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]);
    let sessions = client.room_sessions("team-0123").await.unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        sessions[0].session_id, "ada-1a2b3c",
        "a participant is their identity"
    );
    assert_eq!(sessions[0].user_name.as_deref(), Some("Ada"));
    assert_eq!(sessions[0].started_at.unwrap().timestamp(), 1_767_268_800);
    assert_eq!(sessions[1].user_name.as_deref(), Some("guest-9f8e7d"));
    assert!(sessions.iter().all(SessionData::is_live));
    assert_eq!(request_body(&server, 0).await, json!({"room": "team-0123"}));
    let requests = server.received_requests().await.unwrap();
    let video = claims_of(&bearer_of(&requests[0])).video.unwrap();
    assert_eq!(
        (video.room_admin, video.room.as_deref()),
        (Some(true), Some("team-0123"))
    );
}

#[tokio::test]
async fn twirp_errors_and_silence_become_platform_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/twirp/livekit.RoomService/CreateRoom"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "unauthenticated", "msg": "invalid token"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/twirp/livekit.RoomService/ListParticipants"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = client_for(&server, &[]);
    match client
        .create_meeting(&request(room("team", Platform::LiveKit)))
        .await
    {
        Err(PlatformError::Upstream {
            status: 401,
            kind,
            message,
            ..
        }) => {
            assert_eq!(kind.as_deref(), Some("unauthenticated"));
            assert_eq!(message, "invalid token");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.room_sessions("team").await,
        Err(PlatformError::Timeout(Platform::LiveKit))
    ));
}
