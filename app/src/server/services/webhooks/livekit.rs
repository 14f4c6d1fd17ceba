//! LiveKit webhooks: participants joining and leaving (a participant is
//! their identity, which our tokens make unique), the room finishing, and
//! a track's egress ending, both of which gather the meeting's recording.

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{apply_once, apply_presence, invalid_event, signature_refused, Ack};
use crate::server::jobs::{now_ms, Job};
use crate::server::platforms::verify_livekit_webhook;
use crate::server::store::{Delivery, DeliveryEffect, NewJob, SessionEvent};
use crate::server::{nul_text, AppError, AppState};
use crate::types::{Meeting, RecordingType};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    event: String,
    id: String,
    #[serde(
        default,
        alias = "created_at",
        deserialize_with = "crate::server::platforms::livekit_int64"
    )]
    created_at: i64,
    #[serde(default)]
    room: Option<Room>,
    #[serde(default)]
    participant: Option<Participant>,
    #[serde(default, alias = "egress_info")]
    egress_info: Option<EgressInfo>,
}

#[derive(Deserialize)]
struct Room {
    name: String,
}

#[derive(Deserialize)]
struct Participant {
    identity: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EgressInfo {
    #[serde(alias = "room_name")]
    room_name: String,
    /// `EGRESS_COMPLETE`, `EGRESS_FAILED`, … (or their numbers).
    #[serde(default)]
    status: Value,
}

/// `POST /v1/livekit/webhook`.
pub async fn ingest_livekit(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Ack, AppError> {
    verify_livekit_webhook(state.settings.livekit.as_ref(), body, headers, Utc::now())
        .map_err(signature_refused)?;
    let value: Value = serde_json::from_slice(body).map_err(invalid_event)?;
    let envelope: Envelope = serde_json::from_value(nul_text::without_nul(value)).map_err(invalid_event)?;
    let at = DateTime::from_timestamp(envelope.created_at, 0)
        .filter(|_| envelope.created_at > 0)
        .unwrap_or_else(Utc::now);
    let delivery = Delivery {
        source: "livekit",
        event_id: &envelope.id,
        event_type: &envelope.event,
    };
    let room_name = match (&envelope.room, &envelope.egress_info) {
        (Some(room), _) => room.name.as_str(),
        (None, Some(egress)) => egress.room_name.as_str(),
        (None, None) => return Ok(Ack::Ignored),
    };
    let Some(meeting) = state.store.meeting_by_platform_room(room_name).await? else {
        return Ok(Ack::Ignored);
    };
    match envelope.event.as_str() {
        kind @ ("participant_joined" | "participant_left") => {
            let who = envelope
                .participant
                .ok_or_else(|| invalid_event("a participant event names no participant"))?;
            if who.identity.is_empty() {
                return Err(invalid_event("a participant event names no participant"));
            }
            let visit = SessionEvent {
                session_id: &who.identity,
                user_id: None,
                user_name: Some(if who.name.is_empty() {
                    &who.identity
                } else {
                    &who.name
                }),
                joined_at: at,
                left_at: (kind == "participant_left").then_some(at),
            };
            apply_presence(state, &meeting, &visit, None, &delivery).await
        }
        "room_finished" => {
            let effect = DeliveryEffect::EndMeeting {
                meeting_id: &meeting.id,
                at,
                then: gather_recording(state, &meeting),
            };
            apply_once(state, &delivery, effect).await
        }
        "egress_ended" => {
            let failed = envelope.egress_info.as_ref().is_some_and(|egress| {
                matches!(&egress.status, Value::String(s) if s == "EGRESS_FAILED") || egress.status == 4
            });
            let effect = match gather_recording(state, &meeting).filter(|_| !failed) {
                Some(job) => DeliveryEffect::Queue { job },
                None => DeliveryEffect::Nothing,
            };
            apply_once(state, &delivery, effect).await
        }
        _ => apply_once(state, &delivery, DeliveryEffect::Nothing).await,
    }
}

/// The job gathering the meeting's tracks, when it records: a little
/// later, so egress still writing its last track is done by then.
fn gather_recording(state: &AppState, meeting: &Meeting) -> Option<NewJob<'static>> {
    let livekit = state.settings.livekit.as_ref()?;
    if meeting.recording_type != RecordingType::Cloud || livekit.egress_bucket.is_none() {
        return None;
    }
    let mut job = Job::CollectLiveKitTracks {
        meeting_id: meeting.id.clone(),
        room_name: meeting.room_name.clone(),
    }
    .to_queue(&state.settings);
    job.run_at = now_ms() + livekit.tracks_settle_seconds as i64 * 1000;
    Some(job)
}
