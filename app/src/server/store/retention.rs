//! What is deleted goes, what is only history is pruned after its time.

use chrono::{DateTime, Utc};

use super::recordings::Recording;
use super::{on_pool, Store, StoreError};

/// How many rows of each kind one pruning pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub webhook_events: u64,
    pub finished_jobs: u64,
    pub sessions: u64,
    pub room_webhook_deliveries: u64,
}

/// The cut-off of each kind of history: older rows go.
#[derive(Debug, Clone, Copy)]
pub struct PruneBefore {
    pub webhook_events: DateTime<Utc>,
    pub finished_jobs: DateTime<Utc>,
    pub sessions: DateTime<Utc>,
    pub room_webhook_deliveries: DateTime<Utc>,
}

impl Store {
    pub async fn prune_history(&self, before: &PruneBefore) -> Result<Pruned, StoreError> {
        let _write = self.write_turn().await;
        let pruned = on_pool!(self, pool => {
            let webhook_events = sqlx::query("DELETE FROM webhook_event WHERE received_at < $1")
                .bind(before.webhook_events)
                .execute(pool)
                .await?
                .rows_affected();
            let finished_jobs = sqlx::query(
                "DELETE FROM job WHERE status IN ('completed', 'failed') AND finished_at < $1"
            )
                .bind(before.finished_jobs.timestamp_millis())
                .execute(pool)
                .await?
                .rows_affected();
            let sessions = sqlx::query(
                "DELETE FROM participant_session WHERE left_at IS NOT NULL AND left_at < $1"
            )
                .bind(before.sessions)
                .execute(pool)
                .await?
                .rows_affected();
            // Attempts go with their delivery (ON DELETE CASCADE).
            let room_webhook_deliveries = sqlx::query(
                "DELETE FROM room_webhook_delivery WHERE status IN ('delivered', 'failed') AND occurred_at < $1"
            )
                .bind(before.room_webhook_deliveries)
                .execute(pool)
                .await?
                .rows_affected();
            Pruned { webhook_events, finished_jobs, sessions, room_webhook_deliveries }
        });
        Ok(pruned)
    }

    /// Recordings marked deleted whose row is still here, oldest first.
    pub async fn deleted_recordings(&self, limit: i64) -> Result<Vec<Recording>, StoreError> {
        let recordings = on_pool!(self, pool => sqlx::query_as::<_, Recording>(
            "SELECT * FROM recording WHERE deleted_at IS NOT NULL ORDER BY deleted_at, id LIMIT $1"
        )
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(recordings)
    }

    /// Forgets a deleted recording once its stored copy is gone.
    pub async fn forget_recording(&self, id: &str) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query("DELETE FROM recording WHERE id = $1 AND deleted_at IS NOT NULL")
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }
}
