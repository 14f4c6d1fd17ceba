//! JaaS (8x8's hosted Jitsi) webhooks: participants joining and leaving, the
//! room closing, and a recording uploaded with a link to fetch it from.

use axum::http::HeaderMap;
use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{apply_once, apply_presence, invalid_event, signature_refused, Ack};
use crate::server::jobs::Job;
use crate::server::platforms::verify_jaas_signature;
use crate::server::store::{AnnouncedRecording, Delivery, DeliveryEffect, SessionEvent};
use crate::server::{nul_text, AppError, AppState};
use crate::types::Platform;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    idempotency_key: String,
    event_type: String,
    /// `<app id>/<room name>`.
    fqn: String,
    /// Unix milliseconds.
    timestamp: i64,
    #[serde(default)]
    data: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Participant {
    #[serde(default)]
    participant_id: Option<String>,
    #[serde(default)]
    participant_jid: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordingUploaded {
    pre_authenticated_link: String,
}

/// `POST /v1/jaas/webhook`.
pub async fn ingest_jaas(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Ack, AppError> {
    verify_jaas_signature(state.settings.jitsi.webhook_secret(), body, headers, Utc::now())
        .map_err(signature_refused)?;
    let value: Value = serde_json::from_slice(body).map_err(invalid_event)?;
    let envelope: Envelope = serde_json::from_value(nul_text::without_nul(value)).map_err(invalid_event)?;
    let at = Utc
        .timestamp_millis_opt(envelope.timestamp)
        .single()
        .ok_or_else(|| invalid_event("timestamp is not a time"))?;
    let delivery = Delivery {
        source: "jaas",
        event_id: &envelope.idempotency_key,
        event_type: &envelope.event_type,
    };
    let room_name = envelope.fqn.rsplit('/').next().unwrap_or_default();
    let Some(meeting) = state.store.meeting_by_platform_room(room_name).await? else {
        return Ok(Ack::Ignored);
    };
    match envelope.event_type.as_str() {
        kind @ ("PARTICIPANT_JOINED" | "PARTICIPANT_LEFT") => {
            let who: Participant = serde_json::from_value(envelope.data).map_err(invalid_event)?;
            let Some(session) = [who.participant_id, who.participant_jid, who.id]
                .into_iter()
                .flatten()
                .find(|id| !id.is_empty())
            else {
                return Err(invalid_event("a participant event names no participant"));
            };
            let visit = SessionEvent {
                session_id: &session,
                user_id: None,
                user_name: who.name.as_deref(),
                joined_at: at,
                left_at: (kind == "PARTICIPANT_LEFT").then_some(at),
            };
            apply_presence(state, &meeting, &visit, None, &delivery).await
        }
        "ROOM_DESTROYED" => {
            let effect = DeliveryEffect::EndMeeting {
                meeting_id: &meeting.id,
                at,
                then: None,
            };
            apply_once(state, &delivery, effect).await
        }
        "RECORDING_UPLOADED" => {
            let uploaded: RecordingUploaded = serde_json::from_value(envelope.data).map_err(invalid_event)?;
            let recording_id = format!("jaas-{}", envelope.idempotency_key);
            recording_uploaded(state, &meeting.id, &recording_id, uploaded, at, &delivery).await
        }
        _ => Ok(Ack::Ignored),
    }
}

async fn recording_uploaded(
    state: &AppState,
    meeting_id: &str,
    recording_id: &str,
    uploaded: RecordingUploaded,
    at: DateTime<Utc>,
    delivery: &Delivery<'_>,
) -> Result<Ack, AppError> {
    let link = uploaded.pre_authenticated_link;
    if !(link.starts_with("https://") || link.starts_with("http://")) {
        return Err(invalid_event("preAuthenticatedLink is not a URL"));
    }
    let process = Job::ProcessRecording {
        recording_id: recording_id.to_owned(),
    };
    let effect = DeliveryEffect::AnnounceRecording {
        recording: AnnouncedRecording {
            id: recording_id,
            meeting_id: Some(meeting_id),
            platform: Platform::Jitsi,
            bucket_name: "jaas",
            // The link JaaS made for us to fetch it (valid for a day).
            object_key: &link,
            recorded_at: at,
            track_keys: None,
        },
        process: Some(process.to_queue(&state.settings)),
    };
    apply_once(state, delivery, effect).await
}
