//! A LiveKit meeting's recording: its track egress wrote one file per
//! published track into the egress bucket under `livekit/<room>/`, named
//! `<identity>-<YYYY-MM-DDTHHMMSS>-<track id>.<ext>`. Once the meeting is
//! over, the audio files become one recording with a track per
//! participant (the existing raw-tracks pipeline: copies, mix,
//! transcript); video files are deleted, as nobody asked to keep them.

use chrono::{DateTime, NaiveDateTime, Utc};
use futures_util::TryStreamExt;
use object_store::path::Path as ObjectPath;

use super::storage::s3_store;
use super::tracks::TrackName;
use crate::server::jobs::{Job, JobFailure};
use crate::server::store::AnnouncedRecording;
use crate::server::AppState;
use crate::types::Platform;

const AUDIO_EXTENSIONS: [&str; 3] = ["ogg", "opus", "m4a"];

/// `…/ada-1a2b3c-2026-04-01T195758-TR_AMx.ogg` → identity and start time.
pub fn parse_livekit_track(key: &str) -> Option<(String, DateTime<Utc>)> {
    let name = key.rsplit('/').next()?;
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    // The time is the last `-YYYY-MM-DDTHHMMSS` in the name: identities may
    // hold dashes and digits too.
    let bytes = stem.as_bytes();
    const WIDTH: usize = "2026-04-01T195758".len();
    (1..=bytes.len().saturating_sub(WIDTH)).rev().find_map(|at| {
        if bytes[at - 1] != b'-' {
            return None;
        }
        let text = stem.get(at..at + WIDTH)?;
        let time = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H%M%S").ok()?;
        let identity = &stem[..at - 1];
        (!identity.is_empty()).then(|| (identity.to_owned(), time.and_utc()))
    })
}

/// The audio tracks among `keys`, each with its identity and its start
/// after the earliest one's.
pub fn livekit_voices(keys: &[String]) -> Vec<(&String, TrackName)> {
    let parsed: Vec<(&String, String, DateTime<Utc>)> = keys
        .iter()
        .filter_map(|key| parse_livekit_track(key).map(|(identity, at)| (key, identity, at)))
        .collect();
    let Some(first) = parsed.iter().map(|(_, _, at)| *at).min() else {
        return Vec::new();
    };
    parsed
        .into_iter()
        .map(|(key, identity, at)| {
            let offset = (at - first).num_milliseconds().max(0) as f64 / 1000.0;
            (
                key,
                TrackName {
                    participant_session: identity,
                    offset_seconds: offset,
                },
            )
        })
        .collect()
}

fn is_audio(key: &str) -> bool {
    key.rsplit_once('.')
        .is_some_and(|(_, ext)| AUDIO_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

pub async fn collect_livekit_tracks(
    state: &AppState,
    meeting_id: &str,
    room_name: &str,
) -> Result<(), JobFailure> {
    let location = state
        .settings
        .livekit
        .as_ref()
        .and_then(|livekit| livekit.egress_bucket.clone())
        .ok_or_else(|| JobFailure::Permanent("LIVEKIT_STORAGE_AWS_BUCKET_NAME is not set".into()))?;
    let bucket = s3_store(&location).map_err(JobFailure::Permanent)?;
    let prefix = format!("livekit/{room_name}/");
    let listed: Vec<String> = bucket
        .list(Some(&ObjectPath::from(prefix.as_str())))
        .map_ok(|meta| meta.location.to_string())
        .try_collect()
        .await
        .map_err(|error| JobFailure::Retry(format!("bucket {}: {error}", location.bucket)))?;
    let (audio, video): (Vec<String>, Vec<String>) = listed.into_iter().partition(|key| is_audio(key));
    for key in &video {
        if let Err(error) = bucket.delete(&ObjectPath::from(key.as_str())).await {
            tracing::warn!(%error, key, "a LiveKit video track stays in the egress bucket");
        }
    }
    let audio: Vec<String> = audio
        .into_iter()
        .filter(|key| parse_livekit_track(key).is_some())
        .collect();
    if audio.is_empty() {
        // The egress may still be writing; the job's retries wait for it.
        return Err(JobFailure::Retry(format!("no audio track under {prefix} yet")));
    }
    let recorded_at = livekit_voices(&audio)
        .iter()
        .filter_map(|(key, _)| parse_livekit_track(key).map(|(_, at)| at))
        .min()
        .unwrap_or_else(Utc::now);
    let recording_id = format!("lk-{room_name}");
    let process = Job::ProcessRecording {
        recording_id: recording_id.clone(),
    };
    state
        .store
        .announce_recording(
            &AnnouncedRecording {
                id: &recording_id,
                meeting_id: Some(meeting_id),
                platform: Platform::LiveKit,
                bucket_name: &location.bucket,
                object_key: &prefix,
                recorded_at,
                track_keys: Some(audio),
            },
            &process.to_queue(&state.settings),
        )
        .await?;
    state.job_wakeup.notify_one();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_files_name_their_participant_and_start() {
        let (identity, at) = parse_livekit_track(
            "livekit/myroom-20260401172036/juan-4b82ed-2026-04-01T195758-TR_AMR3SWs74Divho.ogg",
        )
        .unwrap();
        assert_eq!(identity, "juan-4b82ed");
        assert_eq!(at.to_rfc3339(), "2026-04-01T19:57:58+00:00");
        assert_eq!(
            parse_livekit_track("livekit/r/ada-2026-1-2026-04-01T195800.ogg").map(|(id, _)| id),
            Some("ada-2026-1".into())
        );
        assert_eq!(parse_livekit_track("livekit/r/no-time-here.ogg"), None);
        assert_eq!(parse_livekit_track("livekit/r/-2026-04-01T195800.ogg"), None);

        let keys = vec![
            "livekit/r/bob-2-2026-04-01T195804-TR_b.ogg".to_owned(),
            "livekit/r/ada-1-2026-04-01T195800-TR_a.ogg".to_owned(),
        ];
        let voices = livekit_voices(&keys);
        assert_eq!(voices[0].1.participant_session, "bob-2");
        assert_eq!(voices[0].1.offset_seconds, 4.0);
        assert_eq!(voices[1].1.offset_seconds, 0.0);
        assert!(is_audio("a/b.OGG") && !is_audio("a/b.webm"));
    }
}
