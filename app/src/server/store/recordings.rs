use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::{on_pool, Store, StoreError};
use crate::types::{Platform, RecordingStatus};

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

impl Store {
    /// Creates the recording, or fills in what a later announcement adds
    /// (location, tracks) without moving its status backwards.
    pub async fn upsert_recording(
        &self,
        recording: &AnnouncedRecording<'_>,
    ) -> Result<Recording, StoreError> {
        let _write = self.write_turn().await;
        let stored = on_pool!(self, pool => sqlx::query_as::<_, Recording>(
            "INSERT INTO recording (id, meeting_id, platform, bucket_name, object_key, recorded_at, status, track_keys)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)
             ON CONFLICT (id) DO UPDATE SET
                meeting_id = COALESCE(recording.meeting_id, excluded.meeting_id),
                platform = COALESCE(recording.platform, excluded.platform),
                bucket_name = CASE WHEN excluded.bucket_name <> '' THEN excluded.bucket_name ELSE recording.bucket_name END,
                object_key = CASE WHEN excluded.object_key <> '' THEN excluded.object_key ELSE recording.object_key END,
                track_keys = COALESCE(excluded.track_keys, recording.track_keys)
             RETURNING *"
        )
            .bind(recording.id)
            .bind(recording.meeting_id)
            .bind(recording.platform)
            .bind(recording.bucket_name)
            .bind(recording.object_key)
            .bind(recording.recorded_at)
            .bind(recording.track_keys.as_ref().map(Json))
            .fetch_one(pool)
            .await?);
        Ok(stored)
    }

    pub async fn recording_by_id(&self, id: &str) -> Result<Option<Recording>, StoreError> {
        let recording = on_pool!(self, pool => sqlx::query_as::<_, Recording>("SELECT * FROM recording WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(recording)
    }

    /// Marks a recording failed with the reason kept; false if there is none.
    /// A stored recording stays stored.
    pub async fn fail_recording(&self, id: &str, error: &str) -> Result<bool, StoreError> {
        self.set_recording_status(id, RecordingStatus::Failed, Some(error))
            .await
    }
}

impl Store {
    /// Fails the meeting's recordings that have not completed; answers how many.
    pub async fn fail_unfinished_recordings(&self, meeting_id: &str, error: &str) -> Result<u64, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE recording SET status = 'failed', error = $2
             WHERE meeting_id = $1 AND status IN ('pending', 'processing')"
        )
            .bind(meeting_id)
            .bind(error)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed)
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

    pub async fn complete_recording(&self, id: &str, copy: &StoredCopy) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE recording SET status = 'completed', error = NULL, storage_key = $2, size_bytes = $3, sha256 = $4
             WHERE id = $1"
        )
            .bind(id)
            .bind(&copy.storage_key)
            .bind(copy.size_bytes)
            .bind(&copy.sha256)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }
}
