//! The real `reflector` binary, killed (SIGKILL) in the middle of work, and
//! a new process on the same database: nothing the killed one had started
//! is lost or half done.

use std::time::Duration;

use app::server::store::testing::postgres_store_with_url;
use app::server::store::JobStatus;
use app::types::{NewMeeting, NewRoom, Platform};
use chrono::Utc;
use serde_json::json;

use crate::support::ServerProcess;
use crate::webhooks::{daily_headers, DAILY_SECRET};

async fn post_signed(
    client: &reqwest::Client,
    base_url: &str,
    body: &str,
) -> reqwest::Result<reqwest::Response> {
    let mut request = client
        .post(format!("{base_url}/v1/daily/webhook"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    for (name, value) in daily_headers(body.as_bytes(), DAILY_SECRET, Utc::now().timestamp()) {
        request = request.header(name, value);
    }
    request.send().await
}

/// On PostgreSQL, another session's lock holds the event's effect back, so
/// the process dies exactly between receiving the event and applying it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_delivery_leaves_the_event_to_its_redelivery() {
    let Some((store, url)) = postgres_store_with_url().await else {
        return;
    };
    let owner = store
        .upsert_user("local:o@example.com", "o@example.com", None)
        .await
        .unwrap();
    let room = store
        .insert_room(&NewRoom::with_defaults("killed", &owner.id, Platform::Daily))
        .await
        .unwrap();
    let start = Utc::now();
    let meeting = NewMeeting {
        id: "m-killed".into(),
        room_name: "killed-room".into(),
        room_url: "https://fake/killed-room".into(),
        host_room_url: "https://fake/killed-room".into(),
        start_date: start,
        end_date: start + chrono::Duration::hours(1),
        platform: Platform::Daily,
        calendar_event_id: None,
        calendar_metadata: None,
        failover: None,
    };
    store.insert_meeting(&room, &meeting).await.unwrap();
    let settings = [
        ("DATABASE_URL", url.as_str()),
        ("DAILY_WEBHOOK_SECRET", DAILY_SECRET),
        ("RUN_WORKERS", "false"),
    ];
    let body = json!({"version": "1.0.0", "type": "recording.ready-to-download", "id": "evt-killed",
        "payload": {"type": "cloud", "recording_id": "rec-killed", "room_name": "killed-room",
                    "start_ts": start.timestamp(), "status": "finished", "duration": 60,
                    "s3_key": "acme/killed-room/1.mp4"}})
    .to_string();
    let client = reqwest::Client::new();

    let doomed = ServerProcess::start(&settings).await;
    let blocker = sqlx::PgPool::connect(&url).await.unwrap();
    let mut holding = blocker.begin().await.unwrap();
    sqlx::query("LOCK TABLE recording IN EXCLUSIVE MODE")
        .execute(&mut *holding)
        .await
        .unwrap();
    let in_flight = tokio::spawn({
        let (client, base_url, body) = (client.clone(), doomed.base_url.clone(), body.clone());
        async move { post_signed(&client, &base_url, &body).await }
    });
    let mut waiting = false;
    for _ in 0..200 {
        // Locks of this test's own database: other tests share the server.
        let blocked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_locks
             WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
            .fetch_one(&blocker)
            .await
            .unwrap();
        if blocked > 0 {
            waiting = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(waiting, "the delivery reached the database and waits on the lock");
    doomed.kill().await;
    assert!(in_flight.await.unwrap().is_err(), "the sender got no answer");
    holding.rollback().await.unwrap();

    let successor = ServerProcess::start(&settings).await;
    let answer = post_signed(&client, &successor.base_url, &body).await.unwrap();
    assert_eq!(answer.status(), 200);
    let ack: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(
        ack["status"], "ok",
        "the redelivery is applied, not taken for a duplicate"
    );
    assert!(store.recording_by_id("rec-killed").await.unwrap().is_some());
    let queued = store.list_jobs(Some(JobStatus::Queued), 100).await.unwrap();
    assert_eq!(
        queued
            .iter()
            .filter(|job| job.payload.contains("rec-killed"))
            .count(),
        1,
        "its processing is queued once"
    );
    let again = post_signed(&client, &successor.base_url, &body).await.unwrap();
    let ack: serde_json::Value = again.json().await.unwrap();
    assert_eq!(ack["status"], "duplicate");
}
