//! A room's meetings as history: a page of them, newest first, and the
//! visits and consent answers of those meetings in one query each.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{on_pool, Store, StoreError};
use crate::types::Meeting;

/// One participant visit of a meeting.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Visit {
    pub meeting_id: String,
    pub session_id: String,
    pub user_name: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

impl Store {
    /// `limit` of the room's meetings from `offset`, newest first, and how many it has.
    pub async fn meetings_of_room(
        &self,
        room_id: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Meeting>, i64), StoreError> {
        let meetings = on_pool!(self, pool => sqlx::query_as::<_, Meeting>(
            "SELECT * FROM meeting WHERE room_id = $1 ORDER BY start_date DESC, id LIMIT $2 OFFSET $3"
        )
            .bind(room_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?);
        let (total,): (i64,) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM meeting WHERE room_id = $1"
        )
            .bind(room_id)
            .fetch_one(pool)
            .await?);
        Ok((meetings, total))
    }

    /// Every visit of the same page of the room's meetings, in the order people came.
    pub async fn visits_of_room_meetings(
        &self,
        room_id: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Visit>, StoreError> {
        let visits = on_pool!(self, pool => sqlx::query_as::<_, Visit>(
            "SELECT meeting_id, session_id, user_name, joined_at, left_at FROM participant_session
             WHERE meeting_id IN (SELECT id FROM meeting WHERE room_id = $1
                                  ORDER BY start_date DESC, id LIMIT $2 OFFSET $3)
             ORDER BY joined_at, session_id"
        )
            .bind(room_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?);
        Ok(visits)
    }

    /// Per meeting of the room: (consents given, declined).
    pub async fn consent_counts_of_room(
        &self,
        room_id: &str,
    ) -> Result<HashMap<String, (i64, i64)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT meeting_consent.meeting_id,
                    CAST(SUM(CASE WHEN consent_given THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN consent_given THEN 0 ELSE 1 END) AS BIGINT)
             FROM meeting_consent JOIN meeting ON meeting.id = meeting_consent.meeting_id
             WHERE meeting.room_id = $1 GROUP BY meeting_consent.meeting_id"
        )
            .bind(room_id)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(id, given, declined)| (id, (given, declined)))
            .collect())
    }
}
