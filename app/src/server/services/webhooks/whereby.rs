use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{apply_once, apply_presence, invalid_event, signature_refused, Ack};
use crate::server::jobs::Job;
use crate::server::platforms::verify_whereby_signature;
use crate::server::store::{AnnouncedRecording, Delivery, DeliveryEffect, SessionEvent};
use crate::server::{nul_text, AppError, AppState};
use crate::types::Platform;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created_at: DateTime<Utc>,
    #[serde(default)]
    data: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientEvent {
    meeting_id: String,
    #[serde(default)]
    participant_id: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    num_clients: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordingFinished {
    recording_id: String,
    filename: String,
    room_name: String,
}

/// `POST /v1/whereby`.
pub async fn ingest_whereby(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Ack, AppError> {
    verify_whereby_signature(
        state.settings.whereby.webhook_secret.as_ref(),
        body,
        headers,
        Utc::now(),
    )
    .map_err(signature_refused)?;
    let value: Value = serde_json::from_slice(body).map_err(invalid_event)?;
    let envelope: Envelope = serde_json::from_value(nul_text::without_nul(value)).map_err(invalid_event)?;
    let delivery = Delivery {
        source: "whereby",
        event_id: &envelope.id,
        event_type: &envelope.kind,
    };
    match envelope.kind.as_str() {
        "room.client.joined" | "room.client.left" => {
            let event: ClientEvent = serde_json::from_value(envelope.data).map_err(invalid_event)?;
            let left = envelope.kind == "room.client.left";
            client_event(state, event, left, envelope.created_at, &delivery).await
        }
        "recording.finished" => {
            let finished: RecordingFinished = serde_json::from_value(envelope.data).map_err(invalid_event)?;
            recording_finished(state, finished, envelope.created_at, &delivery).await
        }
        _ => Ok(Ack::Ignored),
    }
}

async fn client_event(
    state: &AppState,
    event: ClientEvent,
    left: bool,
    at: DateTime<Utc>,
    delivery: &Delivery<'_>,
) -> Result<Ack, AppError> {
    let Some(meeting) = state.store.meeting_by_id(&event.meeting_id).await? else {
        return Ok(Ack::Ignored);
    };
    // Whereby counts its own clients; its number is the truth for the room.
    let reported = event.num_clients;
    match event.participant_id.as_deref().filter(|id| !id.is_empty()) {
        Some(participant) => {
            let visit = SessionEvent {
                session_id: participant,
                user_id: event.external_id.as_deref().filter(|id| !id.is_empty()),
                user_name: event.display_name.as_deref(),
                joined_at: at,
                left_at: left.then_some(at),
            };
            apply_presence(state, &meeting, &visit, reported, delivery).await
        }
        None => {
            let effect = match reported {
                Some(count) => DeliveryEffect::SetNumClients {
                    meeting_id: &meeting.id,
                    count,
                },
                None => DeliveryEffect::Nothing,
            };
            apply_once(state, delivery, effect).await
        }
    }
}

async fn recording_finished(
    state: &AppState,
    finished: RecordingFinished,
    at: DateTime<Utc>,
    delivery: &Delivery<'_>,
) -> Result<Ack, AppError> {
    let meeting = state.store.meeting_by_platform_room(&finished.room_name).await?;
    let bucket = state.settings.whereby.s3_bucket.as_deref().unwrap_or("whereby");
    let process = Job::ProcessRecording {
        recording_id: finished.recording_id.clone(),
    };
    let effect = DeliveryEffect::AnnounceRecording {
        recording: AnnouncedRecording {
            id: &finished.recording_id,
            meeting_id: meeting.as_ref().map(|m| m.id.as_str()),
            platform: Platform::Whereby,
            bucket_name: bucket,
            object_key: &finished.filename,
            recorded_at: at,
            track_keys: None,
        },
        process: Some(process.to_queue(&state.settings)),
    };
    apply_once(state, delivery, effect).await
}
