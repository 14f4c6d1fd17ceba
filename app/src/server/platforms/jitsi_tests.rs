use std::process::Command;

use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};

use super::*;
use crate::server::platforms::tests_support::{room, settings_for};

const TEST_KEY: &str = include_str!("testdata/jaas-test-key.pem");
const TEST_PUBLIC_KEY_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/src/server/platforms/testdata/jaas-test-key.pub.pem"
);

fn self_hosted() -> JitsiClient {
    let settings = settings_for(&[
        ("JITSI_URL", "https://meet.example.org:8443/"),
        ("JITSI_APP_ID", "reflector"),
        ("JITSI_APP_SECRET", "jitsi-app-secret"),
    ]);
    JitsiClient::from_settings(&settings.jitsi).unwrap()
}

fn jaas() -> JitsiClient {
    let settings = settings_for(&[
        ("JAAS_APP_ID", "vpaas-magic-cookie-0123"),
        ("JAAS_KEY_ID", "vpaas-magic-cookie-0123/4f5e6d"),
        ("JAAS_PRIVATE_KEY", &TEST_KEY.replace('\n', "\\n")),
    ]);
    JitsiClient::from_settings(&settings.jitsi).unwrap()
}

async fn meeting_on(client: &JitsiClient) -> Meeting {
    let start = Utc::now();
    let request = MeetingRequest {
        room: room("Team", Platform::Jitsi),
        start,
        end: start + chrono::Duration::hours(8),
    };
    let data = client.create_meeting(&request).await.unwrap();
    let room = request.room;
    Meeting {
        id: data.meeting_id,
        room_name: data.room_name,
        room_url: data.room_url,
        host_room_url: data.host_room_url,
        start_date: start,
        end_date: request.end,
        room_id: Some(room.id),
        is_locked: false,
        room_mode: room.room_mode,
        recording_type: room.recording_type,
        recording_trigger: room.recording_trigger,
        num_clients: 0,
        is_active: true,
        calendar_event_id: None,
        calendar_metadata: None,
        platform: Platform::Jitsi,
        daily_composed_video_s3_key: None,
        daily_composed_video_duration: None,
        store_video: false,
        failover_from: None,
        failover_reason: None,
    }
}

fn owner() -> JoinAs {
    JoinAs {
        user_id: Some("u-1".into()),
        is_owner: true,
        name: Some("ada".into()),
        email: Some("ada@example.com".into()),
        recording_ui: true,
    }
}

fn guest() -> JoinAs {
    JoinAs {
        user_id: None,
        is_owner: false,
        name: None,
        email: None,
        recording_ui: false,
    }
}

fn token_of(url: &str) -> &str {
    url.split_once("?jwt=").expect("the token is on the URL").1
}

fn claims_json(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn a_meeting_is_an_unguessable_room_on_the_deployment() {
    let client = self_hosted();
    let meeting = meeting_on(&client).await;
    assert!(meeting.room_name.starts_with("team-"), "{}", meeting.room_name);
    assert_eq!(meeting.room_name.len(), "team-".len() + 12);
    assert_eq!(
        meeting.room_url,
        format!("https://meet.example.org:8443/{}", meeting.room_name)
    );
    assert_ne!(meeting_on(&client).await.room_name, meeting.room_name);

    let on_jaas = meeting_on(&jaas()).await;
    assert_eq!(
        on_jaas.room_url,
        format!("https://8x8.vc/vpaas-magic-cookie-0123/{}", on_jaas.room_name)
    );
    assert!(matches!(
        client.room_sessions(&meeting.room_name).await,
        Err(PlatformError::Unsupported(Platform::Jitsi, _))
    ));
}

#[tokio::test]
async fn self_hosted_tokens_are_hs256_with_the_app_secret_claim_by_claim() {
    let client = self_hosted();
    let meeting = meeting_on(&client).await;
    let url = client.join_url(&meeting, &owner()).await.unwrap();
    assert!(url.starts_with(&format!("{}?jwt=", meeting.room_url)), "{url}");
    let token = token_of(&url);
    assert_eq!(decode_header(token).unwrap().alg, Algorithm::HS256);

    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&["jitsi"]);
    validation.set_issuer(&["reflector"]);
    let claims = decode::<JitsiClaims>(token, &DecodingKey::from_secret(b"jitsi-app-secret"), &validation)
        .expect("signed with JITSI_APP_SECRET")
        .claims;
    assert_eq!(claims.sub, "meet.example.org");
    assert_eq!(claims.room, meeting.room_name);
    assert_eq!(claims.exp, meeting.end_date.timestamp());
    assert!(claims.nbf <= Utc::now().timestamp());
    assert!(claims.moderator);
    assert_eq!(claims.context.user.id.as_deref(), Some("u-1"));
    assert_eq!(claims.context.user.name.as_deref(), Some("ada"));
    assert_eq!(claims.context.user.email.as_deref(), Some("ada@example.com"));
    assert_eq!(claims.context.user.moderator, "true");
    assert_eq!(claims.context.user.affiliation, "owner");
    assert!(claims.context.features.is_none());
    assert!(decode::<JitsiClaims>(token, &DecodingKey::from_secret(b"another-secret"), &validation).is_err());

    // A guest: no nulls in the user context (Jitsi refuses them), no moderation.
    let guest_token = client.join_url(&meeting, &guest()).await.unwrap();
    let raw = claims_json(token_of(&guest_token));
    assert_eq!(raw["moderator"], false);
    assert_eq!(
        raw["context"]["user"],
        serde_json::json!({"moderator": "false", "affiliation": "member"})
    );
}

#[tokio::test]
async fn jaas_tokens_are_rs256_with_the_key_id_and_verify_with_openssl() {
    let client = jaas();
    let meeting = meeting_on(&client).await;
    let token = client.join_url(&meeting, &owner()).await.unwrap();
    let token = token_of(&token).to_owned();
    let header = decode_header(&token).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(header.kid.as_deref(), Some("vpaas-magic-cookie-0123/4f5e6d"));
    let raw = claims_json(&token);
    assert_eq!(raw["iss"], "chat");
    assert_eq!(raw["aud"], "jitsi");
    assert_eq!(raw["sub"], "vpaas-magic-cookie-0123");
    assert_eq!(raw["room"], meeting.room_name);
    assert_eq!(raw["exp"], meeting.end_date.timestamp());
    assert_eq!(raw["context"]["user"]["moderator"], "true");
    assert_eq!(
        raw["context"]["features"],
        serde_json::json!({"recording": "true", "livestreaming": "false",
                           "transcription": "false", "outbound-call": "false"})
    );

    // An independent implementation checks the signature: OpenSSL, with
    // the public half of the key.
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (message, signature_file) = (dir.path().join("message"), dir.path().join("signature"));
    std::fs::write(&message, signed).unwrap();
    std::fs::write(
        &signature_file,
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .unwrap(),
    )
    .unwrap();
    let verify = |message: &std::path::Path| {
        Command::new("openssl")
            .args(["dgst", "-sha256", "-verify", TEST_PUBLIC_KEY_PATH, "-signature"])
            .arg(&signature_file)
            .arg(message)
            .output()
            .expect("openssl is installed")
            .status
            .success()
    };
    assert!(verify(&message), "OpenSSL accepts the RS256 signature");
    std::fs::write(&message, format!("{signed}x")).unwrap();
    assert!(!verify(&message), "and refuses it over other bytes");

    let guest = client.join_url(&meeting, &guest()).await.unwrap();
    assert_eq!(
        claims_json(token_of(&guest))["context"]["features"]["recording"],
        "false"
    );
}

#[test]
fn settings_name_what_is_missing() {
    let problems = |vars: &[(&str, &str)]| {
        let mut map: std::collections::HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        map.insert("DATA_DIR".into(), std::env::temp_dir().display().to_string());
        crate::server::settings::Settings::from_lookup(&move |name| map.get(name).cloned())
            .err()
            .map(|error| error.problems.join("\n"))
            .unwrap_or_default()
    };
    assert!(problems(&[("JITSI_URL", "https://meet.example.org")]).contains("JITSI_APP_SECRET"));
    assert!(problems(&[("JAAS_APP_ID", "vpaas-magic-cookie-1")]).contains("JAAS_PRIVATE_KEY"));
    assert!(problems(&[("JITSI_URL", "https://m.example"), ("JAAS_APP_ID", "x")]).contains("not both"));
    let settings = settings_for(&[
        ("JAAS_APP_ID", "a"),
        ("JAAS_KEY_ID", "a/b"),
        ("JAAS_PRIVATE_KEY", "not a key"),
    ]);
    assert!(matches!(
        JitsiClient::from_settings(&settings.jitsi),
        Err(PlatformError::NotConfigured(message)) if message.contains("JAAS_PRIVATE_KEY")
    ));
}

/// A vector computed independently (Python's hmac over the documented
/// `t.body`), then any change refused.
#[test]
fn jaas_webhook_signatures_match_an_independent_vector() {
    let body = br#"{"idempotencyKey":"k-1","eventType":"PARTICIPANT_JOINED","fqn":"vpaas-magic-cookie-0123/team-0123456789ab","timestamp":1767268800000,"data":{"name":"Ada","participantId":"p-1"}}"#;
    let secret = crate::server::secret::Secret::new("jaas-endpoint-secret");
    let at = chrono::DateTime::from_timestamp(1_767_268_830, 0).unwrap();
    let headers = |value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert("X-Jaas-Signature", value.parse().unwrap());
        headers
    };
    let good = "t=1767268800,v1=ckZx3+iXSceshH9/y7SCdLesf7N/ZE9nCJol0zpVv/0=";
    assert_eq!(
        verify_jaas_signature(Some(&secret), body, &headers(good), at),
        Ok(())
    );
    let rotated = "t=1767268800,v1=AAAA,v1=ckZx3+iXSceshH9/y7SCdLesf7N/ZE9nCJol0zpVv/0=";
    assert_eq!(
        verify_jaas_signature(Some(&secret), body, &headers(rotated), at),
        Ok(())
    );
    let mut tampered = body.to_vec();
    tampered[60] ^= 1;
    assert_eq!(
        verify_jaas_signature(Some(&secret), &tampered, &headers(good), at),
        Err(SignatureError::Mismatch)
    );
    let other = crate::server::secret::Secret::new("another");
    assert_eq!(
        verify_jaas_signature(Some(&other), body, &headers(good), at),
        Err(SignatureError::Mismatch)
    );
    let later = chrono::DateTime::from_timestamp(1_767_268_800 + 600, 0).unwrap();
    assert_eq!(
        verify_jaas_signature(Some(&secret), body, &headers(good), later),
        Err(SignatureError::Stale)
    );
    assert_eq!(
        verify_jaas_signature(Some(&secret), body, &headers("t=1767268800,v0=abc"), at),
        Err(SignatureError::Malformed("X-Jaas-Signature"))
    );
    assert_eq!(
        verify_jaas_signature(Some(&secret), body, &HeaderMap::new(), at),
        Err(SignatureError::MissingHeader("X-Jaas-Signature"))
    );
    assert_eq!(
        verify_jaas_signature(None, body, &headers(good), at),
        Err(SignatureError::NotConfigured("JAAS_WEBHOOK_SECRET"))
    );
}
