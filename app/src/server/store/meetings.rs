use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::room_events::RoomEvents;
use super::sessions::close_sessions_in;
use super::tx::{on_tx, Tx};
use super::{on_pool, Store, StoreError};
use crate::types::{Meeting, MeetingEvent, NewMeeting, Platform, Room, RoomEventKind};

/// `Meeting::is_live` in SQL, with `$1` the current time.
macro_rules! live_meeting_sql {
    () => {
        "meeting.is_active AND meeting.end_date > $1"
    };
}

const INSERT_MEETING: &str = "INSERT INTO meeting (
        id, room_name, room_url, host_room_url, start_date, end_date, room_id,
        is_locked, room_mode, recording_type, recording_trigger, platform, store_video,
        calendar_event_id, calendar_metadata, failover_from, failover_reason)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
    RETURNING *";

/// A room's live meetings and the people in them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LiveTotals {
    pub meetings: i64,
    pub participants: i64,
    /// When the earliest of the live meetings started.
    pub since: Option<DateTime<Utc>>,
    /// A live meeting on a fallback platform: (the room's platform, where it runs).
    pub failover: Option<(Platform, Platform)>,
}

impl Store {
    /// Records a meeting the platform created for `room`, copying the room's
    /// settings into it.
    pub async fn insert_meeting(&self, room: &Room, meeting: &NewMeeting) -> Result<Meeting, StoreError> {
        let _write = self.write_turn().await;
        let created = on_pool!(self, pool => sqlx::query_as::<_, Meeting>(INSERT_MEETING)
            .bind(&meeting.id)
            .bind(&meeting.room_name)
            .bind(&meeting.room_url)
            .bind(&meeting.host_room_url)
            .bind(meeting.start_date)
            .bind(meeting.end_date)
            .bind(&room.id)
            .bind(room.is_locked)
            .bind(room.room_mode)
            .bind(room.recording_type)
            .bind(room.recording_trigger)
            .bind(meeting.platform)
            .bind(room.store_video)
            .bind(&meeting.calendar_event_id)
            .bind(meeting.calendar_metadata.as_ref().map(Json))
            .bind(meeting.failover.as_ref().map(|f| f.from))
            .bind(meeting.failover.as_ref().map(|f| f.reason.as_str()))
            .fetch_one(pool)
            .await?);
        Ok(created)
    }

    pub async fn meeting_by_id(&self, id: &str) -> Result<Option<Meeting>, StoreError> {
        let meeting = on_pool!(self, pool => sqlx::query_as::<_, Meeting>("SELECT * FROM meeting WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(meeting)
    }

    /// Every active meeting (the lifecycle jobs' work list), optionally of one platform.
    pub async fn all_active_meetings(&self, platform: Option<Platform>) -> Result<Vec<Meeting>, StoreError> {
        let meetings = on_pool!(self, pool => sqlx::query_as::<_, Meeting>(
            "SELECT * FROM meeting WHERE is_active AND ($1 IS NULL OR platform = $1) ORDER BY start_date, id"
        )
            .bind(platform.map(Platform::as_str))
            .fetch_all(pool)
            .await?);
        Ok(meetings)
    }

    /// The room's meetings that are active and not yet past their end, latest end first.
    pub async fn active_meetings_for_room(
        &self,
        room_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Meeting>, StoreError> {
        let meetings = on_pool!(self, pool => sqlx::query_as::<_, Meeting>(
            concat!("SELECT * FROM meeting WHERE ", live_meeting_sql!(), " AND room_id = $2 ORDER BY end_date DESC, id")
        )
            .bind(now)
            .bind(room_id)
            .fetch_all(pool)
            .await?);
        Ok(meetings)
    }

    /// For every room with live meetings: how many, and how many people are
    /// in them, in one query for a whole rooms list.
    pub async fn live_meeting_totals(
        &self,
        now: DateTime<Utc>,
    ) -> Result<std::collections::HashMap<String, LiveTotals>, StoreError> {
        type Row = (String, i64, i64, Option<DateTime<Utc>>, Option<String>);
        // One failed-over meeting's pair, `from,to`, never two meetings' halves.
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            concat!("SELECT room_id, COUNT(*), CAST(COALESCE(SUM(num_clients), 0) AS BIGINT),
                    MIN(start_date),
                    MAX(CASE WHEN failover_from IS NOT NULL THEN failover_from || ',' || platform END)
             FROM meeting
             WHERE room_id IS NOT NULL AND ", live_meeting_sql!(), " GROUP BY room_id")
        )
            .bind(now)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(room_id, meetings, participants, since, failover)| {
                let failover = failover.as_deref().and_then(|pair| {
                    let (from, to) = pair.split_once(',')?;
                    Some((from.parse().ok()?, to.parse().ok()?))
                });
                (
                    room_id,
                    LiveTotals {
                        meetings,
                        participants,
                        since,
                        failover,
                    },
                )
            })
            .collect())
    }

    /// The meeting made for a calendar event instance, if any (active or not).
    pub async fn meeting_for_calendar_event(&self, event_id: &str) -> Result<Option<Meeting>, StoreError> {
        let meeting = on_pool!(self, pool => sqlx::query_as::<_, Meeting>(
            "SELECT * FROM meeting WHERE calendar_event_id = $1"
        )
            .bind(event_id)
            .fetch_optional(pool)
            .await?);
        Ok(meeting)
    }

    /// Active meetings made for calendar events.
    pub async fn active_calendar_meetings(&self) -> Result<Vec<Meeting>, StoreError> {
        let meetings = on_pool!(self, pool => sqlx::query_as::<_, Meeting>(
            "SELECT * FROM meeting WHERE is_active AND calendar_event_id IS NOT NULL ORDER BY start_date, id"
        )
            .fetch_all(pool)
            .await?);
        Ok(meetings)
    }

    /// Moves a meeting's times (its calendar event moved).
    pub async fn reschedule_meeting(
        &self,
        id: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query("UPDATE meeting SET start_date = $2, end_date = $3 WHERE id = $1")
            .bind(id)
            .bind(start)
            .bind(end)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Ends the meeting: its open sessions close at `at`, it is no longer active.
    pub async fn end_meeting(&self, id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        end_meeting_in(&mut tx, id, at).await?;
        tx.commit().await
    }
}

pub(super) async fn end_meeting_in(
    tx: &mut Tx,
    meeting_id: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    close_sessions_in(tx, meeting_id, None, at).await?;
    let ended = on_tx!(tx, conn => sqlx::query(
        "UPDATE meeting SET is_active = FALSE, num_clients = 0 WHERE id = $1 AND is_active"
    )
        .bind(meeting_id)
        .execute(&mut **conn)
        .await?
        .rows_affected());
    if ended > 0 {
        record_meeting_ended(tx, meeting_id, at).await?;
    }
    Ok(())
}

async fn record_meeting_ended(tx: &mut Tx, meeting_id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    let mut events = RoomEvents::default();
    let Some((room_id, meeting)) = events.meeting(tx, meeting_id).await? else {
        return Ok(());
    };
    if !events.wants(tx, &room_id, RoomEventKind::MeetingEnded).await? {
        return Ok(());
    }
    let (sessions,): (i64,) = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COUNT(*) FROM participant_session WHERE meeting_id = $1"
    )
        .bind(meeting_id)
        .fetch_one(&mut **conn)
        .await?);
    let ended = MeetingEvent {
        meeting,
        at,
        participants: Some(sessions),
    };
    events
        .record(tx, &room_id, RoomEventKind::MeetingEnded, &ended, at)
        .await
}
