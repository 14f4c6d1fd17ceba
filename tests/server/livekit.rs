//! LiveKit rooms through the API against a fake Twirp server on loopback,
//! checked by LiveKit's own server SDK (PyPI `livekit-api`, through
//! `scripts/livekit-tokens`): our access tokens read as LiveKit reads them,
//! and webhooks signed as a LiveKit server signs them are applied once —
//! joins, leaves, the room finishing — and the egress bucket's audio
//! tracks (a real S3-compatible server) become the meeting's recording
//! with a track per participant. SQLite and PostgreSQL.

use std::process::Command;

use app::server::jobs::Runner;
use app::server::store::testing::every_backend;
use app::types::RecordingStatus;
use axum::http::StatusCode;
use base64::Engine;
use chrono::Utc;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::recording_limits::s3_endpoint;
use crate::support::{state_for, TestApi};

const KEY: &str = "APIlivekitkey";
const SECRET: &str = "livekit-api-secret-for-the-tests-0000";

fn sdk(args: &[&str]) -> String {
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/.tools/venv/bin/python");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/livekit-tokens");
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .expect("the tests' Python helpers (scripts/install-tools --test)");
    assert!(
        output.status.success(),
        "livekit-tokens {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// A webhook as a LiveKit server signs it (by LiveKit's own SDK).
fn signed_by_livekit(body: &str, secret: &str) -> String {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), body).unwrap();
    sdk(&["webhook", KEY, secret, file.path().to_str().unwrap()])
}

async fn post_webhook(api: &TestApi, body: &str, authorization: &str) -> (StatusCode, Value) {
    let (status, text) = crate::support::send_bytes(
        &api.router,
        "/v1/livekit/webhook",
        &[
            ("authorization", authorization),
            ("content-type", "application/webhook+json"),
        ],
        body.as_bytes(),
    )
    .await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn fake_twirp() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/twirp/livekit.RoomService/CreateRoom"))
        .respond_with(|request: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            ResponseTemplate::new(200).set_body_json(
                json!({"sid": format!("RM_{}", uuid::Uuid::new_v4().simple()), "name": body["name"]}),
            )
        })
        .mount(&server)
        .await;
    server
}

/// `seconds` of a tone as Ogg/Opus, as LiveKit's track egress writes audio.
async fn ogg_tone(seconds: u32) -> Vec<u8> {
    let output = tokio::process::Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"])
        .arg(format!("sine=frequency=330:duration={seconds}"))
        .args(["-c:a", "libopus", "-f", "ogg", "pipe:1"])
        .output()
        .await
        .unwrap();
    assert!(output.status.success());
    output.stdout
}

async fn put_object(endpoint: &str, bucket: &str, key: &str, bytes: Vec<u8>) {
    let put = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}/{key}"))
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{key}: {}", put.status());
}

/// Whether the bucket holds `key` (moto answers an unsigned read of a
/// private object with 403, of a missing one with 404).
async fn object_exists(endpoint: &str, bucket: &str, key: &str) -> bool {
    reqwest::get(format!("{endpoint}/{bucket}/{key}"))
        .await
        .unwrap()
        .status()
        != StatusCode::NOT_FOUND
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_livekit_meeting_from_token_to_recording() {
    let Some(endpoint) = s3_endpoint() else {
        return;
    };
    let twirp = fake_twirp().await;
    for store in every_backend().await {
        let bucket = format!("egress-{}", uuid::Uuid::new_v4().simple());
        reqwest::Client::new()
            .put(format!("{endpoint}/{bucket}"))
            .send()
            .await
            .unwrap();
        let api = TestApi::new(state_for(
            store.clone(),
            &[
                ("LIVEKIT_URL", &twirp.uri()),
                ("LIVEKIT_API_KEY", KEY),
                ("LIVEKIT_API_SECRET", SECRET),
                ("LIVEKIT_STORAGE_AWS_BUCKET_NAME", &bucket),
                ("LIVEKIT_STORAGE_AWS_ENDPOINT_URL", &endpoint),
                ("LIVEKIT_STORAGE_AWS_ACCESS_KEY_ID", "testing"),
                ("LIVEKIT_STORAGE_AWS_SECRET_ACCESS_KEY", "testing"),
                ("LIVEKIT_TRACKS_SETTLE_SECONDS", "0"),
                ("JOB_RETRY_BASE_SECONDS", "0"),
            ],
        ));
        let owner = api.user("owner@example.com").await;
        let name = format!("lk-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let (status, room) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": name, "platform": "livekit"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{room}");
        let (status, meeting) = api
            .call(
                "POST",
                &format!("/v1/rooms/{name}/meeting"),
                None,
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{meeting}");
        assert_eq!(meeting["platform"], "livekit");
        let platform_room = meeting["room_name"].as_str().unwrap().to_owned();
        let meeting_id = meeting["id"].as_str().unwrap().to_owned();

        // LiveKit's SDK reads the owner's token as an admin of this room only.
        let (_, joined) = api
            .call(
                "POST",
                &format!("/v1/rooms/{name}/meetings/{meeting_id}/join"),
                Some(&owner),
                None,
            )
            .await;
        let token = joined["room_url"]
            .as_str()
            .unwrap()
            .split_once("&token=")
            .unwrap()
            .1
            .to_owned();
        let read: Value = serde_json::from_str(&sdk(&["verify", KEY, SECRET, &token])).unwrap();
        assert!(read["identity"].as_str().unwrap().starts_with("owner-"), "{read}");
        assert_eq!(read["name"], "owner");
        assert_eq!(read["video"]["room_join"], true);
        assert_eq!(read["video"]["room"], platform_room.as_str());
        assert_eq!(read["video"]["room_admin"], true);
        let (_, as_guest) = api
            .call(
                "POST",
                &format!("/v1/rooms/{name}/meetings/{meeting_id}/join"),
                None,
                None,
            )
            .await;
        let guest_token = as_guest["room_url"]
            .as_str()
            .unwrap()
            .split_once("&token=")
            .unwrap()
            .1
            .to_owned();
        let guest: Value = serde_json::from_str(&sdk(&["verify", KEY, SECRET, &guest_token])).unwrap();
        assert_eq!(guest["video"]["room_admin"], false);

        // Joins and leaves, signed by LiveKit's SDK, applied once.
        let event = |kind: &str, id: &str, identity: &str, who: &str| {
            json!({"event": kind, "id": format!("{id}-{name}"), "createdAt": Utc::now().timestamp().to_string(),
                   "room": {"sid": "RM_x", "name": platform_room},
                   "participant": {"sid": format!("PA_{identity}"), "identity": identity, "name": who}})
            .to_string()
        };
        for (identity, who) in [("ada-1a2b3c", "Ada"), ("bob-4d5e6f", "Bob")] {
            let body = event("participant_joined", &format!("EV_j_{identity}"), identity, who);
            let signature = signed_by_livekit(&body, SECRET);
            assert_eq!(
                post_webhook(&api, &body, &signature).await,
                (StatusCode::OK, json!({"status": "ok"}))
            );
            assert_eq!(
                post_webhook(&api, &body, &signature).await.1,
                json!({"status": "duplicate"})
            );
        }
        assert_eq!(
            store
                .meeting_by_id(&meeting_id)
                .await
                .unwrap()
                .unwrap()
                .num_clients,
            2
        );
        let left = event("participant_left", "EV_l_bob", "bob-4d5e6f", "Bob");
        assert_eq!(
            post_webhook(&api, &left, &signed_by_livekit(&left, SECRET))
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            store
                .meeting_by_id(&meeting_id)
                .await
                .unwrap()
                .unwrap()
                .num_clients,
            1
        );

        // Refused: another body under the signature, another secret, no token.
        let signature = signed_by_livekit(&left, SECRET);
        let other = left.replace("bob-4d5e6f", "eve-000000");
        assert_eq!(
            post_webhook(&api, &other, &signature).await.0,
            StatusCode::UNAUTHORIZED
        );
        let wrong = signed_by_livekit(&left, "some-other-secret-some-other-secret");
        assert_eq!(
            post_webhook(&api, &left, &wrong).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(post_webhook(&api, &left, "").await.0, StatusCode::UNAUTHORIZED);
        let expired = expired_token(&left);
        assert_eq!(
            post_webhook(&api, &left, &expired).await.0,
            StatusCode::UNAUTHORIZED
        );

        // The egress wrote each participant's audio (and a video track).
        let prefix = format!("livekit/{platform_room}");
        let ada = format!("{prefix}/ada-1a2b3c-2026-12-06T100000-TR_AMa.ogg");
        let bob = format!("{prefix}/bob-4d5e6f-2026-12-06T100003-TR_AMb.ogg");
        let video = format!("{prefix}/ada-1a2b3c-2026-12-06T100000-TR_VCa.webm");
        put_object(&endpoint, &bucket, &ada, ogg_tone(5).await).await;
        put_object(&endpoint, &bucket, &bob, ogg_tone(2).await).await;
        put_object(&endpoint, &bucket, &video, b"video bytes".to_vec()).await;

        let finished = json!({"event": "room_finished", "id": format!("EV_f-{name}"),
            "createdAt": Utc::now().timestamp().to_string(), "room": {"sid": "RM_x", "name": platform_room}})
        .to_string();
        assert_eq!(
            post_webhook(&api, &finished, &signed_by_livekit(&finished, SECRET))
                .await
                .0,
            StatusCode::OK
        );
        let ended = store.meeting_by_id(&meeting_id).await.unwrap().unwrap();
        assert!(!ended.is_active);
        assert_eq!(ended.num_clients, 0);

        let (_stop, mut stopped) = tokio::sync::watch::channel(false);
        let runner = Runner::new(api.state.clone(), "livekit");
        while runner.run_next(&mut stopped).await.unwrap().is_some() {}
        let recording = store
            .recording_by_id(&format!("lk-{platform_room}"))
            .await
            .unwrap()
            .expect("the meeting's recording");
        assert_eq!(recording.status, RecordingStatus::Completed, "{recording:?}");
        assert_eq!(recording.meeting_id.as_deref(), Some(meeting_id.as_str()));
        let tracks = recording.stored_tracks.clone().unwrap();
        let mut people: Vec<(&str, f64)> = tracks
            .iter()
            .map(|t| (t.participant_session.as_deref().unwrap(), t.offset_seconds))
            .collect();
        people.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(people, [("ada-1a2b3c", 0.0), ("bob-4d5e6f", 3.0)]);
        let names = store.session_names(&meeting_id).await.unwrap();
        assert_eq!(
            names.get("bob-4d5e6f").map(String::as_str),
            Some("Bob"),
            "tracks find their speakers"
        );
        assert!(
            !object_exists(&endpoint, &bucket, &video).await,
            "video tracks are not kept"
        );
        assert!(object_exists(&endpoint, &bucket, &ada).await);
    }
}

/// A correctly signed webhook token that expired ten minutes ago.
fn expired_token(body: &str) -> String {
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes()));
    let then = Utc::now().timestamp() - 900;
    let claims = json!({"iss": KEY, "nbf": then, "exp": then + 300, "sha256": digest});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}
