//! Participant sessions and the meeting's `num_clients`. Every write here
//! first locks the meetings' rows in id order (`lock_meetings`), so
//! concurrent writers of one meeting (in any process) take turns, each
//! recount sees the others' sessions, and two writers never wait on each
//! other in opposite orders.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::room_events::RoomEvents;
use super::tx::{on_tx, Tx, TxConn};
use super::{on_pool, Store, StoreError};
use crate::types::{EventParticipant, Meeting, MeetingEvent, ParticipantEvent, RoomEventKind};

const PRESENCE_EVENTS: [RoomEventKind; 3] = [
    RoomEventKind::MeetingStarted,
    RoomEventKind::ParticipantJoined,
    RoomEventKind::ParticipantLeft,
];

/// A leave is never undone by a late join; the earliest join time wins.
const UPSERT_SESSION: &str =
    "INSERT INTO participant_session (id, meeting_id, room_id, session_id, user_id, user_name, joined_at, left_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET
        user_id = COALESCE(excluded.user_id, participant_session.user_id),
        user_name = COALESCE(excluded.user_name, participant_session.user_name),
        joined_at = CASE WHEN excluded.joined_at < participant_session.joined_at
                         THEN excluded.joined_at ELSE participant_session.joined_at END,
        left_at = COALESCE(participant_session.left_at, excluded.left_at)";

const RECOUNT_OPEN_SESSIONS: &str = "UPDATE meeting SET num_clients =
        (SELECT COUNT(*) FROM participant_session WHERE meeting_id = $1 AND left_at IS NULL)
     WHERE id = $1";

/// Takes the meetings' row locks for the rest of the transaction, in id
/// order (PostgreSQL only: see `lock_meetings`).
const LOCK_MEETINGS: &str = "SELECT id FROM meeting WHERE id = ANY($1) ORDER BY id FOR UPDATE";

/// A participant's visit as a platform reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvent<'a> {
    pub session_id: &'a str,
    pub user_id: Option<&'a str>,
    pub user_name: Option<&'a str>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

/// A session to write, with the meeting it belongs to.
pub(super) struct SessionWrite<'a> {
    pub meeting_id: &'a str,
    pub room_id: &'a str,
    pub visit: SessionEvent<'a>,
    /// The platform's own count of the meeting's participants, which then
    /// wins over our recount (Whereby counts its clients itself).
    pub reported_clients: Option<i64>,
}

/// A session still open, as we know it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenSession {
    pub session_id: String,
    pub joined_at: DateTime<Utc>,
}

/// Locks the meetings' rows in id order, in one round trip. SQLite needs no
/// row locks: a transaction that writes holds the whole database, and ours
/// start with a write, so they always read what the previous writer committed.
pub(super) async fn lock_meetings<'a>(
    tx: &mut Tx,
    meeting_ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), StoreError> {
    let TxConn::Postgres(conn) = &mut tx.conn else {
        return Ok(());
    };
    let ids: Vec<&str> = meeting_ids
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !ids.is_empty() {
        sqlx::query(LOCK_MEETINGS)
            .bind(ids)
            .fetch_all(&mut **conn)
            .await?;
    }
    Ok(())
}

/// Upserts the sessions and recounts their meetings; the caller has locked
/// the meetings (`lock_meetings`). Rooms whose webhook wants them get the
/// joins, leaves and meeting starts these writes are.
pub(super) async fn write_sessions(tx: &mut Tx, writes: &[SessionWrite<'_>]) -> Result<(), StoreError> {
    let mut events = RoomEvents::default();
    for write in writes {
        let visit = &write.visit;
        let before = if events.wants_any(tx, write.room_id, &PRESENCE_EVENTS).await? {
            Some(session_before(tx, write).await?)
        } else {
            None
        };
        on_tx!(tx, conn => { sqlx::query(UPSERT_SESSION)
            .bind(format!("{}:{}", write.meeting_id, visit.session_id))
            .bind(write.meeting_id)
            .bind(write.room_id)
            .bind(visit.session_id)
            .bind(visit.user_id)
            .bind(visit.user_name)
            .bind(visit.joined_at)
            .bind(visit.left_at)
            .execute(&mut **conn)
            .await?; });
        if let Some(before) = before {
            record_presence(tx, &mut events, write, before).await?;
        }
    }
    let touched: BTreeSet<&str> = writes.iter().map(|write| write.meeting_id).collect();
    for meeting_id in touched {
        on_tx!(tx, conn => { sqlx::query(RECOUNT_OPEN_SESSIONS).bind(meeting_id).execute(&mut **conn).await?; });
    }
    for write in writes {
        if let Some(count) = write.reported_clients {
            set_num_clients_in(tx, write.meeting_id, count).await?;
        }
    }
    Ok(())
}

/// What a session was before a write: absent, open or closed, and whether
/// its meeting had any session yet.
#[derive(Clone, Copy)]
struct SessionBefore {
    existed: bool,
    open: bool,
    meeting_had_sessions: bool,
}

async fn session_before(tx: &mut Tx, write: &SessionWrite<'_>) -> Result<SessionBefore, StoreError> {
    let row: Option<(Option<DateTime<Utc>>,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT left_at FROM participant_session WHERE id = $1"
    )
        .bind(format!("{}:{}", write.meeting_id, write.visit.session_id))
        .fetch_optional(&mut **conn)
        .await?);
    let meeting_had_sessions = match row {
        Some(_) => true,
        None => on_tx!(tx, conn => sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM participant_session WHERE meeting_id = $1 LIMIT 1) AS any_session"
        )
            .bind(write.meeting_id)
            .fetch_one(&mut **conn)
            .await?).0 > 0,
    };
    Ok(SessionBefore {
        existed: row.is_some(),
        open: row.is_some_and(|(left_at,)| left_at.is_none()),
        meeting_had_sessions,
    })
}

/// The events one session write is: the meeting's first join starts it; a
/// new session is a join; a leave of a session not yet closed is a leave.
async fn record_presence(
    tx: &mut Tx,
    events: &mut RoomEvents,
    write: &SessionWrite<'_>,
    before: SessionBefore,
) -> Result<(), StoreError> {
    let Some((room_id, meeting)) = events.meeting(tx, write.meeting_id).await? else {
        return Ok(());
    };
    let visit = &write.visit;
    if !before.meeting_had_sessions {
        let started = MeetingEvent {
            meeting: meeting.clone(),
            at: visit.joined_at,
            participants: None,
        };
        events
            .record(
                tx,
                &room_id,
                RoomEventKind::MeetingStarted,
                &started,
                visit.joined_at,
            )
            .await?;
    }
    let participant = |left_at| ParticipantEvent {
        meeting: meeting.clone(),
        participant: EventParticipant {
            session_id: visit.session_id.to_owned(),
            name: visit.user_name.map(str::to_owned),
            joined_at: visit.joined_at,
            left_at,
        },
    };
    if !before.existed {
        events
            .record(
                tx,
                &room_id,
                RoomEventKind::ParticipantJoined,
                &participant(None),
                visit.joined_at,
            )
            .await?;
    }
    if let Some(left_at) = visit.left_at.filter(|_| !before.existed || before.open) {
        let left_at = left_at.max(visit.joined_at);
        events
            .record(
                tx,
                &room_id,
                RoomEventKind::ParticipantLeft,
                &participant(Some(left_at)),
                left_at,
            )
            .await?;
    }
    Ok(())
}

/// Closes open sessions of the meeting at `at` (all of them, or only the
/// named ones) and recounts; each close is a leave for the room's webhook.
pub(super) async fn close_sessions_in(
    tx: &mut Tx,
    meeting_id: &str,
    only: Option<&[String]>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    lock_meetings(tx, [meeting_id]).await?;
    record_closes(tx, meeting_id, only, at).await?;
    const CLOSE: &str =
        "UPDATE participant_session SET left_at = CASE WHEN joined_at > $2 THEN joined_at ELSE $2 END
         WHERE meeting_id = $1 AND left_at IS NULL AND ($3 IS NULL OR session_id = $3)";
    let targets: Vec<Option<&str>> = match only {
        None => vec![None],
        Some(session_ids) => session_ids.iter().map(|id| Some(id.as_str())).collect(),
    };
    for session_id in targets {
        on_tx!(tx, conn => { sqlx::query(CLOSE)
            .bind(meeting_id)
            .bind(at)
            .bind(session_id)
            .execute(&mut **conn)
            .await?; });
    }
    on_tx!(tx, conn => { sqlx::query(RECOUNT_OPEN_SESSIONS).bind(meeting_id).execute(&mut **conn).await?; });
    Ok(())
}

async fn record_closes(
    tx: &mut Tx,
    meeting_id: &str,
    only: Option<&[String]>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut events = RoomEvents::default();
    let Some((room_id, meeting)) = events.meeting(tx, meeting_id).await? else {
        return Ok(());
    };
    if !events.wants(tx, &room_id, RoomEventKind::ParticipantLeft).await? {
        return Ok(());
    }
    let open: Vec<(String, Option<String>, DateTime<Utc>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT session_id, user_name, joined_at FROM participant_session
         WHERE meeting_id = $1 AND left_at IS NULL ORDER BY joined_at, session_id"
    )
        .bind(meeting_id)
        .fetch_all(&mut **conn)
        .await?);
    for (session_id, name, joined_at) in open {
        if only.is_some_and(|named| !named.contains(&session_id)) {
            continue;
        }
        let left_at = at.max(joined_at);
        let left = ParticipantEvent {
            meeting: meeting.clone(),
            participant: EventParticipant {
                session_id,
                name,
                joined_at,
                left_at: Some(left_at),
            },
        };
        events
            .record(tx, &room_id, RoomEventKind::ParticipantLeft, &left, left_at)
            .await?;
    }
    Ok(())
}

pub(super) async fn set_num_clients_in(tx: &mut Tx, meeting_id: &str, count: i64) -> Result<(), StoreError> {
    on_tx!(tx, conn => { sqlx::query("UPDATE meeting SET num_clients = $2 WHERE id = $1")
        .bind(meeting_id)
        .bind(count.max(0))
        .execute(&mut **conn)
        .await?; });
    Ok(())
}

impl Store {
    /// The meeting a platform calls `platform_room_name`, newest first.
    pub async fn meeting_by_platform_room(
        &self,
        platform_room_name: &str,
    ) -> Result<Option<Meeting>, StoreError> {
        let meeting = on_pool!(self, pool => sqlx::query_as::<_, Meeting>(
            "SELECT * FROM meeting WHERE room_name = $1 ORDER BY start_date DESC, id LIMIT 1"
        )
            .bind(platform_room_name)
            .fetch_optional(pool)
            .await?);
        Ok(meeting)
    }

    /// Records a join or a leave, in whatever order they arrive: a leave is
    /// never undone by a late join, and `num_clients` is recounted from the
    /// open sessions.
    pub async fn record_session(
        &self,
        meeting: &Meeting,
        event: &SessionEvent<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let write = SessionWrite {
            meeting_id: &meeting.id,
            room_id: meeting.room_id.as_deref().unwrap_or_default(),
            visit: event.clone(),
            reported_clients: None,
        };
        lock_meetings(&mut tx, [write.meeting_id]).await?;
        write_sessions(&mut tx, std::slice::from_ref(&write)).await?;
        tx.commit().await
    }

    /// Closes the named open sessions at `at` (a platform no longer sees them).
    pub async fn close_sessions(
        &self,
        meeting_id: &str,
        session_ids: &[String],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        close_sessions_in(&mut tx, meeting_id, Some(session_ids), at).await?;
        tx.commit().await
    }

    /// Sets the participant count a platform reported directly.
    pub async fn set_num_clients(&self, meeting_id: &str, count: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        lock_meetings(&mut tx, [meeting_id]).await?;
        set_num_clients_in(&mut tx, meeting_id, count).await?;
        tx.commit().await
    }

    /// How many sessions the meeting has had, and how many are still open.
    pub async fn session_counts(&self, meeting_id: &str) -> Result<(i64, i64), StoreError> {
        let counts = on_pool!(self, pool => sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COUNT(*) - COUNT(left_at) FROM participant_session WHERE meeting_id = $1"
        )
            .bind(meeting_id)
            .fetch_one(pool)
            .await?);
        Ok(counts)
    }

    /// The meeting's sessions still open, by platform session id.
    pub async fn open_sessions(&self, meeting_id: &str) -> Result<Vec<OpenSession>, StoreError> {
        let sessions = on_pool!(self, pool => sqlx::query_as::<_, OpenSession>(
            "SELECT session_id, joined_at FROM participant_session
             WHERE meeting_id = $1 AND left_at IS NULL ORDER BY session_id"
        )
            .bind(meeting_id)
            .fetch_all(pool)
            .await?);
        Ok(sessions)
    }

    /// The names people gave in the meeting, by platform session id.
    pub async fn session_names(
        &self,
        meeting_id: &str,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let names = on_pool!(self, pool => sqlx::query_as::<_, (String, String)>(
            "SELECT session_id, user_name FROM participant_session
             WHERE meeting_id = $1 AND user_name IS NOT NULL AND user_name <> ''"
        )
            .bind(meeting_id)
            .fetch_all(pool)
            .await?);
        Ok(names.into_iter().collect())
    }
}
