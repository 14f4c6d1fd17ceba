use axum::http::HeaderMap;
use chrono::Utc;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{after_seconds, apply_once, apply_presence, invalid_event, signature_refused, unix_time, Ack};
use crate::server::jobs::Job;
use crate::server::platforms::{verify_daily_signature, HANDLED_EVENT_TYPES};
use crate::server::store::{AnnouncedRecording, Delivery, DeliveryEffect, SessionEvent};
use crate::server::{nul_text, AppError, AppState};
use crate::types::Platform;

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    payload: Value,
}

#[derive(Deserialize)]
struct Participant {
    #[serde(alias = "room_name")]
    room: String,
    session_id: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    joined_at: f64,
    #[serde(default)]
    duration: Option<f64>,
}

#[derive(Deserialize)]
struct MeetingEvent {
    room: String,
    #[serde(default)]
    end_ts: Option<f64>,
}

#[derive(Deserialize)]
struct RecordingStarted {
    recording_id: String,
    #[serde(default)]
    room_name: Option<String>,
    #[serde(default)]
    start_ts: Option<f64>,
}

#[derive(Deserialize)]
struct RecordingReady {
    recording_id: String,
    room_name: String,
    start_ts: f64,
    s3_key: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    tracks: Option<Vec<Track>>,
}

#[derive(Deserialize)]
struct Track {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "s3Key", alias = "s3key")]
    s3_key: String,
}

#[derive(Deserialize)]
struct RecordingError {
    room_name: String,
    #[serde(default)]
    error_msg: Option<String>,
}

/// `POST /v1/daily/webhook`.
pub async fn ingest_daily(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Ack, AppError> {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    // Daily's creation probe may come unsigned; answering it changes nothing.
    if parsed.as_ref().and_then(|value| value.get("test")).is_some() {
        return Ok(Ack::Ok);
    }
    verify_daily_signature(
        state.settings.daily.webhook_secret.as_ref(),
        body,
        headers,
        Utc::now(),
    )
    .map_err(signature_refused)?;
    let value = parsed.ok_or_else(|| AppError::Unprocessable("Invalid JSON".into()))?;
    let value = nul_text::without_nul(value);
    let envelope: Envelope = serde_json::from_value(value).map_err(invalid_event)?;
    if !HANDLED_EVENT_TYPES.contains(&envelope.kind.as_str()) {
        return Ok(Ack::Ignored);
    }
    let event_id = envelope
        .id
        .clone()
        .unwrap_or_else(|| format!("sha256:{:x}", Sha256::digest(body)));
    let kind = envelope.kind.as_str();
    let delivery = Delivery {
        source: "daily",
        event_id: &event_id,
        event_type: kind,
    };
    // Parse before claiming: a malformed event is refused, not remembered.
    match DailyEvent::parse(kind, envelope.payload)? {
        // The hot path: claimed and applied together, batched with others.
        DailyEvent::Presence { participant, left } => record(state, participant, left, &delivery).await,
        DailyEvent::Other(event) => apply(state, event, &delivery).await,
    }
}

enum DailyEvent {
    Presence { participant: Participant, left: bool },
    Other(OtherEvent),
}

enum OtherEvent {
    Started,
    Ended(MeetingEvent),
    RecordingStarted(RecordingStarted),
    RecordingReady(RecordingReady),
    RecordingFailed(RecordingError),
}

impl DailyEvent {
    fn parse(kind: &str, payload: Value) -> Result<Self, AppError> {
        fn read<T: serde::de::DeserializeOwned>(payload: Value) -> Result<T, AppError> {
            serde_json::from_value(payload).map_err(invalid_event)
        }
        let other = match kind {
            "participant.joined" | "participant.left" => {
                let participant: Participant = read(payload)?;
                participant.check()?;
                return Ok(DailyEvent::Presence {
                    participant,
                    left: kind == "participant.left",
                });
            }
            "meeting.started" => {
                read::<MeetingEvent>(payload)?;
                OtherEvent::Started
            }
            "meeting.ended" => OtherEvent::Ended(read(payload)?),
            "recording.started" => OtherEvent::RecordingStarted(read(payload)?),
            "recording.ready-to-download" => OtherEvent::RecordingReady(read(payload)?),
            _ => OtherEvent::RecordingFailed(read(payload)?),
        };
        Ok(DailyEvent::Other(other))
    }
}

impl Participant {
    /// What the schema cannot say: a session to attach to, a visit that
    /// does not end before it starts.
    fn check(&self) -> Result<(), AppError> {
        if self.session_id.is_empty() {
            return Err(invalid_event("session_id is empty"));
        }
        if unix_time(self.joined_at).is_none() {
            return Err(invalid_event("joined_at is not a time"));
        }
        match self.duration {
            Some(seconds) if after_seconds(Utc::now(), seconds).is_none() => {
                Err(invalid_event("duration must be a plausible number of seconds"))
            }
            _ => Ok(()),
        }
    }
}

/// Works out what the event changes, then applies it once per delivery.
async fn apply(state: &AppState, event: OtherEvent, delivery: &Delivery<'_>) -> Result<Ack, AppError> {
    let store = &state.store;
    match event {
        OtherEvent::Started => apply_once(state, delivery, DeliveryEffect::Nothing).await,
        OtherEvent::Ended(ended) => {
            let Some(meeting) = store.meeting_by_platform_room(&ended.room).await? else {
                return Ok(Ack::Ignored);
            };
            let at = ended.end_ts.and_then(unix_time).unwrap_or_else(Utc::now);
            let effect = DeliveryEffect::EndMeeting {
                meeting_id: &meeting.id,
                at,
                then: None,
            };
            apply_once(state, delivery, effect).await
        }
        OtherEvent::RecordingStarted(started) => {
            let meeting = match &started.room_name {
                Some(room) => store.meeting_by_platform_room(room).await?,
                None => None,
            };
            let recording = AnnouncedRecording {
                id: &started.recording_id,
                meeting_id: meeting.as_ref().map(|m| m.id.as_str()),
                platform: Platform::Daily,
                bucket_name: "",
                object_key: "",
                recorded_at: started.start_ts.and_then(unix_time).unwrap_or_else(Utc::now),
                track_keys: None,
            };
            let effect = DeliveryEffect::AnnounceRecording {
                recording,
                process: None,
            };
            apply_once(state, delivery, effect).await
        }
        OtherEvent::RecordingReady(ready) => {
            let meeting = store.meeting_by_platform_room(&ready.room_name).await?;
            let audio_tracks = ready.tracks.map(|tracks| {
                tracks
                    .into_iter()
                    .filter(|t| t.kind == "audio")
                    .map(|t| t.s3_key)
                    .collect::<Vec<_>>()
            });
            let bucket = state.settings.daily.s3_bucket.as_deref().unwrap_or("daily");
            tracing::info!(recording = %ready.recording_id, kind = ?ready.kind, "Daily recording ready");
            let process = Job::ProcessRecording {
                recording_id: ready.recording_id.clone(),
            };
            let effect = DeliveryEffect::AnnounceRecording {
                recording: AnnouncedRecording {
                    id: &ready.recording_id,
                    meeting_id: meeting.as_ref().map(|m| m.id.as_str()),
                    platform: Platform::Daily,
                    bucket_name: bucket,
                    object_key: &ready.s3_key,
                    recorded_at: unix_time(ready.start_ts).unwrap_or_else(Utc::now),
                    track_keys: audio_tracks,
                },
                process: Some(process.to_queue(&state.settings)),
            };
            apply_once(state, delivery, effect).await
        }
        OtherEvent::RecordingFailed(failed) => {
            let Some(meeting) = store.meeting_by_platform_room(&failed.room_name).await? else {
                return Ok(Ack::Ignored);
            };
            let reason = failed
                .error_msg
                .unwrap_or_else(|| "Daily reported a recording error".into());
            let effect = DeliveryEffect::FailRecordings {
                meeting_id: &meeting.id,
                reason: &reason,
            };
            apply_once(state, delivery, effect).await
        }
    }
}

async fn record(
    state: &AppState,
    participant: Participant,
    left: bool,
    delivery: &Delivery<'_>,
) -> Result<Ack, AppError> {
    let Some(meeting) = state.store.meeting_by_platform_room(&participant.room).await? else {
        return Ok(Ack::Ignored);
    };
    let joined_at =
        unix_time(participant.joined_at).ok_or_else(|| invalid_event("joined_at is not a time"))?;
    let left_at = match (left, participant.duration) {
        (false, _) => None,
        (true, None) => Some(Utc::now()),
        (true, Some(seconds)) => Some(
            after_seconds(joined_at, seconds)
                .ok_or_else(|| invalid_event("duration must be a plausible number of seconds"))?,
        ),
    };
    let visit = SessionEvent {
        session_id: &participant.session_id,
        user_id: participant.user_id.as_deref().filter(|id| !id.is_empty()),
        user_name: participant.user_name.as_deref(),
        joined_at,
        left_at,
    };
    apply_presence(state, &meeting, &visit, None, delivery).await
}
