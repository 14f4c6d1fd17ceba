//! Platform webhook deliveries, applied exactly once. A delivery is claimed
//! (a `webhook_event` row) in the same transaction as its effects: either
//! both commit or neither does, so a request cut off or a process killed at
//! any point leaves the delivery unclaimed and its redelivery is applied.

use chrono::{DateTime, Utc};

use super::jobs::{enqueue_job_in, NewJob};
use super::meetings::end_meeting_in;
use super::recordings::{fail_unfinished_recordings_in, upsert_recording_in, AnnouncedRecording};
use super::sessions::{lock_meetings, set_num_clients_in, write_sessions, SessionEvent, SessionWrite};
use super::tx::{on_tx, Tx};
use super::{Store, StoreError};

/// One webhook delivery: its sender and the id it gave the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery<'a> {
    /// Who sent it ("daily", "whereby").
    pub source: &'static str,
    pub event_id: &'a str,
    pub event_type: &'a str,
}

/// What applying a delivery changes, besides remembering it.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryEffect<'a> {
    /// Only remember the delivery.
    Nothing,
    /// The platform ended the meeting: its sessions close at `at`; `then`
    /// is queued with it.
    EndMeeting {
        meeting_id: &'a str,
        at: DateTime<Utc>,
        then: Option<NewJob<'a>>,
    },
    /// A recording was announced; `process` queues its processing.
    AnnounceRecording {
        recording: AnnouncedRecording<'a>,
        process: Option<NewJob<'a>>,
    },
    /// The platform gave up on the meeting's unfinished recordings.
    FailRecordings { meeting_id: &'a str, reason: &'a str },
    /// The platform's own participant count.
    SetNumClients { meeting_id: &'a str, count: i64 },
    /// Work to do later because of this delivery.
    Queue { job: NewJob<'a> },
}

/// A join or leave from a platform webhook, with the delivery it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredSession {
    pub meeting_id: String,
    pub room_id: String,
    pub session_id: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
    /// The platform's participant count after this event, when it sends one.
    pub reported_clients: Option<i64>,
    pub source: &'static str,
    pub event_id: String,
    pub event_type: String,
}

/// Remembers the delivery; false when it was seen before.
async fn claim(tx: &mut Tx, delivery: &Delivery<'_>, received_at: DateTime<Utc>) -> Result<bool, StoreError> {
    let claimed = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO webhook_event (source, event_id, event_type, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (source, event_id) DO NOTHING"
    )
        .bind(delivery.source)
        .bind(delivery.event_id)
        .bind(delivery.event_type)
        .bind(received_at)
        .execute(&mut **conn)
        .await?
        .rows_affected());
    Ok(claimed > 0)
}

impl Store {
    /// Applies `effect` once per delivery, in one transaction with the
    /// claim. False for a redelivery (nothing is written).
    pub async fn apply_delivery(
        &self,
        delivery: &Delivery<'_>,
        effect: &DeliveryEffect<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        if !claim(&mut tx, delivery, Utc::now()).await? {
            return Ok(false);
        }
        match effect {
            DeliveryEffect::Nothing => {}
            DeliveryEffect::EndMeeting { meeting_id, at, then } => {
                end_meeting_in(&mut tx, meeting_id, *at).await?;
                if let Some(job) = then {
                    enqueue_job_in(&mut tx, job, job.run_at).await?;
                }
            }
            DeliveryEffect::Queue { job } => {
                enqueue_job_in(&mut tx, job, job.run_at).await?;
            }
            DeliveryEffect::AnnounceRecording { recording, process } => {
                upsert_recording_in(&mut tx, recording).await?;
                if let Some(job) = process {
                    enqueue_job_in(&mut tx, job, job.run_at).await?;
                }
            }
            DeliveryEffect::FailRecordings { meeting_id, reason } => {
                fail_unfinished_recordings_in(&mut tx, meeting_id, reason).await?;
            }
            DeliveryEffect::SetNumClients { meeting_id, count } => {
                lock_meetings(&mut tx, [*meeting_id]).await?;
                set_num_clients_in(&mut tx, meeting_id, *count).await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Applies many participant deliveries in one transaction (the commit
    /// and the recount are paid once per batch); answers, per item, whether
    /// it was new (false: a redelivery, not applied again).
    pub async fn record_delivered_sessions(
        &self,
        batch: &[DeliveredSession],
    ) -> Result<Vec<bool>, StoreError> {
        let received_at = Utc::now();
        let mut tx = self.begin_write().await?;
        // Locked before the claims too, so that batches of other processes
        // touching the same meetings queue here rather than deadlock later.
        lock_meetings(&mut tx, batch.iter().map(|item| item.meeting_id.as_str())).await?;
        let mut applied = Vec::with_capacity(batch.len());
        let mut writes = Vec::new();
        for item in batch {
            let delivery = Delivery {
                source: item.source,
                event_id: &item.event_id,
                event_type: &item.event_type,
            };
            let claimed = claim(&mut tx, &delivery, received_at).await?;
            if claimed {
                writes.push(SessionWrite {
                    meeting_id: &item.meeting_id,
                    room_id: &item.room_id,
                    visit: SessionEvent {
                        session_id: &item.session_id,
                        user_id: item.user_id.as_deref(),
                        user_name: item.user_name.as_deref(),
                        joined_at: item.joined_at,
                        left_at: item.left_at,
                    },
                    reported_clients: item.reported_clients,
                });
            }
            applied.push(claimed);
        }
        write_sessions(&mut tx, &writes).await?;
        tx.commit().await?;
        Ok(applied)
    }
}
