//! What was deleted is gone (a deleted room's recordings leave storage),
//! and history past its retention is pruned by the periodic job.

use app::server::jobs::{Job, Outcome, Runner};
use app::server::services::retention;
use app::server::store::testing::every_backend;
use app::server::store::{AnnouncedRecording, Delivery, DeliveryEffect, JobStatus, SessionEvent};
use app::types::Platform;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use futures::StreamExt;
use serde_json::json;
use tokio::sync::watch;

use crate::support::{state_for, TestApi};

#[tokio::test]
async fn deleting_a_room_says_how_many_recordings_go_and_removes_them_from_storage() {
    for store in every_backend().await {
        let api = TestApi::new(state_for(store.clone(), &[("ENABLE_MOCK_PLATFORM", "true")]));
        let owner = api.user("owner@example.com").await;
        let (_, room) = api
            .call(
                "POST",
                "/v1/rooms",
                Some(&owner),
                Some(json!({"name": "doomed", "platform": "mock"})),
            )
            .await;
        let (_, meeting) = api
            .call("POST", "/v1/rooms/doomed/meeting", None, Some(json!({})))
            .await;
        let meeting_id = meeting["id"].as_str().unwrap();
        let storage = &api.state.recording_storage;
        for id in ["rec-a", "rec-b"] {
            store
                .upsert_recording(&AnnouncedRecording {
                    id,
                    meeting_id: Some(meeting_id),
                    platform: Platform::Mock,
                    bucket_name: "b",
                    object_key: "k.mp4",
                    recorded_at: Utc::now(),
                    track_keys: None,
                })
                .await
                .unwrap();
            let bytes =
                futures::stream::iter([Ok(axum::body::Bytes::from_static(b"recorded audio"))]).boxed();
            let copy = storage
                .copy_in(&format!("recordings/{id}.mp4"), bytes, 1 << 20)
                .await
                .unwrap();
            assert!(store.complete_recording(id, &copy).await.unwrap());
        }
        let overview = app::server::services::rooms::overview(
            &api.state,
            &app::server::auth::authenticate(&api.state, &request_parts(&owner))
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(overview[0].recordings, 2, "the rooms list knows before deleting");

        let id = room["id"].as_str().unwrap();
        let (status, answer) = api
            .call("DELETE", &format!("/v1/rooms/{id}"), Some(&owner), None)
            .await;
        assert_eq!(
            (status, answer),
            (StatusCode::OK, json!({"status": "ok", "recordings_deleted": 2}))
        );
        let purge = store.list_jobs(Some(JobStatus::Queued), 10).await.unwrap();
        assert!(purge
            .iter()
            .any(|job| job.kind == Job::PurgeDeletedRecordings.kind()));
        let (_stop, mut stopped) = watch::channel(false);
        let (_, outcome) = Runner::new(api.state.clone(), "purger")
            .run_next(&mut stopped)
            .await
            .unwrap()
            .expect("the purge was queued");
        assert_eq!(outcome, Outcome::Completed);
        for id in ["rec-a", "rec-b"] {
            assert!(
                storage.read(&format!("recordings/{id}.mp4")).await.is_err(),
                "{id} left storage"
            );
            assert!(
                store.recording_by_id(id).await.unwrap().is_none(),
                "{id} forgotten"
            );
        }
    }
}

fn request_parts(authorization: &str) -> axum::http::request::Parts {
    let (parts, ()) = axum::http::Request::get("/")
        .header("authorization", authorization)
        .body(())
        .unwrap()
        .into_parts();
    parts
}

#[tokio::test]
async fn history_past_its_retention_is_pruned_and_nothing_younger() {
    for store in every_backend().await {
        let api = TestApi::new(state_for(
            store.clone(),
            &[
                ("ENABLE_MOCK_PLATFORM", "true"),
                ("WEBHOOK_EVENT_RETENTION_DAYS", "7"),
                ("JOB_RETENTION_DAYS", "14"),
                ("SESSION_RETENTION_DAYS", "30"),
                ("ROOM_WEBHOOK_LOG_RETENTION_DAYS", "30"),
            ],
        ));
        let owner = api.user("owner@example.com").await;
        api.call(
            "POST",
            "/v1/rooms",
            Some(&owner),
            // A receiver on this machine: refused, so its events fail at once.
            Some(json!({"name": "old", "platform": "mock", "webhook_url": "http://127.0.0.1:9/hook"})),
        )
        .await;
        let (_, meeting) = api
            .call("POST", "/v1/rooms/old/meeting", None, Some(json!({})))
            .await;
        let meeting = store
            .meeting_by_id(meeting["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        let delivery = Delivery {
            source: "daily",
            event_id: "evt-old",
            event_type: "meeting.started",
        };
        assert!(store
            .apply_delivery(&delivery, &DeliveryEffect::Nothing)
            .await
            .unwrap());
        let now = Utc::now();
        store
            .record_session(
                &meeting,
                &SessionEvent {
                    session_id: "gone",
                    user_id: None,
                    user_name: Some("Ann"),
                    joined_at: now - Duration::minutes(5),
                    left_at: Some(now),
                },
            )
            .await
            .unwrap();
        app::server::jobs::enqueue(&api.state, &Job::CloseInactiveMeetings)
            .await
            .unwrap();
        let (_stop, mut stopped) = watch::channel(false);
        Runner::new(api.state.clone(), "w")
            .run_next(&mut stopped)
            .await
            .unwrap();

        let room_id = meeting.room_id.clone().unwrap();
        let given_up = app::server::services::room_webhooks::deliver::deliver_room(&api.state, &room_id)
            .await
            .unwrap();
        assert_eq!(
            given_up, 4,
            "meeting started and ended, participant joined and left"
        );

        let young = retention::prune(&api.state, now + Duration::days(6))
            .await
            .unwrap();
        assert_eq!(young, Default::default(), "nothing is old enough yet");
        let pruned = retention::prune(&api.state, now + Duration::days(31))
            .await
            .unwrap();
        assert_eq!(
            (
                pruned.webhook_events,
                pruned.finished_jobs,
                pruned.sessions,
                pruned.room_webhook_deliveries
            ),
            (1, 1, 1, 4)
        );
        assert!(
            store
                .apply_delivery(&delivery, &DeliveryEffect::Nothing)
                .await
                .unwrap(),
            "a pruned delivery id is unknown again"
        );
    }
}
