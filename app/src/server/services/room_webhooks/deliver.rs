//! The delivery jobs: one per room at a time (its dedupe key), sending the
//! room's due events oldest first. An event being retried holds back the
//! room's later ones until it is delivered or given up, so receivers get
//! a room's events in the order they happened as far as retries allow.
//! A killed worker's event is sent again by the next job: at least once,
//! always under the same `event_id`.

use chrono::{DateTime, Utc};

use super::sending;
use crate::server::jobs::{enqueue, Job, JobFailure};
use crate::server::store::{AfterAttempt, StoreError};
use crate::server::AppState;

/// Events one job sends before it lets other jobs run (the room is queued
/// again at the next look for due rooms).
const EVENTS_PER_RUN: usize = 200;

/// Queues a delivery job for each room with an event due.
pub async fn queue_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut queued = 0;
    for room_id in state.store.rooms_with_due_webhooks(now).await? {
        if enqueue(state, &Job::DeliverRoomWebhooks { room_id })
            .await?
            .is_some()
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Sends the room's due events in order; stops at one that must wait.
pub async fn deliver_room(state: &AppState, room_id: &str) -> Result<usize, JobFailure> {
    let mut sent = 0;
    for _ in 0..EVENTS_PER_RUN {
        let Some(delivery) = state.store.next_room_delivery(room_id).await? else {
            break;
        };
        let now = Utc::now();
        if delivery.next_attempt_at.is_none_or(|due| due > now) {
            break;
        }
        let Some(room) = state.store.room_by_id(room_id).await? else {
            break;
        };
        let attempt = sending::send(state, &delivery, &room, now).await;
        let outcome = sending::outcome(state, &delivery, &attempt, now);
        state.store.record_webhook_attempt(&delivery, &outcome).await?;
        sent += 1;
        if let AfterAttempt::RetryAt(at) = outcome.next {
            tracing::info!(room = %room_id, event = %delivery.event_id, retry_at = %at, "room webhook will retry");
            break;
        }
    }
    Ok(sent)
}
