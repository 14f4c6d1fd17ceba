//! Daily raw-tracks recordings: each participant's track is copied into our
//! storage and their mix becomes the recording; a recording that cannot be
//! made leaves none of its track copies behind. SQLite and PostgreSQL.

use std::time::Duration;

use app::server::jobs::Runner;
use app::server::store::testing::every_backend;
use app::server::AppState;
use app::types::{Platform, RecordingStatus};
use axum::http::StatusCode;
use serde_json::json;

use crate::support::daily_bucket::{daily_bucket, daily_bucket_settings};
use crate::transcripts::tone;
use crate::webhooks::hooks_with;

const SESSION_A: &str = "4ad503b6-8189-4910-a8f7-68cdd1b7f990";
const SESSION_B: &str = "9c1e0f1a-3b7d-4c55-9e2a-0d6f7b8a1c23";
const RECORDING_START: i64 = 1_764_541_200_000;

fn track_key(session: &str) -> String {
    format!("acme/standup/{RECORDING_START}-{session}-cam-audio-{RECORDING_START}")
}

async fn exists(state: &AppState, key: &str) -> bool {
    state.recording_storage.size(key).await.is_ok()
}

/// A raw-tracks recording of two participants whose second track is
/// `second`; answers the recording's final state and the app's state.
async fn record_two_tracks(second: Vec<u8>) -> Vec<(app::server::store::Recording, AppState)> {
    let bucket = daily_bucket(&[
        (&track_key(SESSION_A), tone(2).await),
        (&track_key(SESSION_B), second),
    ])
    .await;
    let mut env = daily_bucket_settings(&bucket);
    env.push(("JOB_RETRY_BASE_SECONDS".into(), "0".into()));
    let mut outcomes = Vec::new();
    for store in every_backend().await {
        let hooks = hooks_with(store.clone(), &env).await;
        let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
        let platform_room = format!("tracks-{tag}");
        hooks
            .meeting(Platform::Daily, &format!("m-{tag}"), &platform_room)
            .await;
        let recording_id = format!("rt-{tag}");
        let ready = json!({"version": "1.0.0", "type": "recording.ready-to-download", "id": format!("rtd-{tag}"),
            "payload": {"type": "raw-tracks", "recording_id": recording_id, "room_name": platform_room,
                        "start_ts": RECORDING_START / 1000, "status": "finished", "duration": 2,
                        "s3_key": "acme/standup",
                        "tracks": [{"type": "audio", "s3Key": track_key(SESSION_A), "size": 1},
                                   {"type": "audio", "s3Key": track_key(SESSION_B), "size": 1}]}});
        assert_eq!(hooks.daily(&ready).await.0, StatusCode::OK);
        let (_stop, mut stopped) = tokio::sync::watch::channel(false);
        let runner = Runner::new(hooks.api.state.clone(), "tracks");
        while runner.run_next(&mut stopped).await.unwrap().is_some() {}
        let recording = store.recording_by_id(&recording_id).await.unwrap().unwrap();
        outcomes.push((recording, hooks.api.state.clone()));
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_tracks_and_their_mix_are_kept() {
    for (recording, state) in record_two_tracks(tone(3).await).await {
        assert_eq!(recording.status, RecordingStatus::Completed, "{recording:?}");
        let tracks = recording.stored_tracks.clone().unwrap();
        assert_eq!(tracks.len(), 2);
        assert_eq!(tracks[1].participant_session.as_deref(), Some(SESSION_B));
        for track in &tracks {
            assert!(exists(&state, &track.storage_key).await, "{}", track.storage_key);
        }
        assert!(exists(&state, recording.storage_key.as_deref().unwrap()).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_whose_mix_fails_leaves_no_track_copies() {
    for (recording, state) in record_two_tracks(b"not audio at all".to_vec()).await {
        assert_eq!(recording.status, RecordingStatus::Failed, "{recording:?}");
        assert!(recording.stored_tracks.is_none());
        let meeting = recording.meeting_id.as_deref().unwrap();
        // The first track was copied before the mix failed; its copy goes.
        let first_copy = format!("recordings/{meeting}/{}/track-0.webm", recording.id);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while exists(&state, &first_copy).await {
            assert!(
                std::time::Instant::now() < deadline,
                "{first_copy} is still stored"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
