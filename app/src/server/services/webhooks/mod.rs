//! Signed platform webhooks: verified over the raw body, applied once per
//! delivery id, always acknowledged with 2xx unless the caller got something
//! wrong (bad signature 401, unreadable known event 422).

mod daily;
#[cfg(test)]
mod fuzz_tests;
mod jaas;
mod livekit;
mod presence_writer;
mod whereby;

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;

pub use daily::ingest_daily;
pub use jaas::ingest_jaas;
pub use livekit::ingest_livekit;
pub use presence_writer::PresenceWriter;
pub use whereby::ingest_whereby;

use crate::server::platforms::SignatureError;
use crate::server::store::{DeliveredSession, Delivery, DeliveryEffect, SessionEvent};
use crate::server::{AppError, AppState};
use crate::types::Meeting;

/// What we answer a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

/// The answer to a platform's delivery.
#[derive(Serialize, utoipa::ToSchema)]
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

/// Applies `effect` once per delivery: the claim and the effect commit
/// together, so a cut-off request or a killed process leaves nothing half
/// done and the platform's retry is applied.
async fn apply_once(
    state: &AppState,
    delivery: &Delivery<'_>,
    effect: DeliveryEffect<'_>,
) -> Result<Ack, AppError> {
    let queues_job = matches!(
        effect,
        DeliveryEffect::AnnounceRecording { process: Some(_), .. }
            | DeliveryEffect::EndMeeting { then: Some(_), .. }
            | DeliveryEffect::Queue { .. }
    );
    let claimed = state.store.apply_delivery(delivery, &effect).await?;
    if !claimed {
        return Ok(Ack::Duplicate);
    }
    if queues_job {
        state.job_wakeup.notify_one();
    }
    Ok(Ack::Ok)
}

/// A participant join or leave, applied once per delivery together with the
/// claim (batched with concurrent ones by the presence writer).
async fn apply_presence(
    state: &AppState,
    meeting: &Meeting,
    visit: &SessionEvent<'_>,
    reported_clients: Option<i64>,
    delivery: &Delivery<'_>,
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
                reported_clients,
                source: delivery.source,
                event_id: delivery.event_id.to_owned(),
                event_type: delivery.event_type.to_owned(),
            },
        )
        .await?;
    Ok(if applied { Ack::Ok } else { Ack::Duplicate })
}

/// Unix seconds (possibly fractional, possibly milliseconds) as a time;
/// None for what is no time at all (not finite, out of range).
fn unix_time(value: f64) -> Option<DateTime<Utc>> {
    if !value.is_finite() {
        return None;
    }
    let seconds = if value > 1e11 { value / 1000.0 } else { value };
    let millis = seconds * 1000.0;
    if millis.abs() > i64::MAX as f64 {
        return None;
    }
    Utc.timestamp_millis_opt(millis as i64).single()
}

/// `at` plus a platform-reported number of seconds, or None when the sum is
/// not a time (a negative, non-finite or absurd duration).
fn after_seconds(at: DateTime<Utc>, seconds: f64) -> Option<DateTime<Utc>> {
    if !(0.0..=1e12).contains(&seconds) {
        return None;
    }
    let elapsed = chrono::TimeDelta::try_milliseconds((seconds * 1000.0) as i64)?;
    at.checked_add_signed(elapsed)
}
