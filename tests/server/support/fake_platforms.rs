//! Fake Daily and Whereby APIs on loopback for the HTTP tests: they answer
//! like the real ones, with a fresh room for every creation.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

struct NewDailyRoom {
    delay: Duration,
}

impl Respond for NewDailyRoom {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let name = body["name"].as_str().unwrap_or("room").to_owned();
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "id": uuid::Uuid::new_v4().to_string(),
                "name": name,
                "api_created": true,
                "privacy": body["privacy"],
                "url": format!("https://fake.daily.co/{name}"),
                "created_at": "2026-01-01T12:00:00.000Z",
                "config": body["properties"],
            }))
            .set_delay(self.delay)
    }
}

struct NewWherebyMeeting;

impl Respond for NewWherebyMeeting {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let name = format!(
            "{}{}",
            body["roomNamePrefix"].as_str().unwrap_or(""),
            uuid::Uuid::new_v4()
        );
        ResponseTemplate::new(201).set_body_json(json!({
            "meetingId": uuid::Uuid::new_v4().simple().to_string(),
            "roomName": format!("/{name}"),
            "roomUrl": format!("https://fake.whereby.com/{name}"),
            "hostRoomUrl": format!("https://fake.whereby.com/{name}?roomKey=host-key"),
            "startDate": "2026-01-01T12:00:00.000Z",
            "endDate": body["endDate"],
        }))
    }
}

/// A fake Daily API: rooms (after `delay`), meeting tokens, recording starts.
pub async fn fake_daily(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rooms"))
        .respond_with(NewDailyRoom { delay })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/meeting-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "fake-daily-token"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/v1/rooms/[^/]+/recordings/start$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "sent"})))
        .mount(&server)
        .await;
    server
}

pub async fn fake_whereby() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/meetings"))
        .respond_with(NewWherebyMeeting)
        .mount(&server)
        .await;
    server
}

/// Settings that point both platform clients at the fakes.
pub fn platform_env(daily: &MockServer, whereby: &MockServer) -> Vec<(String, String)> {
    vec![
        ("DAILY_API_KEY".into(), "fake-daily-key".into()),
        ("DAILY_API_URL".into(), format!("{}/v1", daily.uri())),
        ("WHEREBY_API_KEY".into(), "fake-whereby-key".into()),
        ("WHEREBY_API_URL".into(), format!("{}/v1", whereby.uri())),
        ("PLATFORM_TIMEOUT_SECONDS".into(), "2".into()),
    ]
}

pub async fn requests_to(server: &MockServer, method_name: &str, path_text: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.method.as_str() == method_name && request.url.path() == path_text)
        .count()
}
