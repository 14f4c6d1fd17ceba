use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{apply_presence, invalid_event, once, signature_refused, Ack, Delivery};
use crate::server::jobs::{self, Job};
use crate::server::platforms::verify_whereby_signature;
use crate::server::store::{AnnouncedRecording, SessionEvent};
use crate::server::{AppError, AppState};
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
    let envelope: Envelope = serde_json::from_slice(body).map_err(invalid_event)?;
    let kind = envelope.kind.clone();
    match kind.as_str() {
        "room.client.joined" | "room.client.left" => {
            let event: ClientEvent = serde_json::from_value(envelope.data).map_err(invalid_event)?;
            let left = kind == "room.client.left";
            let delivery = Delivery {
                source: "whereby",
                event_id: envelope.id,
                event_type: kind,
            };
            client_event(state, event, left, envelope.created_at, delivery).await
        }
        "recording.finished" => {
            let finished: RecordingFinished = serde_json::from_value(envelope.data).map_err(invalid_event)?;
            once(
                state,
                "whereby",
                &envelope.id,
                &kind,
                recording_finished(state, finished, envelope.created_at),
            )
            .await
        }
        _ => Ok(Ack::Ignored),
    }
}

async fn client_event(
    state: &AppState,
    event: ClientEvent,
    left: bool,
    at: DateTime<Utc>,
    delivery: Delivery,
) -> Result<Ack, AppError> {
    let Some(meeting) = state.store.meeting_by_id(&event.meeting_id).await? else {
        return Ok(Ack::Ignored);
    };
    let ack = match event.participant_id.as_deref().filter(|id| !id.is_empty()) {
        Some(participant) => {
            let visit = SessionEvent {
                session_id: participant,
                user_id: event.external_id.as_deref().filter(|id| !id.is_empty()),
                user_name: event.display_name.as_deref(),
                joined_at: at,
                left_at: left.then_some(at),
            };
            apply_presence(state, &meeting, &visit, delivery).await?
        }
        None => {
            once(
                state,
                delivery.source,
                &delivery.event_id,
                &delivery.event_type,
                async { Ok(Ack::Ok) },
            )
            .await?
        }
    };
    // Whereby counts its own clients; its number is the truth for the room.
    if let (Ack::Ok, Some(count)) = (ack, event.num_clients) {
        state.store.set_num_clients(&meeting.id, count).await?;
    }
    Ok(ack)
}

async fn recording_finished(
    state: &AppState,
    finished: RecordingFinished,
    at: DateTime<Utc>,
) -> Result<Ack, AppError> {
    let meeting = state.store.meeting_by_platform_room(&finished.room_name).await?;
    let bucket = state
        .settings
        .whereby
        .s3_bucket
        .clone()
        .unwrap_or_else(|| "whereby".to_owned());
    state
        .store
        .upsert_recording(&AnnouncedRecording {
            id: &finished.recording_id,
            meeting_id: meeting.as_ref().map(|m| m.id.as_str()),
            platform: Platform::Whereby,
            bucket_name: &bucket,
            object_key: &finished.filename,
            recorded_at: at,
            track_keys: None,
        })
        .await?;
    jobs::enqueue(
        state,
        &Job::ProcessRecording {
            recording_id: finished.recording_id,
        },
    )
    .await?;
    Ok(Ack::Ok)
}
