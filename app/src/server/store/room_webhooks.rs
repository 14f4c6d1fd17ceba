//! The room webhook's deliveries: which rooms have one due, a room's next
//! event in order, each attempt recorded with the delivery's new state in
//! one transaction, the owner's log, redelivery.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::room_events::insert_event;
use super::tx::on_tx;
use super::{on_pool, Store, StoreError};
use crate::types::{DeliveryAttempt, DeliveryStatus, RoomEventKind, TestEvent, WebhookDelivery};

/// An event waiting for (its next) delivery.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PendingDelivery {
    pub seq: i64,
    pub event_id: String,
    pub room_id: String,
    pub event: RoomEventKind,
    #[sqlx(json)]
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
    pub attempts: i64,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Set by a redelivery; otherwise the retry window runs from `occurred_at`.
    pub retry_until: Option<DateTime<Utc>>,
}

/// How one attempt went, and what the delivery does next.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptOutcome {
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<String>,
    pub response_preview: Option<String>,
    pub next: AfterAttempt,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AfterAttempt {
    Delivered,
    RetryAt(DateTime<Utc>),
    GiveUp,
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    seq: i64,
    event_id: String,
    event: RoomEventKind,
    status: DeliveryStatus,
    occurred_at: DateTime<Utc>,
    next_attempt_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Rooms whose next event (the oldest pending one) is due by `now`: a
    /// room waiting to retry its oldest event is not due, however many
    /// events wait behind it.
    pub async fn rooms_with_due_webhooks(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        let rooms: Vec<(String,)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT DISTINCT due.room_id FROM room_webhook_delivery due
             WHERE due.status = 'pending' AND due.next_attempt_at <= $1
               AND NOT EXISTS (
                   SELECT 1 FROM room_webhook_delivery earlier
                   WHERE earlier.room_id = due.room_id AND earlier.status = 'pending'
                     AND earlier.next_attempt_at IS NOT NULL AND earlier.seq < due.seq)"
        )
            .bind(now)
            .fetch_all(pool)
            .await?);
        Ok(rooms.into_iter().map(|(room,)| room).collect())
    }

    /// The room's oldest undelivered event: events go out in the order they
    /// happened, so a later one waits while an earlier one is retried. A
    /// test (no due time: its caller sends it) never holds the queue up.
    pub async fn next_room_delivery(&self, room_id: &str) -> Result<Option<PendingDelivery>, StoreError> {
        let next = on_pool!(self, pool => sqlx::query_as::<_, PendingDelivery>(
            "SELECT seq, event_id, room_id, event, data, occurred_at, attempts, next_attempt_at, retry_until
             FROM room_webhook_delivery
             WHERE room_id = $1 AND status = 'pending' AND next_attempt_at IS NOT NULL
             ORDER BY seq LIMIT 1"
        )
            .bind(room_id)
            .fetch_optional(pool)
            .await?);
        Ok(next)
    }

    /// Records the attempt and the delivery's new state together.
    pub async fn record_webhook_attempt(
        &self,
        delivery: &PendingDelivery,
        outcome: &AttemptOutcome,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => { sqlx::query(
            "INSERT INTO room_webhook_attempt
                (delivery_seq, retry, attempted_at, status_code, duration_ms, error, response_preview)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
            .bind(delivery.seq)
            .bind(delivery.attempts)
            .bind(outcome.attempted_at)
            .bind(outcome.status_code)
            .bind(outcome.duration_ms)
            .bind(&outcome.error)
            .bind(&outcome.response_preview)
            .execute(&mut **conn)
            .await?; });
        let (status, next_at) = match outcome.next {
            AfterAttempt::Delivered => (DeliveryStatus::Delivered, None),
            AfterAttempt::RetryAt(at) => (DeliveryStatus::Pending, Some(at)),
            AfterAttempt::GiveUp => (DeliveryStatus::Failed, None),
        };
        on_tx!(tx, conn => { sqlx::query(
            "UPDATE room_webhook_delivery SET status = $2, next_attempt_at = $3, attempts = attempts + 1
             WHERE seq = $1"
        )
            .bind(delivery.seq)
            .bind(status)
            .bind(next_at)
            .execute(&mut **conn)
            .await?; });
        tx.commit().await
    }

    /// A test event, recorded as delivered or failed by its one attempt.
    pub async fn record_test_delivery(
        &self,
        room_id: &str,
        event: &TestEvent,
        occurred_at: DateTime<Utc>,
    ) -> Result<PendingDelivery, StoreError> {
        let mut tx = self.begin_write().await?;
        let event_id = insert_event(&mut tx, room_id, RoomEventKind::Test, event, occurred_at).await?;
        // A test is sent at once by its caller, never by the delivery jobs.
        let test = on_tx!(tx, conn => sqlx::query_as::<_, PendingDelivery>(
            "UPDATE room_webhook_delivery SET next_attempt_at = NULL
             WHERE event_id = $1
             RETURNING seq, event_id, room_id, event, data, occurred_at, attempts, next_attempt_at, retry_until"
        )
            .bind(&event_id)
            .fetch_one(&mut **conn)
            .await?);
        tx.commit().await?;
        Ok(test)
    }

    /// Sends the event again from now on: pending, due at once, with a new
    /// retry window. False when the room has no such event.
    pub async fn redeliver_room_event(
        &self,
        room_id: &str,
        event_id: &str,
        now: DateTime<Utc>,
        retry_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE room_webhook_delivery SET status = 'pending', next_attempt_at = $3, retry_until = $4
             WHERE room_id = $1 AND event_id = $2"
        )
            .bind(room_id)
            .bind(event_id)
            .bind(now)
            .bind(retry_until)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }

    /// The room's deliveries, newest first, with their attempts (newest first).
    pub async fn room_deliveries(
        &self,
        room_id: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<WebhookDelivery>, i64), StoreError> {
        let (total,): (i64,) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM room_webhook_delivery WHERE room_id = $1"
        )
            .bind(room_id)
            .fetch_one(pool)
            .await?);
        let rows = on_pool!(self, pool => sqlx::query_as::<_, DeliveryRow>(
            "SELECT seq, event_id, event, status, occurred_at, next_attempt_at
             FROM room_webhook_delivery WHERE room_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3"
        )
            .bind(room_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?);
        let mut deliveries = Vec::with_capacity(rows.len());
        for row in rows {
            deliveries.push(self.with_attempts(row).await?);
        }
        Ok((deliveries, total))
    }

    /// One of the room's deliveries, with its attempts.
    pub async fn room_delivery(
        &self,
        room_id: &str,
        event_id: &str,
    ) -> Result<Option<WebhookDelivery>, StoreError> {
        let row = on_pool!(self, pool => sqlx::query_as::<_, DeliveryRow>(
            "SELECT seq, event_id, event, status, occurred_at, next_attempt_at
             FROM room_webhook_delivery WHERE room_id = $1 AND event_id = $2"
        )
            .bind(room_id)
            .bind(event_id)
            .fetch_optional(pool)
            .await?);
        match row {
            Some(row) => Ok(Some(self.with_attempts(row).await?)),
            None => Ok(None),
        }
    }

    async fn with_attempts(&self, row: DeliveryRow) -> Result<WebhookDelivery, StoreError> {
        let attempts = on_pool!(self, pool => sqlx::query_as::<_, DeliveryAttempt>(
            "SELECT retry, attempted_at, status_code, duration_ms, error, response_preview
             FROM room_webhook_attempt WHERE delivery_seq = $1 ORDER BY id DESC LIMIT 20"
        )
            .bind(row.seq)
            .fetch_all(pool)
            .await?);
        Ok(WebhookDelivery {
            event_id: row.event_id,
            event: row.event,
            status: row.status,
            occurred_at: row.occurred_at,
            next_attempt_at: row
                .next_attempt_at
                .filter(|_| row.status == DeliveryStatus::Pending),
            attempts,
        })
    }

    /// The event's data as stored (tests and the bench read it back).
    pub async fn room_event_data(&self, event_id: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let row: Option<(Json<serde_json::Value>,)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT data FROM room_webhook_delivery WHERE event_id = $1"
        )
            .bind(event_id)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|(data,)| data.0))
    }
}
