//! Jitsi rooms through the API (JaaS settings with a test RSA key): a
//! meeting is a room name, joining gives a URL with this caller's token,
//! and JaaS's signed webhooks bring joins, leaves, the end of the meeting
//! and its recording (fetched from the link JaaS gives). SQLite and
//! PostgreSQL.

use app::server::jobs::Runner;
use app::server::store::testing::every_backend;
use app::types::RecordingStatus;
use axum::http::StatusCode;
use base64::Engine;
use chrono::Utc;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{state_for, TestApi};

const TEST_KEY: &str = include_str!("../../app/src/server/platforms/testdata/jaas-test-key.pem");
const WEBHOOK_SECRET: &str = "jaas-endpoint-secret";
const APP_ID: &str = "vpaas-magic-cookie-0123";

fn jaas_api(store: app::server::store::Store) -> TestApi {
    TestApi::new(state_for(
        store,
        &[
            ("JAAS_APP_ID", APP_ID),
            ("JAAS_KEY_ID", "vpaas-magic-cookie-0123/4f5e6d"),
            ("JAAS_PRIVATE_KEY", TEST_KEY),
            ("JAAS_WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("JOB_RETRY_BASE_SECONDS", "0"),
        ],
    ))
}

fn signed(body: &str, secret: &str) -> String {
    let t = Utc::now().timestamp().to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    format!("t={t},v1={signature}")
}

async fn deliver(api: &TestApi, event: &Value, secret: &str) -> (StatusCode, Value) {
    let body = event.to_string();
    let (status, text) = crate::support::send_bytes(
        &api.router,
        "/v1/jaas/webhook",
        &[
            ("x-jaas-signature", &signed(&body, secret)),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
    )
    .await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn event(key: &str, kind: &str, room: &str, data: Value) -> Value {
    json!({"idempotencyKey": key, "customerId": "c-1", "appId": APP_ID, "eventType": kind,
           "sessionId": "s-1", "timestamp": Utc::now().timestamp_millis(),
           "fqn": format!("{APP_ID}/{room}"), "data": data})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jitsi_meeting_is_joined_with_a_token_and_reported_by_jaas() {
    let file = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/recordings/r-1.mp4"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 4096]))
        .mount(&file)
        .await;
    for store in every_backend().await {
        let api = jaas_api(store.clone());
        let owner = api.user("owner@example.com").await;
        let name = format!("jitsi-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let (status, room) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": name, "platform": "jitsi"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{room}");
        let (status, refused) = api
            .call(
                "PATCH",
                &format!("/v1/rooms/{}", room["id"].as_str().unwrap()),
                Some(&owner),
                Some(json!({"is_locked": true})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused["detail"].as_str().unwrap().contains("Jitsi"), "{refused}");

        let (status, meeting) = api
            .call(
                "POST",
                &format!("/v1/rooms/{name}/meeting"),
                None,
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{meeting}");
        assert_eq!(meeting["platform"], "jitsi");
        let platform_room = meeting["room_name"].as_str().unwrap().to_owned();
        assert_eq!(
            meeting["room_url"],
            format!("https://8x8.vc/{APP_ID}/{platform_room}")
        );
        let meeting_id = meeting["id"].as_str().unwrap().to_owned();
        let (status, joined) = api
            .call(
                "POST",
                &format!("/v1/rooms/{name}/meetings/{meeting_id}/join"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{joined}");
        let url = joined["room_url"].as_str().unwrap();
        let token = url.split_once("?jwt=").expect("a token on the URL").1;
        assert_eq!(token.split('.').count(), 3);

        // JaaS reports a participant coming and going, once each.
        let joined_event = event(
            &format!("k-join-{name}"),
            "PARTICIPANT_JOINED",
            &platform_room,
            json!({"name": "Ada", "participantId": "p-1", "moderator": true}),
        );
        assert_eq!(
            deliver(&api, &joined_event, WEBHOOK_SECRET).await,
            (StatusCode::OK, json!({"status": "ok"}))
        );
        assert_eq!(
            deliver(&api, &joined_event, WEBHOOK_SECRET).await.1,
            json!({"status": "duplicate"})
        );
        let live = store.meeting_by_id(&meeting_id).await.unwrap().unwrap();
        assert_eq!(live.num_clients, 1);
        assert_eq!(
            store
                .session_names(&meeting_id)
                .await
                .unwrap()
                .get("p-1")
                .map(String::as_str),
            Some("Ada")
        );
        assert_eq!(
            deliver(&api, &joined_event, "wrong-secret").await.0,
            StatusCode::UNAUTHORIZED
        );
        let left = event(
            &format!("k-left-{name}"),
            "PARTICIPANT_LEFT",
            &platform_room,
            json!({"participantId": "p-1"}),
        );
        assert_eq!(deliver(&api, &left, WEBHOOK_SECRET).await.0, StatusCode::OK);
        assert_eq!(
            store
                .meeting_by_id(&meeting_id)
                .await
                .unwrap()
                .unwrap()
                .num_clients,
            0
        );

        // The recording JaaS uploaded is fetched from its link and stored.
        let uploaded = event(
            &format!("k-rec-{name}"),
            "RECORDING_UPLOADED",
            &platform_room,
            json!({"preAuthenticatedLink": format!("{}/recordings/r-1.mp4", file.uri())}),
        );
        assert_eq!(deliver(&api, &uploaded, WEBHOOK_SECRET).await.0, StatusCode::OK);
        let (_stop, mut stopped) = tokio::sync::watch::channel(false);
        let runner = Runner::new(api.state.clone(), "jaas");
        while runner.run_next(&mut stopped).await.unwrap().is_some() {}
        let recording = store
            .recording_by_id(&format!("jaas-k-rec-{name}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(recording.status, RecordingStatus::Completed, "{recording:?}");
        assert_eq!(recording.size_bytes, Some(4096));

        let destroyed = event(
            &format!("k-end-{name}"),
            "ROOM_DESTROYED",
            &platform_room,
            json!({}),
        );
        assert_eq!(deliver(&api, &destroyed, WEBHOOK_SECRET).await.0, StatusCode::OK);
        assert!(!store.meeting_by_id(&meeting_id).await.unwrap().unwrap().is_active);

        // Not ours, or not readable.
        let elsewhere = event(
            "k-x",
            "PARTICIPANT_JOINED",
            "no-such-room",
            json!({"participantId": "p"}),
        );
        assert_eq!(
            deliver(&api, &elsewhere, WEBHOOK_SECRET).await.1,
            json!({"status": "ignored"})
        );
        let nameless = event(
            "k-y",
            "PARTICIPANT_JOINED",
            &platform_room,
            json!({"name": "Nobody"}),
        );
        assert_eq!(
            deliver(&api, &nameless, WEBHOOK_SECRET).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
