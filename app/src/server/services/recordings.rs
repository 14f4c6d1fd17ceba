//! A meeting's recordings, for its room's owner only.

use super::meetings::owned_meeting;
use super::permissions::{require_owner, require_user};
use super::rooms::room_with_id;
use crate::server::auth::Caller;
use crate::server::recordings::StoredObject;
use std::collections::HashMap;

use crate::server::store::{Recording, RecordingsOf};
use crate::server::{AppError, AppState};
use crate::types::{RecordingStatus, RecordingView, TranscriptStatus};

pub async fn of_meeting(
    state: &AppState,
    caller: &Caller,
    meeting_id: &str,
) -> Result<Vec<RecordingView>, AppError> {
    let meeting = owned_meeting(state, caller, meeting_id, REFUSAL).await?;
    let recordings = state.store.recordings_of_meeting(&meeting.id).await?;
    let transcripts = state
        .store
        .transcripts_of_recordings(RecordingsOf::Meeting(&meeting.id))
        .await?;
    Ok(recordings.into_iter().map(|r| view(r, &transcripts)).collect())
}

/// Recordings of all the room's meetings, newest first (the rooms page).
pub async fn of_room(
    state: &AppState,
    caller: &Caller,
    room_id: &str,
) -> Result<Vec<RecordingView>, AppError> {
    require_user(caller)?;
    let room = room_with_id(state, room_id).await?;
    require_owner(caller, &room, REFUSAL)?;
    let recordings = state
        .store
        .recordings_of_room(&room.id, ROOM_RECORDINGS_LIMIT)
        .await?;
    let transcripts = state
        .store
        .transcripts_of_recordings(RecordingsOf::Room(&room.id))
        .await?;
    Ok(recordings.into_iter().map(|r| view(r, &transcripts)).collect())
}

const ROOM_RECORDINGS_LIMIT: i64 = 200;

/// Our stored copy of one of the meeting's recordings.
pub async fn download(
    state: &AppState,
    caller: &Caller,
    meeting_id: &str,
    recording_id: &str,
) -> Result<(Recording, StoredObject), AppError> {
    let meeting = owned_meeting(state, caller, meeting_id, REFUSAL).await?;
    let recording = state
        .store
        .recording_by_id(recording_id)
        .await?
        .filter(|r| r.meeting_id.as_deref() == Some(meeting.id.as_str()) && r.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound("Recording not found".into()))?;
    let key = match (&recording.status, &recording.storage_key) {
        (RecordingStatus::Completed, Some(key)) => key.clone(),
        _ => {
            return Err(AppError::Conflict(format!(
                "The recording is not stored yet (status: {})",
                recording.status.as_str()
            )))
        }
    };
    let object = state.recording_storage.read(&key).await.map_err(|error| {
        tracing::warn!(recording = %recording.id, %error, "stored recording unreadable");
        AppError::Unavailable("Recording storage is unavailable; try again later".into())
    })?;
    Ok((recording, object))
}

const REFUSAL: &str = "Only the room owner can see its recordings";

fn view(recording: Recording, transcripts: &HashMap<String, (String, TranscriptStatus)>) -> RecordingView {
    let transcript = transcripts.get(&recording.id).cloned();
    let download_url = (recording.status == RecordingStatus::Completed && recording.storage_key.is_some())
        .then(|| {
            recording
                .meeting_id
                .as_ref()
                .map(|meeting| format!("/v1/meetings/{meeting}/recordings/{}/download", recording.id))
        })
        .flatten();
    RecordingView {
        id: recording.id,
        meeting_id: recording.meeting_id,
        platform: recording.platform,
        recorded_at: recording.recorded_at,
        status: recording.status,
        error: recording.error,
        size_bytes: recording.size_bytes,
        sha256: recording.sha256,
        download_url,
        transcript_status: transcript.as_ref().map(|(_, status)| *status),
        transcript_id: transcript.map(|(id, _)| id),
    }
}
