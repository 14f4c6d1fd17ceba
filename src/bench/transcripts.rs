//! The transcript lines of `reflector bench`:
//! - what our pipeline (storage, ffmpeg, the job queue, the database) adds
//!   to a transcription, against sending the same audio to the same service
//!   directly: `--transcription-url` (scripts/bench starts the local Whisper
//!   server when it is installed), else a service on loopback that answers
//!   at once, so the line shows our overhead alone;
//! - search latency over 10,000 transcripts, over HTTP.

use std::time::{Duration, Instant};

use app::server::jobs::{Job, Runner};
use app::server::store::{AnnouncedRecording, Transcribed};
use app::server::AppState;
use app::types::{NewMeeting, NewRoom, Platform, Room, Segment, TranscriptStatus, Word};
use chrono::Utc;
use futures_util::StreamExt;
use reqwest::Method;

use super::{measure, Body, Scenario};

const SEARCHED_TRANSCRIPTS: usize = 10_000;
const SEGMENTS_PER_TRANSCRIPT: usize = 12;
const WORDS_PER_SEGMENT: usize = 14;
const OVERHEAD_RUNS: usize = 3;
const SEARCHES_IN_FLIGHT: usize = 4;
const SPOKEN: &str =
    "Good morning everyone. The quarterly budget is approved and the hiring plan is on track. \
    We ship the new release on Friday, after the last review of the payment changes. \
    Please send your notes to the team before the end of the day.";

/// A loopback OpenAI-compatible service that reads the upload and answers
/// at once; its URL.
pub async fn instant_service() -> Result<String, String> {
    use axum::routing::post;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let router = axum::Router::new().route(
        "/v1/audio/transcriptions",
        post(|body: axum::body::Bytes| async move {
            let _ = body.len();
            axum::Json(serde_json::json!({
                "language": "english", "duration": 10.0, "text": "The budget is approved.",
                "segments": [{"start": 0.5, "end": 2.0, "text": "The budget is approved."}],
                "words": [{"word": "The", "start": 0.5, "end": 0.8}, {"word": "budget", "start": 0.8, "end": 1.3},
                          {"word": "is", "start": 1.3, "end": 1.5}, {"word": "approved.", "start": 1.5, "end": 2.0}]
            }))
        })
        .layer(axum::extract::DefaultBodyLimit::max(64 << 20)),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(format!("http://{address}"))
}

pub async fn overhead(state: &AppState, owner_id: &str, tag: &str, service: &str) -> Result<(), String> {
    let transcriber = state
        .transcriber
        .clone()
        .ok_or("the bench's state has no transcription service")?;
    let audio = speech().await?;
    let seconds = (audio.len().saturating_sub(44)) as f64 / 32_000.0;
    let room = bench_room(state, owner_id, &format!("tr-{}", &tag[..8])).await?;
    let (mut direct, mut piped) = (Vec::new(), Vec::new());
    for run in 0..OVERHEAD_RUNS {
        let started = Instant::now();
        transcriber
            .transcribe(audio.clone(), "direct.wav")
            .await
            .map_err(|e| e.to_string())?;
        direct.push(started.elapsed());

        let recording_id = stored_recording(state, &room, &format!("{tag}-{run}"), &audio).await?;
        let started = Instant::now();
        let runner = Runner::new(state.clone(), "bench-transcribe");
        let (_keep, mut stopped) = tokio::sync::watch::channel(false);
        while runner
            .run_next(&mut stopped)
            .await
            .map_err(|e| e.to_string())?
            .is_some()
        {}
        piped.push(started.elapsed());
        let transcript = state
            .store
            .transcript_of_recording(&recording_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no transcript")?;
        if transcript.status != TranscriptStatus::Completed {
            return Err(format!(
                "the bench transcript did not complete: {:?}",
                transcript.error
            ));
        }
    }
    let (direct, piped) = (median(direct), median(piped));
    println!(
        "transcription of {seconds:.1} s of speech ({service}): direct {:.0} ms, through the pipeline {:.0} ms: ×{:.2} (+{:.0} ms; median of {OVERHEAD_RUNS})",
        ms(direct),
        ms(piped),
        piped.as_secs_f64() / direct.as_secs_f64(),
        ms(piped) - ms(direct),
    );
    Ok(())
}

pub async fn search(
    state: &AppState,
    owner_id: &str,
    tag: &str,
    base: &str,
    bearer: &str,
    requests: usize,
    concurrency: usize,
) -> Result<(), String> {
    let room = bench_room(state, owner_id, &format!("search-{}", &tag[..8])).await?;
    let started = Instant::now();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (state, room, tag) = (state.clone(), room.clone(), tag.to_owned());
            tokio::spawn(async move {
                let mut n = writer;
                while n < SEARCHED_TRANSCRIPTS {
                    searchable_transcript(&state, &room, &tag, n).await?;
                    n += 8;
                }
                Ok::<_, String>(())
            })
        })
        .collect();
    for writer in writers {
        writer.await.map_err(|e| e.to_string())??;
    }
    println!(
        "transcripts stored for search: {SEARCHED_TRANSCRIPTS} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    // Few in flight, so the figures are each query's own time rather than a queue's.
    let (requests, concurrency) = (requests.min(2_000), concurrency.min(SEARCHES_IN_FLIGHT));
    println!("search over {SEARCHED_TRANSCRIPTS} transcripts, {concurrency} in flight:");
    for (name, query) in [
        ("search, rare word (1% of transcripts)", "budget"),
        ("search, common word (10%)", "release"),
        ("search, phrase", "%22quarterly%20budget%22"),
        ("search, prefix", "rel*"),
        ("search, two words", "hiring%20plan"),
    ] {
        let scenario = Scenario {
            name,
            method: Method::GET,
            path: format!("/v1/transcripts/search?q={query}&limit=20"),
            authorization: Some(bearer.to_owned()),
            body: Body::None,
        };
        let (rate, p50, p99, errors) =
            measure(&client, base, &scenario, requests, concurrency, "search").await;
        println!(
            "{:<48} {:>10.0} {:>9.2} {:>9.2} {:>9}",
            name, rate, p50, p99, errors
        );
    }
    Ok(())
}

/// Transcript `n` of the search corpus: filler words, with `budget` in 1%
/// of them and `release` in 10%.
async fn searchable_transcript(state: &AppState, room: &Room, tag: &str, n: usize) -> Result<(), String> {
    let recording_id = format!("search-{tag}-{n}");
    let mut random = (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = move || {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        random
    };
    let mut segments = Vec::with_capacity(SEGMENTS_PER_TRANSCRIPT);
    for s in 0..SEGMENTS_PER_TRANSCRIPT {
        let mut words: Vec<String> = (0..WORDS_PER_SEGMENT)
            .map(|_| format!("word{}", next() % 5_000))
            .collect();
        if s == 3 && n.is_multiple_of(100) {
            words.splice(2..2, ["quarterly".to_owned(), "budget".to_owned()]);
        }
        if s == 7 && n.is_multiple_of(10) {
            words.push("release".to_owned());
        }
        if s == 9 && n.is_multiple_of(50) {
            words.extend(["hiring".to_owned(), "plan".to_owned()]);
        }
        let start = (s * 10) as f64;
        segments.push(Segment {
            speaker: Some(format!("Speaker {}", s % 3)),
            start,
            end: start + 9.0,
            text: words.join(" "),
            words: Vec::<Word>::new(),
        });
    }
    stored_recording_row(state, room, &recording_id).await?;
    let transcript = state
        .store
        .transcript_of_recording(&recording_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no transcript queued")?;
    state
        .store
        .complete_transcript(
            &transcript.id,
            &Transcribed {
                segments: &segments,
                language: Some("en"),
                duration: Some((SEGMENTS_PER_TRANSCRIPT * 10) as f64),
                audio_deleted: false,
                event: &serde_json::json!({}),
            },
            Utc::now(),
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

async fn bench_room(state: &AppState, owner_id: &str, name: &str) -> Result<Room, String> {
    let room = state
        .store
        .insert_room(&NewRoom::with_defaults(name, owner_id, Platform::Mock))
        .await
        .map_err(|e| e.to_string())?;
    let start = Utc::now();
    state
        .store
        .insert_meeting(
            &room,
            &NewMeeting {
                id: format!("{name}-m"),
                room_name: format!("{name}-m"),
                room_url: "http://mock/room".into(),
                host_room_url: "http://mock/room".into(),
                start_date: start,
                end_date: start + chrono::Duration::hours(1),
                platform: Platform::Mock,
                calendar_event_id: None,
                calendar_metadata: None,
                failover: None,
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(room)
}

/// A recording of the room's meeting with `audio` stored, its transcript queued.
async fn stored_recording(state: &AppState, room: &Room, id: &str, audio: &[u8]) -> Result<String, String> {
    let recording_id = format!("bench-rec-{id}");
    announce(state, room, &recording_id).await?;
    let key = format!("recordings/bench/{recording_id}.wav");
    let bytes =
        futures_util::stream::iter([Ok::<_, String>(axum::body::Bytes::from(audio.to_vec()))]).boxed();
    let copy = state
        .recording_storage
        .copy_in(&key, bytes, 1 << 30)
        .await
        .map_err(|e| e.to_string())?;
    queue_with_recording(state, &recording_id, &copy).await?;
    Ok(recording_id)
}

/// A stored recording's row (no audio behind it: search needs only the text).
async fn stored_recording_row(state: &AppState, room: &Room, recording_id: &str) -> Result<(), String> {
    announce(state, room, recording_id).await?;
    let copy = app::server::store::StoredCopy {
        storage_key: format!("recordings/bench/{recording_id}.wav"),
        size_bytes: 0,
        sha256: String::new(),
    };
    queue_with_recording(state, recording_id, &copy).await
}

/// Marks the recording stored and queues its transcript, as the recording
/// pipeline does.
async fn queue_with_recording(
    state: &AppState,
    recording_id: &str,
    copy: &app::server::store::StoredCopy,
) -> Result<(), String> {
    let job = Job::TranscribeRecording {
        recording_id: recording_id.to_owned(),
    }
    .to_queue(&state.settings);
    state
        .store
        .complete_recording_then(recording_id, copy, &[], Some(&job))
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

async fn announce(state: &AppState, room: &Room, recording_id: &str) -> Result<(), String> {
    state
        .store
        .upsert_recording(&AnnouncedRecording {
            id: recording_id,
            meeting_id: Some(&format!("{}-m", room.name)),
            platform: Platform::Mock,
            bucket_name: "",
            object_key: "bench.wav",
            recorded_at: Utc::now(),
            track_keys: None,
        })
        .await
        .map_err(|e| e.to_string())
}

/// A paragraph spoken by espeak-ng (a tone without it), as 16 kHz mono WAV.
async fn speech() -> Result<Vec<u8>, String> {
    let dir = std::env::temp_dir().join(format!(
        "reflector-bench-speech-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let spoken = dir.join("spoken.wav");
    let espeak = tokio::process::Command::new("espeak-ng")
        .args(["-v", "en", "-w"])
        .arg(&spoken)
        .arg(SPOKEN)
        .status()
        .await
        .is_ok_and(|status| status.success());
    let mut ffmpeg = tokio::process::Command::new("ffmpeg");
    ffmpeg.args(["-nostdin", "-loglevel", "error"]);
    if espeak {
        ffmpeg.arg("-i").arg(&spoken);
    } else {
        ffmpeg.args(["-f", "lavfi", "-i", "sine=frequency=300:duration=15"]);
    }
    let output = ffmpeg
        .args(["-ac", "1", "-ar", "16000", "-f", "wav", "pipe:1"])
        .output()
        .await
        .map_err(|e| format!("ffmpeg: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(output.stdout)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}
