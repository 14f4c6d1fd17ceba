//! What the room's owner does with its webhook: send a test, read the
//! delivery log, redeliver an event.

use chrono::{Duration, Utc};

use super::{deliver, sending};
use crate::server::auth::Caller;
use crate::server::services::paging;
use crate::server::services::permissions::require_owner;
use crate::server::services::rooms::room_with_id;
use crate::server::store::AfterAttempt;
use crate::server::user_urls::FetchError;
use crate::server::{AppError, AppState};
use crate::types::{DeliveryPage, Room, TestEvent, WebhookDelivery, WebhookTestResult, TEST_MESSAGE};

async fn owned_room(
    state: &AppState,
    caller: &Caller,
    room_id: &str,
    refusal: &str,
) -> Result<Room, AppError> {
    let room = room_with_id(state, room_id).await?;
    require_owner(caller, &room, refusal)?;
    Ok(room)
}

/// Sends a `test` event now, once, and says how it went (Reflector's
/// answer); it is in the delivery log like any other.
pub async fn test(state: &AppState, caller: &Caller, room_id: &str) -> Result<WebhookTestResult, AppError> {
    let room = owned_room(
        state,
        caller,
        room_id,
        "Not authorized to test this room's webhook",
    )
    .await?;
    if room
        .webhook_url
        .as_deref()
        .is_none_or(|url| url.trim().is_empty())
    {
        return Ok(refused("No webhook URL configured".into()));
    }
    let now = Utc::now();
    let event = TestEvent {
        message: TEST_MESSAGE.into(),
    };
    let delivery = state.store.record_test_delivery(&room.id, &event, now).await?;
    // Sent and recorded to the end even when the caller leaves meanwhile.
    let sent = tokio::spawn({
        let state = state.clone();
        async move {
            let sent = sending::send(&state, &delivery, &room, now).await;
            let mut outcome = sending::outcome(&state, &delivery, &sent, now);
            // A test is tried once: its result is the answer.
            if matches!(outcome.next, AfterAttempt::RetryAt(_)) {
                outcome.next = AfterAttempt::GiveUp;
            }
            state.store.record_webhook_attempt(&delivery, &outcome).await?;
            Ok::<_, AppError>(sent)
        }
    })
    .await
    .map_err(|_| AppError::Internal)??;
    Ok(match sent {
        sending::Sent::Answered { status, preview, .. } => {
            let success = (200..300).contains(&status);
            WebhookTestResult {
                success,
                message: if success {
                    "Webhook test successful".into()
                } else {
                    "Webhook test failed".into()
                },
                error: if success {
                    String::new()
                } else {
                    format!("The receiver answered {status}")
                },
                status_code: Some(status as i64),
                response_preview: Some(preview),
            }
        }
        sending::Sent::Failed { error, .. } => refused(match error {
            FetchError::Timeout(seconds) => format!("Webhook request timed out ({seconds} seconds)"),
            FetchError::Unreachable(why) => format!("Could not connect to webhook URL: {why}"),
            FetchError::Refused(why) => format!("Webhook URL refused: {why}"),
            other => format!("Webhook request failed: {other}"),
        }),
    })
}

fn refused(error: String) -> WebhookTestResult {
    WebhookTestResult {
        success: false,
        message: String::new(),
        error,
        status_code: None,
        response_preview: None,
    }
}

/// The room's deliveries, newest first (the room's owner only: they carry
/// the receiver's answers).
pub async fn deliveries(
    state: &AppState,
    caller: &Caller,
    room_id: &str,
    page: i64,
    size: i64,
) -> Result<DeliveryPage, AppError> {
    owned_room(
        state,
        caller,
        room_id,
        "Only the room owner can see its webhook deliveries",
    )
    .await?;
    let offset = paging::offset(page, size)?;
    let (items, total) = state.store.room_deliveries(room_id, size, offset).await?;
    Ok(DeliveryPage {
        items,
        total,
        page,
        size,
        pages: paging::page_count(total, size),
    })
}

/// Sends the event again, with a fresh retry window; the same `event_id`.
pub async fn redeliver(
    state: &AppState,
    caller: &Caller,
    room_id: &str,
    event_id: &str,
) -> Result<WebhookDelivery, AppError> {
    let room = owned_room(
        state,
        caller,
        room_id,
        "Only the room owner can redeliver its webhook events",
    )
    .await?;
    let now = Utc::now();
    let until = now + Duration::hours(state.settings.room_webhooks.retry_hours);
    if !state
        .store
        .redeliver_room_event(&room.id, event_id, now, until)
        .await?
    {
        return Err(AppError::NotFound("Delivery not found".into()));
    }
    deliver::queue_due(state, now).await?;
    state
        .store
        .room_delivery(&room.id, event_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Delivery not found".into()))
}
