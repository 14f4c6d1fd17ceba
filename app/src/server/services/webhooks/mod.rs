//! Signed platform webhooks: verified over the raw body, applied once per
//! delivery id, always acknowledged with 2xx unless the caller got something
//! wrong (bad signature 401, unreadable known event 422).

mod daily;
mod presence_writer;
mod whereby;

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;

pub use daily::ingest_daily;
pub use presence_writer::PresenceWriter;
pub use whereby::ingest_whereby;

use crate::server::platforms::SignatureError;
use crate::server::store::{DeliveredSession, SessionEvent};
use crate::server::{AppError, AppState};
use crate::types::Meeting;

/// What we answer a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ack {
    /// Applied.
    Ok,
    /// Seen before: acknowledged, not applied again.
    Duplicate,
    /// Nothing for us (unknown type, unknown meeting): acknowledged so the
    /// platform does not disable the hook.
    Ignored,
}

#[derive(Serialize)]
pub struct AckBody {
    pub status: Ack,
}

fn signature_refused(error: SignatureError) -> AppError {
    match error {
        SignatureError::NotConfigured(setting) => AppError::Unavailable(format!(
            "Webhooks are not configured on this server: set {setting}"
        )),
        other => {
            tracing::info!(reason = %other, "webhook signature refused");
            AppError::Unauthorized("Invalid webhook signature".into())
        }
    }
}

fn invalid_event(error: impl std::fmt::Display) -> AppError {
    AppError::Unprocessable(format!("Invalid event format: {error}"))
}

/// Applies `apply` once per `(source, event_id)`; a failure un-claims the
/// delivery so the platform's retry is applied.
async fn once<F>(
    state: &AppState,
    source: &str,
    event_id: &str,
    event_type: &str,
    apply: F,
) -> Result<Ack, AppError>
where
    F: std::future::Future<Output = Result<Ack, AppError>>,
{
    if !state
        .store
        .claim_webhook_event(source, event_id, event_type)
        .await?
    {
        return Ok(Ack::Duplicate);
    }
    match apply.await {
        Ok(ack) => Ok(ack),
        Err(error) => {
            if let Err(release) = state.store.release_webhook_event(source, event_id).await {
                tracing::warn!(%release, "could not un-claim a failed webhook delivery");
            }
            Err(error)
        }
    }
}

/// One platform webhook delivery.
pub(crate) struct Delivery {
    pub source: &'static str,
    pub event_id: String,
    pub event_type: String,
}

/// A participant join or leave, applied once per delivery together with the
/// claim (batched with concurrent ones by the presence writer).
async fn apply_presence(
    state: &AppState,
    meeting: &Meeting,
    visit: &SessionEvent<'_>,
    delivery: Delivery,
) -> Result<Ack, AppError> {
    let applied = state
        .presence_writer
        .write(
            &state.store,
            DeliveredSession {
                meeting_id: meeting.id.clone(),
                room_id: meeting.room_id.clone().unwrap_or_default(),
                session_id: visit.session_id.to_owned(),
                user_id: visit.user_id.map(str::to_owned),
                user_name: visit.user_name.map(str::to_owned),
                joined_at: visit.joined_at,
                left_at: visit.left_at,
                source: delivery.source,
                event_id: delivery.event_id,
                event_type: delivery.event_type,
            },
        )
        .await?;
    Ok(if applied { Ack::Ok } else { Ack::Duplicate })
}

/// Unix seconds (possibly fractional, possibly milliseconds) as a time.
fn unix_time(value: f64) -> Option<DateTime<Utc>> {
    let seconds = if value > 1e11 { value / 1000.0 } else { value };
    Utc.timestamp_millis_opt((seconds * 1000.0) as i64).single()
}
