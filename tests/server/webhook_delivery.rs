//! Platform webhooks are applied exactly once whatever happens to the
//! request carrying them: a sender that hangs up, a request dropped while
//! its effect waits on the database, a server process killed mid-delivery,
//! and two processes applying joins and leaves of the same meetings.

use std::collections::BTreeMap;
use std::time::Duration;

use app::server::store::testing::{every_backend, postgres_store_with_url};
use app::server::store::{JobStatus, Store};
use app::types::Platform;
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{json, Value};

use crate::support::{post_and_hang_up, serve_on_loopback};
use crate::webhooks::{daily_headers, hooks_with, Hooks, DAILY_SECRET};

fn recording_ready(event_id: &str, recording_id: &str, room: &str) -> Value {
    json!({"version": "1.0.0", "type": "recording.ready-to-download", "id": event_id,
           "payload": {"type": "cloud", "recording_id": recording_id, "room_name": room,
                       "start_ts": Utc::now().timestamp(), "status": "finished", "duration": 60,
                       "s3_key": format!("acme/{room}/{recording_id}.mp4")}})
}

/// The processing jobs queued for `recording_id`.
async fn processing_jobs(store: &Store, recording_id: &str) -> usize {
    let needle = format!("\"recording_id\":\"{recording_id}\"");
    store
        .list_jobs(Some(JobStatus::Queued), 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|job| job.payload.contains(&needle))
        .count()
}

/// Daily retries what got no answer; every retry is acknowledged, and once
/// acknowledged the event's effects are there, exactly once.
async fn redeliver_and_check(hooks: &Hooks, events: &[(String, Value)]) {
    for (recording_id, event) in events {
        let (status, ack) = hooks.daily(event).await;
        assert_eq!(status, StatusCode::OK, "{ack}");
        assert!(
            matches!(ack["status"].as_str(), Some("ok" | "duplicate")),
            "{ack}"
        );
        let recording = hooks.store.recording_by_id(recording_id).await.unwrap();
        assert!(
            recording.is_some(),
            "{recording_id} acknowledged but never recorded"
        );
        assert_eq!(
            processing_jobs(&hooks.store, recording_id).await,
            1,
            "{recording_id}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn events_whose_sender_hung_up_are_applied_exactly_once_after_redelivery() {
    for store in every_backend().await {
        let backend = store.backend();
        let hooks = hooks_with(store, &[]).await;
        hooks.meeting(Platform::Daily, "m-hangup", "hangup-room").await;
        let address = serve_on_loopback(hooks.api.router.clone()).await;
        let events: Vec<(String, Value)> = (0..80)
            .map(|i| {
                let recording = format!("rec-hangup-{i}");
                let event = recording_ready(&format!("evt-hangup-{i}"), &recording, "hangup-room");
                (recording, event)
            })
            .collect();
        // Each sender writes its request and hangs up at once, all at the
        // same time, as a platform does whose own timeout ran out.
        let senders = events.iter().map(|(_, event)| {
            let body = event.to_string();
            let headers = daily_headers(body.as_bytes(), DAILY_SECRET, Utc::now().timestamp());
            async move { post_and_hang_up(address, "/v1/daily/webhook", &headers, body.as_bytes()).await }
        });
        futures::future::join_all(senders).await;
        redeliver_and_check(&hooks, &events).await;
        println!("{backend:?}: 80 hung-up deliveries, each applied once");
    }
}

/// On PostgreSQL a lock taken by another session holds the event's effect
/// back, so the request is cut off exactly while its effect waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delivery_cut_off_while_its_effect_waits_is_applied_by_the_redelivery() {
    let Some((store, url)) = postgres_store_with_url().await else {
        return;
    };
    let hooks = hooks_with(store, &[]).await;
    hooks.meeting(Platform::Daily, "m-cut", "cut-room").await;
    let event = recording_ready("evt-cut", "rec-cut", "cut-room");

    let blocker = sqlx::PgPool::connect(&url).await.unwrap();
    let mut holding = blocker.begin().await.unwrap();
    sqlx::query("LOCK TABLE recording IN EXCLUSIVE MODE")
        .execute(&mut *holding)
        .await
        .unwrap();
    let cut_off = tokio::time::timeout(Duration::from_millis(500), hooks.daily(&event)).await;
    assert!(cut_off.is_err(), "the effect waited on the lock");
    holding.rollback().await.unwrap();

    redeliver_and_check(&hooks, &[("rec-cut".into(), event)]).await;
}

/// Joins and leaves of the same meetings applied by two server processes at
/// once (each with its own batching writer) on one PostgreSQL database:
/// after every round, each meeting's `num_clients` is its open sessions.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_keep_participant_counts_right() {
    let Some((first_store, url)) = postgres_store_with_url().await else {
        return;
    };
    let first = hooks_with(first_store, &[]).await;
    let second = hooks_with(Store::connect(&url).await.unwrap(), &[]).await;
    let meetings = ["count-a", "count-b", "count-c"];
    let mut ids = BTreeMap::new();
    for room in meetings {
        ids.insert(
            room,
            first.meeting(Platform::Daily, &format!("m-{room}"), room).await,
        );
    }
    let now = Utc::now().timestamp() as f64;
    let event = |kind: &str, room: &str, session: usize| {
        json!({"version": "1.0.0", "type": kind, "id": format!("{kind}-{room}-{session}"),
               "event_ts": now, "payload": {"room": room, "session_id": format!("s-{session}"),
               "user_id": "", "user_name": "guest", "joined_at": now}})
    };
    let mut joined = 0;
    for round in 0..5 {
        // 200 joins per round, spread over both processes and all meetings,
        // and every third earlier session leaving meanwhile.
        let mut calls = Vec::new();
        for n in 0..200 {
            let session = joined + n;
            let room = meetings[session % meetings.len()];
            let process = if session % 2 == 0 { &first } else { &second };
            calls.push((process, event("participant.joined", room, session)));
            if session % 3 == 0 && round > 0 {
                let leaver = session - 150;
                let room = meetings[leaver % meetings.len()];
                calls.push((process, event("participant.left", room, leaver)));
            }
        }
        joined += 200;
        let answers =
            futures::future::join_all(calls.iter().map(|(process, event)| process.daily(event))).await;
        for (status, ack) in answers {
            assert_eq!(status, StatusCode::OK, "{ack}");
        }
        for (room, id) in &ids {
            let (_, open) = first.store.session_counts(id).await.unwrap();
            assert_eq!(
                first.num_clients(id).await,
                open,
                "round {round}, meeting {room}: num_clients equals the open sessions"
            );
        }
    }
}
