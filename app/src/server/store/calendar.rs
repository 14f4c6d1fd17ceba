//! Calendar events of rooms: one row per event instance, written by a sync
//! in one transaction (upserts, restorations, soft deletions and the sync's
//! result on the room together).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::tx::on_tx;
use super::{on_pool, Store, StoreError};
use crate::types::{Attendee, CalendarEvent, IcsSyncResult, Room};

/// An event instance a feed holds for a room, as a sync found it.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundInstance {
    pub uid: String,
    /// The instance's original start for recurring events, "" otherwise.
    pub instance_key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub all_day: bool,
    pub attendees: Vec<Attendee>,
}

/// A stored event instance.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: String,
    pub room_id: String,
    pub ics_uid: String,
    pub instance_key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub all_day: bool,
    #[sqlx(json(nullable))]
    pub attendees: Option<Vec<Attendee>>,
    pub location: Option<String>,
    pub last_synced: DateTime<Utc>,
    pub is_deleted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl StoredEvent {
    /// What people see it called (an event may have no SUMMARY).
    pub fn shown_title(&self) -> String {
        self.title.clone().unwrap_or_else(|| "Scheduled meeting".into())
    }

    pub fn view(self) -> CalendarEvent {
        CalendarEvent {
            id: self.id,
            room_id: self.room_id,
            ics_uid: self.ics_uid,
            title: self.title,
            description: self.description,
            start_time: self.start_time,
            end_time: self.end_time,
            all_day: self.all_day,
            attendees: self.attendees,
            location: self.location,
            last_synced: self.last_synced,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    fn differs_from(&self, found: &FoundInstance) -> bool {
        self.is_deleted
            || self.title != found.title
            || self.description != found.description
            || self.location != found.location
            || self.start_time != found.start
            || self.end_time != found.end
            || self.all_day != found.all_day
            || self.attendees.as_deref().unwrap_or_default() != found.attendees.as_slice()
    }
}

/// The last result, ETag and Last-Modified of a room's feed.
type SyncStateRow = (Option<Json<IcsSyncResult>>, Option<String>, Option<String>);

/// What a sync changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncChanges {
    pub created: i64,
    pub updated: i64,
    pub deleted: i64,
}

/// The feed's validators, for the next conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedValidators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Store {
    /// Makes the room's stored events what the feed holds: instances found
    /// are inserted, or updated (and restored if they had been deleted)
    /// when anything about them changed; the room's events that have not
    /// ended and are no longer in the feed are soft-deleted. The counts go
    /// into `result`, which is recorded on the room with the validators.
    pub async fn apply_calendar_sync(
        &self,
        room_id: &str,
        found: &[FoundInstance],
        validators: &FeedValidators,
        result: &mut IcsSyncResult,
    ) -> Result<SyncChanges, StoreError> {
        let now = result.synced_at;
        let mut tx = self.begin_write().await?;
        let existing: Vec<StoredEvent> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT * FROM calendar_event WHERE room_id = $1"
        )
            .bind(room_id)
            .fetch_all(&mut **conn)
            .await?);
        let mut by_key: HashMap<(&str, &str), &StoredEvent> = existing
            .iter()
            .map(|event| ((event.ics_uid.as_str(), event.instance_key.as_str()), event))
            .collect();
        let mut changes = SyncChanges::default();
        for instance in found {
            let attendees = Json(&instance.attendees);
            match by_key.remove(&(instance.uid.as_str(), instance.instance_key.as_str())) {
                Some(stored) if !stored.differs_from(instance) => {}
                Some(stored) => {
                    on_tx!(tx, conn => { sqlx::query(
                        "UPDATE calendar_event SET title = $2, description = $3, location = $4, start_time = $5,
                                end_time = $6, all_day = $7, attendees = $8, is_deleted = FALSE,
                                last_synced = $9, updated_at = $9
                         WHERE id = $1"
                    )
                        .bind(&stored.id)
                        .bind(&instance.title)
                        .bind(&instance.description)
                        .bind(&instance.location)
                        .bind(instance.start)
                        .bind(instance.end)
                        .bind(instance.all_day)
                        .bind(attendees)
                        .bind(now)
                        .execute(&mut **conn)
                        .await?; });
                    changes.updated += 1;
                }
                None => {
                    on_tx!(tx, conn => { sqlx::query(
                        "INSERT INTO calendar_event (id, room_id, ics_uid, instance_key, title, description, location,
                                start_time, end_time, all_day, attendees, last_synced, is_deleted, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, FALSE, $12, $12)"
                    )
                        .bind(uuid::Uuid::new_v4().to_string())
                        .bind(room_id)
                        .bind(&instance.uid)
                        .bind(&instance.instance_key)
                        .bind(&instance.title)
                        .bind(&instance.description)
                        .bind(&instance.location)
                        .bind(instance.start)
                        .bind(instance.end)
                        .bind(instance.all_day)
                        .bind(attendees)
                        .bind(now)
                        .execute(&mut **conn)
                        .await?; });
                    changes.created += 1;
                }
            }
        }
        // Left over: stored instances the feed no longer holds.
        for gone in by_key
            .values()
            .filter(|event| !event.is_deleted && event.end_time > now)
        {
            on_tx!(tx, conn => { sqlx::query(
                "UPDATE calendar_event SET is_deleted = TRUE, updated_at = $2 WHERE id = $1"
            )
                .bind(&gone.id)
                .bind(now)
                .execute(&mut **conn)
                .await?; });
            changes.deleted += 1;
        }
        result.events_created = changes.created;
        result.events_updated = changes.updated;
        result.events_deleted = changes.deleted;
        on_tx!(tx, conn => { sqlx::query(
            "UPDATE room SET ics_last_sync = $2, ics_last_etag = $3, ics_last_modified = $4, ics_last_result = $5
             WHERE id = $1"
        )
            .bind(room_id)
            .bind(now)
            .bind(&validators.etag)
            .bind(&validators.last_modified)
            .bind(Json(&*result))
            .execute(&mut **conn)
            .await?; });
        tx.commit().await?;
        Ok(changes)
    }

    /// Records a sync that wrote no events (the feed was unchanged, or could
    /// not be had): only when it ran and how it ended.
    pub async fn record_calendar_check(
        &self,
        room_id: &str,
        result: &IcsSyncResult,
    ) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query(
            "UPDATE room SET ics_last_sync = $2, ics_last_result = $3 WHERE id = $1"
        )
            .bind(room_id)
            .bind(result.synced_at)
            .bind(Json(result))
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// The last sync's result and validators of the room's feed.
    pub async fn calendar_sync_state(
        &self,
        room_id: &str,
    ) -> Result<(Option<IcsSyncResult>, FeedValidators), StoreError> {
        let row: Option<SyncStateRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT ics_last_result, ics_last_etag, ics_last_modified FROM room WHERE id = $1"
        )
            .bind(room_id)
            .fetch_optional(pool)
            .await?);
        let Some((result, etag, last_modified)) = row else {
            return Err(StoreError::NotFound);
        };
        Ok((result.map(|json| json.0), FeedValidators { etag, last_modified }))
    }

    /// The room's events that are not deleted, by start; only those ending
    /// after `from` and starting before `until` when given.
    pub async fn calendar_events(
        &self,
        room_id: &str,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let events = on_pool!(self, pool => sqlx::query_as::<_, StoredEvent>(
            "SELECT * FROM calendar_event
             WHERE room_id = $1 AND NOT is_deleted AND ($2 IS NULL OR end_time > $2) AND ($3 IS NULL OR start_time <= $3)
             ORDER BY start_time, id"
        )
            .bind(room_id)
            .bind(from)
            .bind(until)
            .fetch_all(pool)
            .await?);
        Ok(events)
    }

    pub async fn calendar_event_by_id(&self, id: &str) -> Result<Option<StoredEvent>, StoreError> {
        let event = on_pool!(self, pool => sqlx::query_as::<_, StoredEvent>("SELECT * FROM calendar_event WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(event)
    }

    pub async fn calendar_event_count(&self, room_id: &str) -> Result<i64, StoreError> {
        let count = on_pool!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM calendar_event WHERE room_id = $1 AND NOT is_deleted"
        )
            .bind(room_id)
            .fetch_one(pool)
            .await?);
        Ok(count)
    }

    /// Rooms whose calendar is due: enabled, and never synced or synced at
    /// least their interval ago.
    pub async fn rooms_due_for_calendar_sync(&self, now: DateTime<Utc>) -> Result<Vec<Room>, StoreError> {
        let rooms = on_pool!(self, pool => sqlx::query_as::<_, Room>(
            "SELECT * FROM room WHERE ics_enabled AND ics_url IS NOT NULL ORDER BY id"
        )
            .fetch_all(pool)
            .await?);
        Ok(rooms
            .into_iter()
            .filter(|room| match room.ics_last_sync {
                None => true,
                Some(last) => now - last >= chrono::Duration::seconds(room.ics_fetch_interval),
            })
            .collect())
    }

    /// Event instances starting by `until` and not yet over, of rooms that
    /// sync a calendar, that have no meeting yet.
    pub async fn calendar_events_without_meeting(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let events = on_pool!(self, pool => sqlx::query_as::<_, StoredEvent>(
            "SELECT calendar_event.* FROM calendar_event
             JOIN room ON room.id = calendar_event.room_id
             WHERE room.ics_enabled AND NOT calendar_event.is_deleted
               AND calendar_event.start_time <= $2 AND calendar_event.end_time > $1
               AND NOT EXISTS (SELECT 1 FROM meeting WHERE meeting.calendar_event_id = calendar_event.id)
             ORDER BY calendar_event.start_time, calendar_event.id"
        )
            .bind(now)
            .bind(until)
            .fetch_all(pool)
            .await?);
        Ok(events)
    }

    /// The first event not yet over of each of the rooms, for the rooms list.
    pub async fn next_calendar_events(
        &self,
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, StoredEvent>, StoreError> {
        let events = on_pool!(self, pool => sqlx::query_as::<_, StoredEvent>(
            "SELECT * FROM calendar_event
             WHERE NOT is_deleted AND end_time > $1 AND start_time <= $2
             ORDER BY room_id, start_time, id"
        )
            .bind(now)
            .bind(now + chrono::Duration::days(2))
            .fetch_all(pool)
            .await?);
        let mut next = HashMap::new();
        for event in events {
            next.entry(event.room_id.clone()).or_insert(event);
        }
        Ok(next)
    }
}
