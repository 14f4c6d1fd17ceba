use chrono::Utc;

use super::jobs::{enqueue_job_in, NewJob};
use super::tx::on_tx;
use super::{on_pool, Store, StoreError};
use crate::types::{NewRoom, Room};

const INSERT_ROOM: &str = "INSERT INTO room (
        id, name, user_id, created_at, zulip_auto_post, zulip_stream, zulip_topic,
        is_locked, room_mode, recording_type, recording_trigger, is_shared,
        webhook_url, webhook_secret, ics_url, ics_fetch_interval, ics_enabled,
        platform, skip_consent, email_transcript_to, store_video, webhook_events, fallback_platforms)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
    RETURNING *";

/// Writes every setting an owner can change; identity, owner and sync
/// bookkeeping are left alone.
/// A new calendar address forgets the old feed's validators and result, and
/// a calendar (re-)enabled is due at once.
const UPDATE_ROOM: &str = "UPDATE room SET
        name = $2, zulip_auto_post = $3, zulip_stream = $4, zulip_topic = $5,
        is_locked = $6, room_mode = $7, recording_type = $8, recording_trigger = $9,
        is_shared = $10, webhook_url = $11, webhook_secret = $12, ics_url = $13,
        ics_fetch_interval = $14, ics_enabled = $15, platform = $16, skip_consent = $17,
        email_transcript_to = $18, store_video = $19, webhook_events = $20, fallback_platforms = $21,
        ics_last_sync = CASE WHEN ics_url IS DISTINCT FROM $13 OR (NOT ics_enabled AND $15)
            THEN NULL ELSE ics_last_sync END,
        ics_last_etag = CASE WHEN ics_url IS DISTINCT FROM $13 THEN NULL ELSE ics_last_etag END,
        ics_last_modified = CASE WHEN ics_url IS DISTINCT FROM $13 THEN NULL ELSE ics_last_modified END,
        ics_last_result = CASE WHEN ics_url IS DISTINCT FROM $13 THEN NULL ELSE ics_last_result END
    WHERE id = $1
    RETURNING *";

impl Store {
    pub async fn insert_room(&self, room: &NewRoom) -> Result<Room, StoreError> {
        let id = uuid::Uuid::new_v4().to_string();
        let created = on_pool!(self, pool => sqlx::query_as::<_, Room>(INSERT_ROOM)
            .bind(&id)
            .bind(&room.name)
            .bind(&room.user_id)
            .bind(Utc::now())
            .bind(room.zulip_auto_post)
            .bind(&room.zulip_stream)
            .bind(&room.zulip_topic)
            .bind(room.is_locked)
            .bind(room.room_mode)
            .bind(room.recording_type)
            .bind(room.recording_trigger)
            .bind(room.is_shared)
            .bind(&room.webhook_url)
            .bind(&room.webhook_secret)
            .bind(&room.ics_url)
            .bind(room.ics_fetch_interval)
            .bind(room.ics_enabled)
            .bind(room.platform)
            .bind(room.skip_consent)
            .bind(&room.email_transcript_to)
            .bind(room.store_video)
            .bind(room.webhook_events.to_column())
            .bind(room.fallback_platforms.to_column())
            .fetch_one(pool)
            .await?);
        Ok(created)
    }

    pub async fn update_room(&self, room: &Room) -> Result<Room, StoreError> {
        let updated = on_pool!(self, pool => sqlx::query_as::<_, Room>(UPDATE_ROOM)
            .bind(&room.id)
            .bind(&room.name)
            .bind(room.zulip_auto_post)
            .bind(&room.zulip_stream)
            .bind(&room.zulip_topic)
            .bind(room.is_locked)
            .bind(room.room_mode)
            .bind(room.recording_type)
            .bind(room.recording_trigger)
            .bind(room.is_shared)
            .bind(&room.webhook_url)
            .bind(&room.webhook_secret)
            .bind(&room.ics_url)
            .bind(room.ics_fetch_interval)
            .bind(room.ics_enabled)
            .bind(room.platform)
            .bind(room.skip_consent)
            .bind(&room.email_transcript_to)
            .bind(room.store_video)
            .bind(room.webhook_events.to_column())
            .bind(room.fallback_platforms.to_column())
            .fetch_one(pool)
            .await?);
        Ok(updated)
    }

    pub async fn room_by_id(&self, id: &str) -> Result<Option<Room>, StoreError> {
        let room = on_pool!(self, pool => sqlx::query_as::<_, Room>("SELECT * FROM room WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(room)
    }

    pub async fn room_by_name(&self, name: &str) -> Result<Option<Room>, StoreError> {
        let room = on_pool!(self, pool => sqlx::query_as::<_, Room>("SELECT * FROM room WHERE name = $1")
            .bind(name)
            .fetch_optional(pool)
            .await?);
        Ok(room)
    }

    /// Rooms `user_id` owns plus every shared room (only shared rooms when
    /// `user_id` is `None`), newest first.
    pub async fn rooms_visible_to(
        &self,
        user_id: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Room>, i64), StoreError> {
        let (rooms, total) = on_pool!(self, pool => {
            let rooms = sqlx::query_as::<_, Room>(
                "SELECT * FROM room WHERE (is_shared OR user_id = $1) ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
            )
            .bind(user_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM room WHERE (is_shared OR user_id = $1)")
                .bind(user_id)
                .fetch_one(pool)
                .await?;
            (rooms, total)
        });
        Ok((rooms, total))
    }

    pub async fn count_rooms(&self) -> Result<i64, StoreError> {
        let count = on_pool!(self, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM room")
            .fetch_one(pool)
            .await?);
        Ok(count)
    }

    /// Deletes the room with its meetings, events, sessions and consents.
    /// Returns whether a room was deleted.
    /// Deletes the room with its meetings; the recordings of those meetings
    /// are marked deleted and `purge` (queued in the same transaction)
    /// removes them from storage. Answers how many recordings went, or None
    /// when there was no such room.
    pub async fn delete_room(&self, id: &str, purge: &NewJob<'_>) -> Result<Option<u64>, StoreError> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let recordings = on_tx!(tx, conn => sqlx::query(
            "UPDATE recording SET deleted_at = $2
             WHERE deleted_at IS NULL AND meeting_id IN (SELECT id FROM meeting WHERE room_id = $1)"
        )
            .bind(id)
            .bind(now)
            .execute(&mut **conn)
            .await?
            .rows_affected());
        let deleted = on_tx!(tx, conn => sqlx::query("DELETE FROM room WHERE id = $1")
            .bind(id)
            .execute(&mut **conn)
            .await?
            .rows_affected());
        if deleted == 0 {
            return Ok(None);
        }
        if recordings > 0 {
            enqueue_job_in(&mut tx, purge, purge.run_at).await?;
        }
        tx.commit().await?;
        Ok(Some(recordings))
    }
}
