//! A real transcription, offline: espeak-ng speaks two known sentences as
//! two participants' tracks of a Daily raw-tracks recording, a real
//! OpenAI-compatible server (`scripts/whisper-server`: faster-whisper with
//! the Whisper tiny model on the CPU) runs on loopback, and the recording
//! goes through the whole pipeline (signed webhook, the tracks read from the
//! Daily bucket, storage, ffmpeg, the HTTP client, the job queue) into a
//! transcript with each participant's name on their words, which search
//! then finds.
//!
//! Needs espeak-ng, ffmpeg and the Python helpers `scripts/install-tools
//! --test` installs; without them it fails unless `SKIP_WHISPER_TESTS=1`.

use std::process::Stdio;
use std::time::Duration;

use app::server::jobs::Runner;
use app::server::store::testing::every_backend;
use app::types::{Platform, RecordingStatus, TranscriptStatus};
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::daily_bucket::{daily_bucket, daily_bucket_settings};
use crate::webhooks::hooks_with;

const FIRST: &str = "The quarterly budget is approved.";
const SECOND: &str = "We ship the new release on Friday.";

struct WhisperServer {
    _child: tokio::process::Child,
    url: String,
}

async fn start_whisper() -> Option<WhisperServer> {
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/.tools/venv/bin/python");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/whisper-server");
    let ready = std::path::Path::new(python).exists() && which("espeak-ng") && which("ffmpeg");
    if !ready {
        assert_eq!(
            std::env::var("SKIP_WHISPER_TESTS").as_deref(),
            Ok("1"),
            "the Whisper test needs espeak-ng, ffmpeg and .tools/venv (scripts/install-tools --test), \
             or SKIP_WHISPER_TESTS=1 to skip it deliberately"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new(python)
        .arg(script)
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start scripts/whisper-server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the Whisper server starts within a minute")
        .unwrap()
        .unwrap_or_default();
    assert!(line.starts_with("listening"), "{line}");
    Some(WhisperServer {
        _child: child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

fn which(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// `text` spoken by espeak-ng, as a participant's track is stored: Opus in WebM.
async fn spoken(text: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("said.wav");
    let status = tokio::process::Command::new("espeak-ng")
        .args(["-v", "en", "-w"])
        .arg(&wav)
        .arg(text)
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let output = tokio::process::Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-i"])
        .arg(&wav)
        .args(["-c:a", "libopus", "-f", "webm", "pipe:1"])
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn joined(event_id: &str, room: &str, session: &str, name: &str) -> Value {
    json!({"version": "1.0.0", "type": "participant.joined", "id": event_id, "event_ts": Utc::now().timestamp(),
           "payload": {"room": room, "session_id": session, "user_name": name,
                       "joined_at": Utc::now().timestamp()}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_participants_words_come_back_under_their_names_and_are_found() {
    let Some(whisper) = start_whisper().await else {
        return;
    };
    let (alice, bob) = (
        "4ad503b6-8189-4910-a8f7-68cdd1b7f990",
        "9c1e0f1a-3b7d-4c55-9e2a-0d6f7b8a1c23",
    );
    let recording_start: i64 = 1_764_541_200_000;
    let alice_key = format!("acme/standup/{recording_start}-{alice}-cam-audio-{recording_start}");
    // Bob's track starts 4 s into the recording, after Alice has spoken.
    let bob_key = format!(
        "acme/standup/{recording_start}-{bob}-cam-audio-{}",
        recording_start + 4000
    );
    let bucket = daily_bucket(&[
        (&alice_key, spoken(FIRST).await),
        (&bob_key, spoken(SECOND).await),
    ])
    .await;
    let mut env: Vec<(String, String)> = [
        ("TRANSCRIPTION_BACKEND", "openai"),
        ("TRANSCRIPTION_URL", whisper.url.as_str()),
        ("TRANSCRIPTION_MODEL", "tiny"),
        ("TRANSCRIPTION_LANGUAGE", "en"),
        ("JOB_RETRY_BASE_SECONDS", "0"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.extend(daily_bucket_settings(&bucket));
    for store in every_backend().await {
        let hooks = hooks_with(store.clone(), &env).await;
        let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
        let platform_room = format!("standup-{tag}");
        let meeting = hooks
            .meeting(Platform::Daily, &format!("m-{tag}"), &platform_room)
            .await;
        for (event, session, name) in [("j-a", alice, "Alice Chen"), ("j-b", bob, "Bob Diaz")] {
            let (status, _) = hooks
                .daily(&joined(&format!("{event}-{tag}"), &platform_room, session, name))
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let recording_id = format!("rt-{tag}");
        let ready = json!({"version": "1.0.0", "type": "recording.ready-to-download", "id": format!("rtd-{tag}"),
            "payload": {"type": "raw-tracks", "recording_id": recording_id, "room_name": platform_room,
                        "start_ts": recording_start / 1000, "status": "finished", "duration": 9,
                        "s3_key": "acme/standup",
                        "tracks": [{"type": "audio", "s3Key": alice_key, "size": 1},
                                   {"type": "video", "s3Key": "acme/standup/video", "size": 1},
                                   {"type": "audio", "s3Key": bob_key, "size": 1}]}});
        assert_eq!(hooks.daily(&ready).await.0, StatusCode::OK);
        let (_stop, mut stopped) = tokio::sync::watch::channel(false);
        let runner = Runner::new(hooks.api.state.clone(), "whisper");
        while runner.run_next(&mut stopped).await.unwrap().is_some() {}

        let recording = store.recording_by_id(&recording_id).await.unwrap().unwrap();
        assert_eq!(recording.status, RecordingStatus::Completed, "{recording:?}");
        assert_eq!(recording.stored_tracks.as_ref().map(Vec::len), Some(2));
        let transcript = store
            .transcript_of_recording(&recording_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(transcript.status, TranscriptStatus::Completed, "{transcript:?}");
        let owner = store
            .upsert_user("local:o@example.com", "o@example.com", None)
            .await
            .unwrap();
        let bearer = format!("Bearer {}", hooks.api.state.auth.tokens.issue(&owner).unwrap());
        let get = |path: String| {
            let (api, bearer) = (&hooks.api, bearer.clone());
            async move { api.call("GET", &path, Some(&bearer), None).await }
        };
        let (status, detail) = get(format!("/v1/transcripts/{}", transcript.id)).await;
        assert_eq!(status, StatusCode::OK);
        let segments = detail["segments"].as_array().unwrap();
        let said_by = |speaker: &str| -> Vec<String> {
            segments
                .iter()
                .filter(|s| s["speaker"] == speaker)
                .flat_map(|s| words(s["text"].as_str().unwrap()))
                .collect()
        };
        assert_eq!(said_by("Alice Chen"), words(FIRST), "{detail}");
        assert_eq!(said_by("Bob Diaz"), words(SECOND), "{detail}");
        let bobs_first = segments.iter().find(|s| s["speaker"] == "Bob Diaz").unwrap();
        assert!(bobs_first["start"].as_f64().unwrap() >= 4.0, "{bobs_first}");
        assert!(segments[0]["words"].as_array().is_some_and(|w| !w.is_empty()));
        let (_, vtt) = crate::support::send(
            &hooks.api.router,
            "GET",
            &format!("/v1/transcripts/{}/webvtt", transcript.id),
            &[("authorization", &bearer)],
            None,
        )
        .await;
        assert!(
            vtt.contains("<v Alice Chen>") && vtt.contains("<v Bob Diaz>"),
            "{vtt}"
        );

        // The mix of both tracks is the recording people download.
        let (status, recordings) = get(format!("/v1/meetings/{meeting}/recordings")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(recordings[0]["download_url"].is_string(), "{recordings}");

        for query in ["quarterly budget", "\"new release\"", "fri*"] {
            let path = format!(
                "/v1/transcripts/search?q={}",
                query.replace(' ', "%20").replace('"', "%22")
            );
            let (status, found) = get(path).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(found["total"], 1, "{query}: {found}");
            assert_eq!(found["results"][0]["id"], transcript.id);
            let snippets = found["results"][0]["search_snippets"].to_string();
            assert!(snippets.contains("<mark>"), "{query}: {snippets}");
        }
    }
}
