//! Recordings made of one audio file per participant, in the bucket the
//! platform writes to (Daily's raw tracks, LiveKit's track egress). Each
//! track is copied into our storage (the transcript is made from them, one
//! speaker each) and their mix, each track at its own start, becomes the
//! recording people download and play.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::source::read_bucket;
use super::storage::{ByteStream, CopyError, RecordingStorage};
use super::storage_key_base;
use crate::server::jobs::JobFailure;
use crate::server::store::{Recording, StoredCopy, StoredTrack};
use crate::server::transcription::audio::{run_ffmpeg, WorkDir};
use crate::server::AppState;
use crate::types::Platform;

/// ffmpeg's time to mix one recording's tracks.
const MIX_TIME_LIMIT: Duration = Duration::from_secs(1800);

/// What a Daily track's file name says: whose it is and when it started.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackName {
    pub participant_session: String,
    /// After the recording started.
    pub offset_seconds: f64,
}

/// `…/{recording start ms}-{participant session uuid}-cam-audio-{track start ms}`.
/// Screen-share audio and names of another form are not a participant's voice.
pub fn parse_track_name(key: &str) -> Option<TrackName> {
    let name = key.rsplit('/').next()?;
    let (head, track_start) = name.split_once("-cam-audio-")?;
    let (recording_start, participant) = head.split_once('-')?;
    let milliseconds = |digits: &str| {
        (digits.len() >= 13 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<i64>().ok())
            .flatten()
    };
    let track_start = track_start.split(|c: char| !c.is_ascii_digit()).next()?;
    let (recording_start, track_start) = (milliseconds(recording_start)?, milliseconds(track_start)?);
    let is_session_id =
        participant.len() == 36 && participant.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    is_session_id.then(|| TrackName {
        participant_session: participant.to_owned(),
        offset_seconds: (track_start - recording_start).max(0) as f64 / 1000.0,
    })
}

/// Copies the participants' tracks into our storage and stores their mix
/// as the recording's own copy.
pub async fn store_tracks(
    state: &AppState,
    recording: &Recording,
    keys: &[String],
) -> Result<(StoredCopy, Vec<StoredTrack>), JobFailure> {
    let (location, voices) = match recording.platform {
        Some(Platform::LiveKit) => {
            let location = state
                .settings
                .livekit
                .as_ref()
                .and_then(|livekit| livekit.egress_bucket.clone())
                .ok_or_else(|| {
                    JobFailure::Permanent(
                        "LiveKit tracks are read from LIVEKIT_STORAGE_AWS_BUCKET_NAME, which is not set"
                            .into(),
                    )
                })?;
            (location, super::livekit_tracks::livekit_voices(keys))
        }
        _ => {
            let location = state.settings.daily.raw_tracks_bucket().ok_or_else(|| {
                JobFailure::Permanent(
                    "raw-tracks recordings are read from AWS_DAILY_S3_BUCKET, which is not set".into(),
                )
            })?;
            let voices = keys
                .iter()
                .filter_map(|key| parse_track_name(key).map(|name| (key, name)))
                .collect();
            (location, voices)
        }
    };
    if voices.is_empty() {
        return Err(JobFailure::Permanent(
            "the recording has no participant audio track".into(),
        ));
    }
    let max_bytes = state.settings.recordings.max_bytes;
    let base = storage_key_base(recording);
    let work = WorkDir::new().map_err(|e| JobFailure::Retry(e.to_string()))?;
    let mut copied = CopiedTracks::new(state.recording_storage.clone());
    let mut tracks = Vec::with_capacity(voices.len());
    let mut local_files = Vec::with_capacity(voices.len());
    for (index, (key, name)) in voices.into_iter().enumerate() {
        let download = read_bucket(&location, key).await?;
        let local = work.path().join(format!("track-{index}"));
        save(download.bytes, &local, max_bytes).await?;
        let storage_key = format!("{base}/track-{index}.webm");
        copied.keys.push(storage_key.clone());
        copy_file_in(state, &local, &storage_key, max_bytes).await?;
        local_files.push((local, name.offset_seconds));
        tracks.push(StoredTrack {
            storage_key,
            participant_session: Some(name.participant_session),
            offset_seconds: name.offset_seconds,
        });
    }
    let mixed = work.path().join("mixed.ogg");
    mix(&local_files, &mixed).await.map_err(JobFailure::Permanent)?;
    let copy = copy_file_in(state, &mixed, &format!("{base}.ogg"), max_bytes).await?;
    copied.keep();
    Ok((copy, tracks))
}

/// The tracks copied so far, deleted again unless the whole recording is
/// stored: a failed or abandoned job leaves no objects nothing points to.
struct CopiedTracks {
    storage: RecordingStorage,
    keys: Vec<String>,
}

impl CopiedTracks {
    fn new(storage: RecordingStorage) -> Self {
        Self {
            storage,
            keys: Vec::new(),
        }
    }

    fn keep(&mut self) {
        self.keys.clear();
    }
}

impl Drop for CopiedTracks {
    fn drop(&mut self) {
        if self.keys.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (storage, keys) = (self.storage.clone(), std::mem::take(&mut self.keys));
        runtime.spawn(async move {
            for key in keys {
                if let Err(error) = storage.delete(&key).await {
                    tracing::warn!(%error, key, "an unused track copy stays in storage");
                }
            }
        });
    }
}

/// Every track delayed to its start, summed (not averaged: people rarely
/// speak at once, and averaging would make each of them quieter), as Opus.
async fn mix(inputs: &[(PathBuf, f64)], output: &Path) -> Result<(), String> {
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    let mut graph = String::new();
    for (index, (path, offset)) in inputs.iter().enumerate() {
        args.push("-i".into());
        args.push(path.into());
        let delay = (offset * 1000.0).round() as u64;
        graph.push_str(&format!("[{index}:a]adelay=delays={delay}:all=1[a{index}];"));
    }
    for index in 0..inputs.len() {
        graph.push_str(&format!("[a{index}]"));
    }
    graph.push_str(&format!(
        "amix=inputs={}:duration=longest:normalize=0[mixed]",
        inputs.len()
    ));
    args.extend(
        [
            "-filter_complex",
            &graph,
            "-map",
            "[mixed]",
            "-ac",
            "1",
            "-c:a",
            "libopus",
            "-b:a",
            "32k",
        ]
        .map(Into::into),
    );
    args.push(output.into());
    run_ffmpeg(&args, MIX_TIME_LIMIT).await
}

/// Writes a download to `path`, refusing more than `max_bytes`.
async fn save(mut bytes: ByteStream, path: &Path, max_bytes: u64) -> Result<(), JobFailure> {
    let local = |e: std::io::Error| JobFailure::Retry(format!("writing a track locally: {e}"));
    let mut file = tokio::fs::File::create(path).await.map_err(local)?;
    let mut size: u64 = 0;
    while let Some(chunk) = bytes.next().await {
        let chunk = chunk.map_err(JobFailure::Retry)?;
        size += chunk.len() as u64;
        if size > max_bytes {
            return Err(JobFailure::Permanent(
                CopyError::TooLarge { limit: max_bytes }.to_string(),
            ));
        }
        file.write_all(&chunk).await.map_err(local)?;
    }
    file.flush().await.map_err(local)
}

async fn copy_file_in(
    state: &AppState,
    path: &Path,
    key: &str,
    max_bytes: u64,
) -> Result<StoredCopy, JobFailure> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| JobFailure::Retry(e.to_string()))?;
    state
        .recording_storage
        .copy_in(key, file_stream(file), max_bytes)
        .await
        .map_err(|error| match error {
            CopyError::TooLarge { .. } => JobFailure::Permanent(error.to_string()),
            other => JobFailure::Retry(other.to_string()),
        })
}

fn file_stream(file: tokio::fs::File) -> ByteStream {
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0u8; 256 * 1024];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok(bytes::Bytes::from(buffer)), Some(file)))
            }
            Err(error) => Some((Err(error.to_string()), None)),
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_track_names_its_participant_and_start() {
        let name = parse_track_name(
            "acme/team-20261130/1764541200000-4ad503b6-8189-4910-a8f7-68cdd1b7f990-cam-audio-1764541203500",
        )
        .unwrap();
        assert_eq!(name.participant_session, "4ad503b6-8189-4910-a8f7-68cdd1b7f990");
        assert_eq!(name.offset_seconds, 3.5);
        assert_eq!(
            parse_track_name(
                "a/1764541200000-4ad503b6-8189-4910-a8f7-68cdd1b7f990-cam-audio-1764541200000.webm"
            )
            .map(|n| n.offset_seconds),
            Some(0.0)
        );
        for other in [
            "a/1764541200000-4ad503b6-8189-4910-a8f7-68cdd1b7f990-screen-audio-1764541203500",
            "a/1764541200000-not-a-session-cam-audio-1764541203500",
            "a/17645-4ad503b6-8189-4910-a8f7-68cdd1b7f990-cam-audio-1764541203500",
            "",
        ] {
            assert_eq!(parse_track_name(other), None, "{other}");
        }
    }
}
