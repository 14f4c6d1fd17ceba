//! Participant sessions and the meeting's `num_clients`. Every write here
//! first locks the meetings' rows in id order (`lock_meetings`), so
//! concurrent writers of one meeting (in any process) take turns, each
//! recount sees the others' sessions, and two writers never wait on each
//! other in opposite orders.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::tx::{on_tx, Tx, TxConn};
use super::{on_pool, Store, StoreError};
use crate::types::Meeting;

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
/// the meetings (`lock_meetings`).
pub(super) async fn write_sessions(tx: &mut Tx, writes: &[SessionWrite<'_>]) -> Result<(), StoreError> {
    for write in writes {
        let visit = &write.visit;
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

/// Closes open sessions of the meeting at `at` (all of them, or only the
/// named ones) and recounts.
pub(super) async fn close_sessions_in(
    tx: &mut Tx,
    meeting_id: &str,
    only: Option<&[String]>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    lock_meetings(tx, [meeting_id]).await?;
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
}
