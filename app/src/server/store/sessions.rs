use chrono::{DateTime, Utc};

use super::{on_pool, Store, StoreError};
use crate::types::Meeting;

pub(super) const CLAIM_DELIVERY: &str =
    "INSERT INTO webhook_event (source, event_id, event_type, received_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (source, event_id) DO NOTHING";

/// A leave is never undone by a late join; the earliest join time wins.
pub(super) const UPSERT_SESSION: &str =
    "INSERT INTO participant_session (id, meeting_id, room_id, session_id, user_id, user_name, joined_at, left_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET
        user_id = COALESCE(excluded.user_id, participant_session.user_id),
        user_name = COALESCE(excluded.user_name, participant_session.user_name),
        joined_at = CASE WHEN excluded.joined_at < participant_session.joined_at
                         THEN excluded.joined_at ELSE participant_session.joined_at END,
        left_at = COALESCE(participant_session.left_at, excluded.left_at)";

pub(super) const RECOUNT_OPEN_SESSIONS: &str = "UPDATE meeting SET num_clients =
        (SELECT COUNT(*) FROM participant_session WHERE meeting_id = $1 AND left_at IS NULL)
     WHERE id = $1";

/// A participant's visit as a platform reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvent<'a> {
    pub session_id: &'a str,
    pub user_id: Option<&'a str>,
    pub user_name: Option<&'a str>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
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
    ) -> Result<i64, StoreError> {
        let _write = self.write_turn().await;
        let room_id = meeting.room_id.as_deref().unwrap_or_default();
        let open = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // Lock the meeting row first, so concurrent events of one meeting
            // take turns and each recount sees the others' sessions.
            sqlx::query("UPDATE meeting SET num_clients = num_clients WHERE id = $1")
                .bind(&meeting.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(UPSERT_SESSION)
            .bind(format!("{}:{}", meeting.id, event.session_id))
            .bind(&meeting.id)
            .bind(room_id)
            .bind(event.session_id)
            .bind(event.user_id)
            .bind(event.user_name)
            .bind(event.joined_at)
            .bind(event.left_at)
            .execute(&mut *tx)
            .await?;
            let open: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM participant_session WHERE meeting_id = $1 AND left_at IS NULL"
            )
            .bind(&meeting.id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE meeting SET num_clients = $2 WHERE id = $1")
                .bind(&meeting.id)
                .bind(open)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            open
        });
        Ok(open)
    }

    /// Closes every open session of the meeting at `at` and zeroes its count.
    pub async fn close_open_sessions(&self, meeting_id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE participant_session SET left_at = CASE WHEN joined_at > $2 THEN joined_at ELSE $2 END
                 WHERE meeting_id = $1 AND left_at IS NULL"
            )
            .bind(meeting_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE meeting SET num_clients = 0 WHERE id = $1").bind(meeting_id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets the participant count a platform reported directly (Whereby).
    pub async fn set_num_clients(&self, meeting_id: &str, count: i64) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query("UPDATE meeting SET num_clients = $2 WHERE id = $1")
            .bind(meeting_id)
            .bind(count.max(0))
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }
}

impl Store {
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
}

impl Store {
    /// The platform session ids of the meeting's sessions still open.
    pub async fn open_session_ids(&self, meeting_id: &str) -> Result<Vec<String>, StoreError> {
        let ids = on_pool!(self, pool => sqlx::query_scalar::<_, String>(
            "SELECT session_id FROM participant_session WHERE meeting_id = $1 AND left_at IS NULL ORDER BY session_id"
        )
            .bind(meeting_id)
            .fetch_all(pool)
            .await?);
        Ok(ids)
    }

    /// Closes the named open sessions at `at` (a platform no longer sees them).
    pub async fn close_sessions(
        &self,
        meeting_id: &str,
        session_ids: &[String],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for session_id in session_ids {
                sqlx::query(
                    "UPDATE participant_session SET left_at = CASE WHEN joined_at > $3 THEN joined_at ELSE $3 END
                     WHERE meeting_id = $1 AND session_id = $2 AND left_at IS NULL"
                )
                .bind(meeting_id)
                .bind(session_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
