//! Property-based fuzzing of the platform webhook endpoints' parsing (Daily,
//! Whereby, LiveKit, JaaS): any
//! body, signed or not, any headers, and any single-field mutation of a
//! real event is answered with an acknowledgement or a 4xx (never a panic,
//! never a 500); any change to a signed body is refused.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::Mac;
use proptest::prelude::*;
use serde_json::{json, Value};

use super::{ingest_daily, ingest_jaas, ingest_livekit, ingest_whereby, Ack};
use crate::server::platforms::signature::mac_over;
use crate::server::settings::Settings;
use crate::server::store::testing::sqlite_store;
use crate::server::store::Store;
use crate::server::{AppError, AppState};
use crate::types::{NewMeeting, NewRoom, Platform};

const DAILY_SECRET: &str = "cmVmbGVjdG9yLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzISE=";
const WHEREBY_SECRET: &str = "whereby-secret";
const JAAS_SECRET: &str = "jaas-secret";
const LIVEKIT_KEY: &str = "APIfuzz";
const LIVEKIT_SECRET: &str = "livekit-fuzz-secret-livekit-fuzz-secret";
const JAAS_KEY: &str = include_str!("../../platforms/testdata/jaas-test-key.pem");

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn state(runtime: &tokio::runtime::Runtime) -> AppState {
    let dir = std::env::temp_dir().join(format!("reflector-fuzz-{}", uuid::Uuid::new_v4().simple()));
    let vars: HashMap<&str, String> = HashMap::from([
        ("DATA_DIR", dir.display().to_string()),
        (
            "SECRET_KEY",
            "fuzz-secret-key-that-is-long-enough-0000".to_owned(),
        ),
        ("DAILY_WEBHOOK_SECRET", DAILY_SECRET.to_owned()),
        ("WHEREBY_WEBHOOK_SECRET", WHEREBY_SECRET.to_owned()),
        ("JAAS_APP_ID", "vpaas-magic-cookie-f".to_owned()),
        ("JAAS_KEY_ID", "vpaas-magic-cookie-f/k".to_owned()),
        ("JAAS_PRIVATE_KEY", JAAS_KEY.to_owned()),
        ("JAAS_WEBHOOK_SECRET", JAAS_SECRET.to_owned()),
        ("LIVEKIT_URL", "http://127.0.0.1:9".to_owned()),
        ("LIVEKIT_API_KEY", LIVEKIT_KEY.to_owned()),
        ("LIVEKIT_API_SECRET", LIVEKIT_SECRET.to_owned()),
        ("LIVEKIT_STORAGE_AWS_BUCKET_NAME", "lk".to_owned()),
        ("LIVEKIT_STORAGE_AWS_ACCESS_KEY_ID", "k".to_owned()),
        ("LIVEKIT_STORAGE_AWS_SECRET_ACCESS_KEY", "s".to_owned()),
    ]);
    let settings = Settings::from_lookup(&|name| vars.get(name).cloned()).unwrap();
    let store = runtime.block_on(sqlite_store());
    runtime.block_on(meetings_to_hit(&store));
    AppState::new(store, settings).unwrap()
}

/// A Daily, a Whereby and a Jitsi meeting the events name, so that they get applied.
async fn meetings_to_hit(store: &Store) {
    let owner = store
        .upsert_user("local:o@example.com", "o@example.com", None)
        .await
        .unwrap();
    for (platform, id, platform_room) in [
        (Platform::Daily, "d-1", "fuzz-room"),
        (Platform::Whereby, "m-1", "/fuzz-room"),
        (Platform::Jitsi, "j-1", "fuzz-room-j"),
        (Platform::LiveKit, "lk-1", "fuzz-room-lk"),
    ] {
        let room = store
            .insert_room(&NewRoom::with_defaults(format!("fuzz-{id}"), &owner.id, platform))
            .await
            .unwrap();
        let start = chrono::Utc::now();
        let meeting = NewMeeting {
            id: id.into(),
            room_name: platform_room.into(),
            room_url: "https://fake/".into(),
            host_room_url: "https://fake/".into(),
            start_date: start,
            end_date: start + chrono::Duration::hours(1),
            platform,
            calendar_event_id: None,
            calendar_metadata: None,
            failover: None,
        };
        store.insert_meeting(&room, &meeting).await.unwrap();
    }
}

fn daily_headers(body: &[u8], timestamp: &str) -> HeaderMap {
    let key = STANDARD.decode(DAILY_SECRET).unwrap();
    let signature = STANDARD.encode(mac_over(&key, timestamp, body).finalize().into_bytes());
    let mut headers = HeaderMap::new();
    headers.insert("x-webhook-signature", HeaderValue::from_str(&signature).unwrap());
    headers.insert("x-webhook-timestamp", HeaderValue::from_str(timestamp).unwrap());
    headers
}

fn whereby_headers(body: &[u8], timestamp: &str) -> HeaderMap {
    let mac = mac_over(WHEREBY_SECRET.as_bytes(), timestamp, body);
    let value = format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()));
    let mut headers = HeaderMap::new();
    headers.insert("whereby-signature", HeaderValue::from_str(&value).unwrap());
    headers
}

fn jaas_headers(body: &[u8], timestamp: &str) -> HeaderMap {
    let mac = mac_over(JAAS_SECRET.as_bytes(), timestamp, body);
    let value = format!(
        "t={timestamp},v1={}",
        STANDARD.encode(mac.finalize().into_bytes())
    );
    let mut headers = HeaderMap::new();
    headers.insert("x-jaas-signature", HeaderValue::from_str(&value).unwrap());
    headers
}

fn livekit_headers(body: &[u8], _timestamp: &str) -> HeaderMap {
    use sha2::Digest;
    let now = chrono::Utc::now().timestamp();
    let claims = crate::server::platforms::LiveKitClaims {
        iss: LIVEKIT_KEY.into(),
        nbf: now,
        exp: now + 300,
        sha256: Some(STANDARD.encode(sha2::Sha256::digest(body))),
        ..Default::default()
    };
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(LIVEKIT_SECRET.as_bytes()),
    )
    .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("authorization", HeaderValue::from_str(&token).unwrap());
    headers
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Daily,
    Whereby,
    LiveKit,
    Jaas,
}

/// Every real event of every endpoint, with the endpoint it goes to.
fn all_events() -> Vec<(Source, Value)> {
    let daily = daily_events().into_iter().map(|e| (Source::Daily, e));
    let whereby = whereby_events().into_iter().map(|e| (Source::Whereby, e));
    let livekit = livekit_events().into_iter().map(|e| (Source::LiveKit, e));
    let jaas = jaas_events().into_iter().map(|e| (Source::Jaas, e));
    daily.chain(whereby).chain(livekit).chain(jaas).collect()
}

fn signed_headers(source: Source, body: &[u8], timestamp: &str) -> HeaderMap {
    match source {
        Source::Daily => daily_headers(body, timestamp),
        Source::Whereby => whereby_headers(body, timestamp),
        Source::LiveKit => livekit_headers(body, timestamp),
        Source::Jaas => jaas_headers(body, timestamp),
    }
}

fn ingest(
    runtime: &tokio::runtime::Runtime,
    state: &AppState,
    source: Source,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Ack, AppError> {
    runtime.block_on(async {
        match source {
            Source::Daily => ingest_daily(state, headers, body).await,
            Source::Whereby => ingest_whereby(state, headers, body).await,
            Source::LiveKit => ingest_livekit(state, headers, body).await,
            Source::Jaas => ingest_jaas(state, headers, body).await,
        }
    })
}

fn now() -> String {
    chrono::Utc::now().timestamp().to_string()
}

/// A refusal the caller caused, or a sign we could not take it now: never
/// our own failure.
fn acceptable(outcome: &Result<Ack, AppError>) -> bool {
    match outcome {
        Ok(_) => true,
        Err(error) => error.status().is_client_error(),
    }
}

/// Real events of every type each endpoint handles.
fn daily_events() -> Vec<Value> {
    let payload = json!({"room": "fuzz-room", "room_name": "fuzz-room", "session_id": "s-1",
        "user_id": "u-1", "user_name": "Ann", "joined_at": 1_800_000_000, "duration": 30,
        "recording_id": "r-1", "start_ts": 1_800_000_000, "s3_key": "a/b.mp4", "type": "cloud",
        "status": "finished", "tracks": [{"type": "audio", "s3Key": "a/t.webm", "size": 10}],
        "error_msg": "boom", "end_ts": 1_800_000_100});
    [
        "participant.joined",
        "participant.left",
        "meeting.started",
        "meeting.ended",
        "recording.started",
        "recording.ready-to-download",
        "recording.error",
    ]
    .iter()
    .map(|kind| json!({"version": "1.0.0", "type": kind, "id": format!("evt-{kind}"), "event_ts": 1_800_000_000, "payload": payload}))
    .collect()
}

fn whereby_events() -> Vec<Value> {
    let data = json!({"meetingId": "m-1", "participantId": "p-1", "displayName": "Ann", "externalId": "u-1",
        "numClients": 2, "recordingId": "r-1", "filename": "a.mp4", "roomName": "/fuzz-room"});
    ["room.client.joined", "room.client.left", "recording.finished"]
        .iter()
        .map(|kind| json!({"apiVersion": "1.0", "id": format!("w-{kind}"), "type": kind, "createdAt": "2026-11-30T12:00:00.000Z", "data": data}))
        .collect()
}

fn livekit_events() -> Vec<Value> {
    let room = json!({"sid": "RM_1", "name": "fuzz-room-lk"});
    let participant =
        json!({"sid": "PA_1", "identity": "ann-1a2b3c", "name": "Ann", "joinedAt": "1800000000"});
    let egress = json!({"egressId": "EG_1", "roomName": "fuzz-room-lk", "status": "EGRESS_COMPLETE",
        "fileResults": [{"filename": "livekit/fuzz-room-lk/ann-1a2b3c-2027-01-15T080000-TR_a.ogg"}]});
    [
        "participant_joined",
        "participant_left",
        "room_finished",
        "egress_ended",
        "track_published",
    ]
    .iter()
    .map(|kind| {
        json!({"event": kind, "id": format!("EV_{kind}"), "createdAt": "1800000000",
            "room": room, "participant": participant, "egressInfo": egress})
    })
    .collect()
}

fn jaas_events() -> Vec<Value> {
    let data = json!({"name": "Ann", "participantId": "p-1", "participantJid": "p@x", "id": "i-1",
        "moderator": true, "preAuthenticatedLink": "https://files.example/r.mp4"});
    [
        "PARTICIPANT_JOINED",
        "PARTICIPANT_LEFT",
        "ROOM_DESTROYED",
        "RECORDING_UPLOADED",
    ]
    .iter()
    .map(|kind| {
        json!({"idempotencyKey": format!("k-{kind}"), "customerId": "c", "appId": "vpaas-magic-cookie-f",
            "eventType": kind, "sessionId": "s-1", "timestamp": 1_800_000_000_000i64,
            "fqn": "vpaas-magic-cookie-f/fuzz-room-j", "data": data})
    })
    .collect()
}

/// Values that break assumptions: extremes, wrong types, odd text.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(u64::MAX)),
        ".{0,40}".prop_map(Value::String),
        Just(json!([])),
        Just(json!({})),
        Just(json!([1, "two", null])),
    ]
}

/// One field of an event, at the top or in its payload, set to `value`.
fn mutated(mut event: Value, field_index: usize, nested: bool, value: Value) -> Value {
    let target = if nested {
        let key = if event.get("payload").is_some() {
            "payload"
        } else {
            "data"
        };
        &mut event[key]
    } else {
        &mut event
    };
    if let Some(object) = target.as_object_mut() {
        let keys: Vec<String> = object.keys().cloned().collect();
        let key = keys[field_index % keys.len()].clone();
        object.insert(key, value);
    }
    event
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::server::fuzz_cases(96), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_with_any_headers_are_refused_or_acknowledged(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        signature in ".{0,80}",
        timestamp in ".{0,20}",
    ) {
        let runtime = runtime();
        let state = state(&runtime);
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&signature) {
            headers.insert("x-webhook-signature", value.clone());
            headers.insert("whereby-signature", value.clone());
            headers.insert("x-jaas-signature", value.clone());
            headers.insert("authorization", value);
        }
        if let Ok(value) = HeaderValue::from_str(&timestamp) {
            headers.insert("x-webhook-timestamp", value);
        }
        for source in [Source::Daily, Source::Whereby, Source::LiveKit, Source::Jaas] {
            let outcome = ingest(&runtime, &state, source, &headers, &body);
            prop_assert!(acceptable(&outcome), "{source:?}: {outcome:?}");
        }
    }

    #[test]
    fn correctly_signed_mutated_events_are_refused_or_acknowledged(
        which in any::<prop::sample::Index>(),
        field in 0usize..32,
        nested in any::<bool>(),
        value in odd_value(),
    ) {
        let runtime = runtime();
        let state = state(&runtime);
        let timestamp = now();
        let events = all_events();
        let (source, event) = events[which.index(events.len())].clone();
        let body = mutated(event, field, nested, value).to_string();
        let outcome = ingest(&runtime, &state, source, &signed_headers(source, body.as_bytes(), &timestamp), body.as_bytes());
        prop_assert!(acceptable(&outcome), "{source:?}: {outcome:?}");
    }

    #[test]
    fn any_change_to_a_signed_body_is_refused(
        which in any::<prop::sample::Index>(),
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let runtime = runtime();
        let state = state(&runtime);
        let timestamp = now();
        let events = all_events();
        let (source, event) = events[which.index(events.len())].clone();
        let original = event.to_string().into_bytes();
        let mut tampered = original.clone();
        for (index, byte) in changes {
            let at = index.index(tampered.len());
            tampered[at] = byte;
        }
        prop_assume!(tampered != original);
        let outcome = ingest(&runtime, &state, source, &signed_headers(source, &original, &timestamp), &tampered);
        match outcome {
            Err(AppError::Unauthorized(_)) => {}
            // Daily's unsigned creation probe, which changes nothing, is the one exception.
            Ok(Ack::Ok) if source == Source::Daily && serde_json::from_slice::<Value>(&tampered).is_ok_and(|v| v.get("test").is_some()) => {}
            other => prop_assert!(false, "{source:?}: a tampered body got {other:?}"),
        }
    }
}
