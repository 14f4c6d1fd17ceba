//! Recording ingestion: a finished platform recording, copied once into our
//! storage with its size and checksum.

mod livekit_tracks;
mod source;
mod storage;
mod tracks;

use std::time::Duration;

pub use livekit_tracks::{collect_livekit_tracks, parse_livekit_track};
pub use storage::{ByteStream, CopyError, RecordingStorage, StoredObject};
pub use tracks::parse_track_name;

use crate::server::jobs::JobFailure;
use crate::server::store::{Recording, StoredCopy, StoredTrack};
use crate::server::AppState;
use crate::types::RecordingStatus;

/// `process_recording_from_url`: fetches the recording from its platform
/// into storage; pending → processing → completed, or an error the job
/// runner turns into a retry or a failure.
pub async fn process_recording(state: &AppState, recording_id: &str) -> Result<(), JobFailure> {
    let store = &state.store;
    let Some(recording) = store.recording_by_id(recording_id).await? else {
        return Err(JobFailure::Permanent(format!(
            "recording {recording_id} does not exist"
        )));
    };
    if recording.status == RecordingStatus::Completed || recording.deleted_at.is_some() {
        return Ok(());
    }
    store.mark_recording_processing(recording_id).await?;
    // One deadline over asking for the recording, reading it and storing
    // it: a source that stalls anywhere fails this attempt, and the upload
    // is aborted as the copy is dropped.
    let time_limit = Duration::from_secs(state.settings.recordings.download_timeout_seconds);
    let (copy, tracks) = tokio::time::timeout(time_limit, fetch_and_store(state, &recording))
        .await
        .map_err(|_| {
            JobFailure::Retry(format!(
                "the download took longer than RECORDING_DOWNLOAD_TIMEOUT_SECONDS ({} s)",
                time_limit.as_secs()
            ))
        })??;
    // With a transcription service, its transcript is queued with it.
    let transcription = state.transcriber.is_some().then(|| {
        crate::server::jobs::Job::TranscribeRecording {
            recording_id: recording_id.to_owned(),
        }
        .to_queue(&state.settings)
    });
    if !store
        .complete_recording_then(recording_id, &copy, &tracks, transcription.as_ref())
        .await?
    {
        // Deleted while it was being copied: the copies must not outlive it.
        let keys = std::iter::once(&copy.storage_key).chain(tracks.iter().map(|t| &t.storage_key));
        for key in keys {
            state
                .recording_storage
                .delete(key)
                .await
                .map_err(JobFailure::Retry)?;
        }
        return Ok(());
    }
    tracing::info!(recording = %recording_id, bytes = copy.size_bytes, "recording stored");
    Ok(())
}

/// Removes the stored copies of recordings marked deleted (a deleted room's,
/// say), then forgets them.
pub async fn purge_deleted(state: &AppState) -> Result<(), JobFailure> {
    const BATCH: i64 = 100;
    loop {
        let deleted = state.store.deleted_recordings(BATCH).await?;
        for recording in &deleted {
            for key in stored_keys(recording) {
                state
                    .recording_storage
                    .delete(key)
                    .await
                    .map_err(JobFailure::Retry)?;
            }
            state.store.forget_recording(&recording.id).await?;
        }
        if (deleted.len() as i64) < BATCH {
            return Ok(());
        }
    }
}

/// The media type a stored recording is served with, from its key.
pub fn media_type(storage_key: &str) -> &'static str {
    match storage_key.rsplit_once('.').map(|(_, ext)| ext) {
        Some("webm") => "video/webm",
        Some("m4a") => "audio/mp4",
        Some("ogg") => "audio/ogg",
        Some("mp3") => "audio/mpeg",
        Some("wav") => "audio/wav",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Every object of ours the recording has: its copy and its tracks.
pub fn stored_keys(recording: &Recording) -> impl Iterator<Item = &str> {
    let tracks = recording.stored_tracks.iter().flatten();
    recording
        .storage_key
        .as_deref()
        .into_iter()
        .chain(tracks.map(|track| track.storage_key.as_str()))
}

async fn fetch_and_store(
    state: &AppState,
    recording: &Recording,
) -> Result<(StoredCopy, Vec<StoredTrack>), JobFailure> {
    match &recording.track_keys {
        Some(keys) if !keys.is_empty() => tracks::store_tracks(state, recording, keys).await,
        _ => Ok((fetch_and_store_file(state, recording).await?, Vec::new())),
    }
}

async fn fetch_and_store_file(state: &AppState, recording: &Recording) -> Result<StoredCopy, JobFailure> {
    let limits = &state.settings.recordings;
    let download = source::open_download(state, recording).await?;
    if download.length.is_some_and(|length| length > limits.max_bytes) {
        return Err(JobFailure::Permanent(
            CopyError::TooLarge {
                limit: limits.max_bytes,
            }
            .to_string(),
        ));
    }
    state
        .recording_storage
        .copy_in(&storage_key(recording), download.bytes, limits.max_bytes)
        .await
        .map_err(|error| match error {
            CopyError::TooLarge { .. } => JobFailure::Permanent(error.to_string()),
            other => JobFailure::Retry(other.to_string()),
        })
}

/// `recordings/<meeting>/<recording>`, from characters safe anywhere.
fn storage_key_base(recording: &Recording) -> String {
    format!(
        "recordings/{}/{}",
        safe_segment(recording.meeting_id.as_deref().unwrap_or("unassigned")),
        safe_segment(&recording.id),
    )
}

/// The base with the platform file's extension.
fn storage_key(recording: &Recording) -> String {
    let extension = recording
        .object_key
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| !ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("mp4");
    format!(
        "{}.{}",
        storage_key_base(recording),
        extension.to_ascii_lowercase()
    )
}

fn safe_segment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording(id: &str, meeting: Option<&str>, object_key: &str) -> Recording {
        Recording {
            id: id.into(),
            meeting_id: meeting.map(Into::into),
            platform: None,
            bucket_name: String::new(),
            object_key: object_key.into(),
            recorded_at: chrono::Utc::now(),
            status: RecordingStatus::Pending,
            track_keys: None,
            error: None,
            deleted_at: None,
            storage_key: None,
            size_bytes: None,
            sha256: None,
            stored_tracks: None,
        }
    }

    #[test]
    fn storage_keys_are_safe_and_keep_the_extension() {
        assert_eq!(
            storage_key(&recording("rec-1", Some("m-1"), "acme/room/1700000000.webm")),
            "recordings/m-1/rec-1.webm"
        );
        assert_eq!(
            storage_key(&recording("../x y", None, "no-extension")),
            "recordings/unassigned/___x_y.mp4"
        );
    }
}
