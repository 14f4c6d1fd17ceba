use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::jobs::NewJob;
use super::room_events::RoomEvents;
use super::transcripts::queue_transcript_in;
use super::tx::{on_tx, Tx};
use super::{on_pool, Store, StoreError};
use crate::types::{EventRecording, Platform, RecordingEvent, RecordingStatus, RoomEventKind};

/// A recording a platform announced.
/// The API shows it as a `RecordingView`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Recording {
    pub id: String,
    pub meeting_id: Option<String>,
    pub platform: Option<Platform>,
    pub bucket_name: String,
    pub object_key: String,
    pub recorded_at: DateTime<Utc>,
    pub status: RecordingStatus,
    #[sqlx(json(nullable))]
    pub track_keys: Option<Vec<String>>,
    pub error: Option<String>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Where our copy lives in recording storage, once stored.
    pub storage_key: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    /// Our copies of its per-participant tracks (Daily raw-tracks); the
    /// `storage_key` copy is then their mix.
    #[sqlx(json(nullable))]
    pub stored_tracks: Option<Vec<StoredTrack>>,
}

/// One participant's audio track, in our storage.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredTrack {
    pub storage_key: String,
    /// The platform's session id of whoever the track is from.
    pub participant_session: Option<String>,
    /// Where the track starts on the recording's timeline.
    pub offset_seconds: f64,
}

/// What a platform told us about a recording.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnouncedRecording<'a> {
    pub id: &'a str,
    pub meeting_id: Option<&'a str>,
    pub platform: Platform,
    pub bucket_name: &'a str,
    pub object_key: &'a str,
    pub recorded_at: DateTime<Utc>,
    pub track_keys: Option<Vec<String>>,
}

/// Creates the recording, or fills in what a later announcement adds
/// (location, tracks) without moving its status backwards.
pub(super) async fn upsert_recording_in(
    tx: &mut Tx,
    recording: &AnnouncedRecording<'_>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => { sqlx::query(
        "INSERT INTO recording (id, meeting_id, platform, bucket_name, object_key, recorded_at, status, track_keys)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)
         ON CONFLICT (id) DO UPDATE SET
            meeting_id = COALESCE(recording.meeting_id, excluded.meeting_id),
            platform = COALESCE(recording.platform, excluded.platform),
            bucket_name = CASE WHEN excluded.bucket_name <> '' THEN excluded.bucket_name ELSE recording.bucket_name END,
            object_key = CASE WHEN excluded.object_key <> '' THEN excluded.object_key ELSE recording.object_key END,
            track_keys = COALESCE(excluded.track_keys, recording.track_keys)"
    )
        .bind(recording.id)
        .bind(recording.meeting_id)
        .bind(recording.platform)
        .bind(recording.bucket_name)
        .bind(recording.object_key)
        .bind(recording.recorded_at)
        .bind(recording.track_keys.as_ref().map(Json))
        .execute(&mut **conn)
        .await?; });
    Ok(())
}

/// Fails the meeting's recordings that have not completed.
pub(super) async fn fail_unfinished_recordings_in(
    tx: &mut Tx,
    meeting_id: &str,
    error: &str,
) -> Result<(), StoreError> {
    let failing: Vec<Recording> = on_tx!(tx, conn => sqlx::query_as(
        "UPDATE recording SET status = 'failed', error = $2
         WHERE meeting_id = $1 AND status IN ('pending', 'processing')
         RETURNING *"
    )
        .bind(meeting_id)
        .bind(error)
        .fetch_all(&mut **conn)
        .await?);
    let mut events = RoomEvents::default();
    for recording in &failing {
        record_recording_event(tx, &mut events, recording, RoomEventKind::RecordingFailed).await?;
    }
    Ok(())
}

/// `recording.ready` or `recording.failed` for the recording's room.
async fn record_recording_event(
    tx: &mut Tx,
    events: &mut RoomEvents,
    recording: &Recording,
    kind: RoomEventKind,
) -> Result<(), StoreError> {
    let Some(meeting_id) = recording.meeting_id.as_deref() else {
        return Ok(());
    };
    let Some((room_id, meeting)) = events.meeting(tx, meeting_id).await? else {
        return Ok(());
    };
    let event = RecordingEvent {
        meeting,
        recording: EventRecording {
            id: recording.id.clone(),
            recorded_at: recording.recorded_at,
            size: recording.size_bytes,
            duration: None,
            error: recording.error.clone(),
        },
    };
    events.record(tx, &room_id, kind, &event, Utc::now()).await
}

impl Store {
    /// Records an announced recording (see `upsert_recording_in`).
    pub async fn upsert_recording(&self, recording: &AnnouncedRecording<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        upsert_recording_in(&mut tx, recording).await?;
        tx.commit().await
    }

    /// The recording, and the job that processes it, together.
    pub async fn announce_recording(
        &self,
        recording: &AnnouncedRecording<'_>,
        process: &NewJob<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        upsert_recording_in(&mut tx, recording).await?;
        super::jobs::enqueue_job_in(&mut tx, process, process.run_at).await?;
        tx.commit().await
    }

    pub async fn recording_by_id(&self, id: &str) -> Result<Option<Recording>, StoreError> {
        let recording = on_pool!(self, pool => sqlx::query_as::<_, Recording>("SELECT * FROM recording WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(recording)
    }

    /// Marks a recording failed for good, with the reason kept; false if
    /// there is none or it is stored (a stored recording stays stored).
    pub async fn fail_recording(&self, id: &str, error: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let failed: Option<Recording> = on_tx!(tx, conn => sqlx::query_as(
            "UPDATE recording SET status = 'failed', error = $2 WHERE id = $1 AND status <> 'completed'
             RETURNING *"
        )
            .bind(id)
            .bind(error)
            .fetch_optional(&mut **conn)
            .await?);
        if let Some(recording) = &failed {
            let mut events = RoomEvents::default();
            record_recording_event(&mut tx, &mut events, recording, RoomEventKind::RecordingFailed).await?;
        }
        tx.commit().await?;
        Ok(failed.is_some())
    }
}

impl Store {
    /// The meeting's recordings that were not deleted, oldest first.
    pub async fn recordings_of_meeting(&self, meeting_id: &str) -> Result<Vec<Recording>, StoreError> {
        let recordings = on_pool!(self, pool => sqlx::query_as::<_, Recording>(
            "SELECT * FROM recording WHERE meeting_id = $1 AND deleted_at IS NULL ORDER BY recorded_at, id"
        )
            .bind(meeting_id)
            .fetch_all(pool)
            .await?);
        Ok(recordings)
    }
}

impl Store {
    /// Recordings of every meeting held in the room, newest first.
    pub async fn recordings_of_room(&self, room_id: &str, limit: i64) -> Result<Vec<Recording>, StoreError> {
        let recordings = on_pool!(self, pool => sqlx::query_as::<_, Recording>(
            "SELECT recording.* FROM recording JOIN meeting ON meeting.id = recording.meeting_id
             WHERE meeting.room_id = $1 AND recording.deleted_at IS NULL
             ORDER BY recording.recorded_at DESC, recording.id LIMIT $2"
        )
            .bind(room_id)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(recordings)
    }
}

impl Store {
    /// How many (not deleted) recordings each of the user's rooms has.
    pub async fn recording_counts_of_owner(
        &self,
        user_id: &str,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT meeting.room_id, COUNT(*) FROM recording
             JOIN meeting ON meeting.id = recording.meeting_id
             JOIN room ON room.id = meeting.room_id
             WHERE room.user_id = $1 AND recording.deleted_at IS NULL
             GROUP BY meeting.room_id"
        )
            .bind(user_id)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().collect())
    }
}

/// Our stored copy of a recording.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCopy {
    pub storage_key: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl Store {
    /// A worker started fetching the recording.
    pub async fn mark_recording_processing(&self, id: &str) -> Result<bool, StoreError> {
        self.set_recording_status(id, RecordingStatus::Processing, None)
            .await
    }

    /// An attempt failed and another will follow: back to pending, reason kept.
    pub async fn mark_recording_retrying(&self, id: &str, error: &str) -> Result<bool, StoreError> {
        self.set_recording_status(id, RecordingStatus::Pending, Some(error))
            .await
    }

    async fn set_recording_status(
        &self,
        id: &str,
        status: RecordingStatus,
        error: Option<&str>,
    ) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE recording SET status = $2, error = $3 WHERE id = $1 AND status <> 'completed'"
        )
            .bind(id)
            .bind(status)
            .bind(error)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }

    /// Records our stored copy; false when the recording was deleted
    /// meanwhile (the copy is then the caller's to remove).
    /// The room's webhook hears of it (`recording.ready`) when it wants to.
    pub async fn complete_recording(&self, id: &str, copy: &StoredCopy) -> Result<bool, StoreError> {
        self.complete_recording_then(id, copy, &[], None).await
    }

    /// Marks the recording stored (with its `tracks`, if it has them),
    /// records `recording.ready` and, with `transcription`, creates its
    /// transcript and queues that job: one transaction, so a stored
    /// recording is never left without its transcript job.
    pub async fn complete_recording_then(
        &self,
        id: &str,
        copy: &StoredCopy,
        tracks: &[StoredTrack],
        transcription: Option<&NewJob<'_>>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let stored: Option<Recording> = on_tx!(tx, conn => sqlx::query_as(
            "UPDATE recording SET status = 'completed', error = NULL, storage_key = $2, size_bytes = $3, sha256 = $4,
                stored_tracks = $5
             WHERE id = $1 AND deleted_at IS NULL
             RETURNING *"
        )
            .bind(id)
            .bind(&copy.storage_key)
            .bind(copy.size_bytes)
            .bind(&copy.sha256)
            .bind((!tracks.is_empty()).then_some(Json(tracks)))
            .fetch_optional(&mut **conn)
            .await?);
        if let Some(recording) = &stored {
            let mut events = RoomEvents::default();
            record_recording_event(&mut tx, &mut events, recording, RoomEventKind::RecordingReady).await?;
            if let Some(job) = transcription {
                queue_transcript_in(&mut tx, id, job, Utc::now()).await?;
            }
        }
        tx.commit().await?;
        Ok(stored.is_some())
    }
}
