//! What a room's webhook sends: the kinds of event, the envelope every one
//! has (Reflector's), each kind's payload, and the delivery log the owner
//! reads. One place for all of it: the senders build these, the README
//! documents them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What happened in a room.
    pub enum RoomEventKind as "room event" {
        /// A meeting's first participant joined.
        MeetingStarted = "meeting.started",
        /// A meeting ended (everyone left and it was closed, the platform
        /// ended it, or its owner did).
        MeetingEnded = "meeting.ended",
        ParticipantJoined = "participant.joined",
        ParticipantLeft = "participant.left",
        /// A recording is stored in our storage.
        RecordingReady = "recording.ready",
        /// A recording could not be stored, for good.
        RecordingFailed = "recording.failed",
        /// A recording's transcript is ready (Reflector's event).
        TranscriptCompleted = "transcript.completed",
        /// Sent by *Send test*; always sent, whatever the room chose.
        Test = "test",
    }
}

impl RoomEventKind {
    /// The kinds a room may choose to send (`test` is always sent).
    pub fn choosable() -> impl Iterator<Item = RoomEventKind> {
        RoomEventKind::ALL
            .iter()
            .copied()
            .filter(|kind| *kind != RoomEventKind::Test)
    }

    pub fn label(self) -> &'static str {
        match self {
            RoomEventKind::MeetingStarted => "Meeting started",
            RoomEventKind::MeetingEnded => "Meeting ended",
            RoomEventKind::ParticipantJoined => "Participant joined",
            RoomEventKind::ParticipantLeft => "Participant left",
            RoomEventKind::RecordingReady => "Recording ready",
            RoomEventKind::RecordingFailed => "Recording failed",
            RoomEventKind::TranscriptCompleted => "Transcript ready",
            RoomEventKind::Test => "Test",
        }
    }
}

/// The meeting an event is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventMeeting {
    pub id: String,
    pub platform: super::Platform,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
    pub calendar_event_id: Option<String>,
    /// The room's own platform, when the meeting runs on a fallback because
    /// that one was unavailable (`platform` is where it really runs).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub failover_from: Option<super::Platform>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub failover_reason: Option<String>,
}

/// `meeting.started` and `meeting.ended`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingEvent {
    pub meeting: EventMeeting,
    /// When the first participant joined (started) or the meeting ended.
    pub at: DateTime<Utc>,
    /// `meeting.ended`: how many participant sessions it had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<i64>,
}

/// `participant.joined` and `participant.left`: a display name, never an
/// account's e-mail or id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantEvent {
    pub meeting: EventMeeting,
    pub participant: EventParticipant,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventParticipant {
    /// The platform's session id.
    pub session_id: String,
    pub name: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

/// `recording.ready` and `recording.failed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingEvent {
    pub meeting: EventMeeting,
    pub recording: EventRecording,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecording {
    pub id: String,
    pub recorded_at: DateTime<Utc>,
    /// Bytes stored (ready).
    pub size: Option<i64>,
    /// Seconds, when the platform says.
    pub duration: Option<f64>,
    /// Why it failed (failed).
    pub error: Option<String>,
}

/// `transcript.completed`, in Reflector's shape (its summaries and topics,
/// which this server does not make, are null and empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptCompletedEvent {
    pub transcript: EventTranscript,
    /// The calendar event the meeting was made for, attendees as objects.
    pub calendar_event: Option<super::CalendarEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTranscript {
    pub id: String,
    pub room_id: Option<String>,
    pub meeting_id: Option<String>,
    pub recording_id: String,
    pub created_at: DateTime<Utc>,
    pub duration: Option<f64>,
    pub title: String,
    pub short_summary: Option<String>,
    pub long_summary: Option<String>,
    pub webvtt: String,
    pub topics: Vec<serde_json::Value>,
    pub participants: Vec<super::TranscriptParticipant>,
    pub source_language: Option<String>,
    pub target_language: Option<String>,
    /// `ended`, as Reflector says of a finished transcript.
    pub status: String,
    pub frontend_url: String,
    pub action_items: Option<serde_json::Value>,
}

/// `test`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestEvent {
    pub message: String,
}

pub const TEST_MESSAGE: &str = "This is a test webhook from Reflector";

/// `POST /v1/rooms/{id}/webhook/test` (Reflector's `WebhookTestResult`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookTestResult {
    pub success: bool,
    pub message: String,
    pub error: String,
    pub status_code: Option<i64>,
    /// The receiver's answer, its first 1 KB.
    pub response_preview: Option<String>,
}

crate::text_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus as "delivery status" {
        /// Not sent yet, or waiting for its next attempt.
        Pending = "pending",
        Delivered = "delivered",
        /// Refused by the receiver (4xx) or out of retries.
        Failed = "failed",
    }
}

/// One attempt at sending an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DeliveryAttempt {
    /// 0 for the first; the `X-Webhook-Retry` it was sent with.
    pub retry: i64,
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<String>,
    /// The receiver's answer, its first 1 KB.
    pub response_preview: Option<String>,
}

/// An event sent (or being sent) to the room's webhook, with its attempts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub event_id: String,
    pub event: RoomEventKind,
    pub status: DeliveryStatus,
    pub occurred_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Newest first.
    pub attempts: Vec<DeliveryAttempt>,
}

/// `GET /v1/rooms/{id}/webhook/deliveries`, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryPage {
    pub items: Vec<WebhookDelivery>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
    pub pages: i64,
}

/// The events a room's webhook sends: every kind (also kinds added later)
/// unless the owner chose some. Stored as `,kind,kind,` (NULL: every kind),
/// so SQL can ask "does this room send that?" with one `LIKE`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebhookEvents(Option<Vec<RoomEventKind>>);

impl WebhookEvents {
    pub fn every() -> Self {
        WebhookEvents(None)
    }

    /// Only these; choosing every kind is "every kind".
    pub fn only(kinds: impl IntoIterator<Item = RoomEventKind>) -> Self {
        let mut chosen: Vec<RoomEventKind> = kinds
            .into_iter()
            .filter(|kind| *kind != RoomEventKind::Test)
            .collect();
        chosen.sort_by_key(|kind| kind.as_str());
        chosen.dedup();
        if RoomEventKind::choosable().all(|kind| chosen.contains(&kind)) {
            WebhookEvents(None)
        } else {
            WebhookEvents(Some(chosen))
        }
    }

    pub fn sends(&self, kind: RoomEventKind) -> bool {
        kind == RoomEventKind::Test || self.0.as_ref().is_none_or(|chosen| chosen.contains(&kind))
    }

    pub fn kinds(&self) -> Vec<RoomEventKind> {
        RoomEventKind::choosable()
            .filter(|kind| self.sends(*kind))
            .collect()
    }

    pub fn to_column(&self) -> Option<String> {
        self.0.as_ref().map(|chosen| {
            let names: String = chosen.iter().map(|kind| format!("{kind},")).collect();
            format!(",{names}")
        })
    }
}

impl TryFrom<Option<String>> for WebhookEvents {
    type Error = super::UnknownVariant;

    fn try_from(column: Option<String>) -> Result<Self, Self::Error> {
        let Some(column) = column else {
            return Ok(WebhookEvents::every());
        };
        let kinds = column
            .split(',')
            .filter(|name| !name.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<RoomEventKind>, _>>()?;
        Ok(WebhookEvents(Some(kinds)))
    }
}

impl Serialize for WebhookEvents {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.kinds().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for WebhookEvents {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(WebhookEvents::only(Vec::<RoomEventKind>::deserialize(
            deserializer,
        )?))
    }
}

#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for WebhookEvents {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(<RoomEventKind as utoipa::PartialSchema>::schema())
            .description(Some("Event kinds the webhook sends (every kind when absent)"))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for WebhookEvents {}

impl WebhookTestResult {
    /// The test's outcome as the form says it.
    pub fn in_words(&self) -> String {
        match (self.success, self.status_code) {
            (true, Some(status)) => format!("Delivered: the receiver answered {status}."),
            (false, Some(status)) => format!("Not delivered: the receiver answered {status}."),
            _ => format!("Not delivered: {}.", self.error.trim_end_matches('.')),
        }
    }
}

impl WebhookDelivery {
    /// Where the delivery stands, after its latest attempt.
    pub fn in_words(&self) -> String {
        let latest = self.attempts.first();
        let tries = match self.attempts.len() {
            0 | 1 => String::new(),
            n => format!(" after {n} attempts"),
        };
        match (self.status, latest) {
            (DeliveryStatus::Delivered, Some(attempt)) => format!(
                "Delivered{tries} ({}, {} ms)",
                attempt.status_code.unwrap_or_default(),
                attempt.duration_ms
            ),
            (DeliveryStatus::Delivered, None) => "Delivered".into(),
            (DeliveryStatus::Pending, None) => "Waiting to be sent".into(),
            (DeliveryStatus::Pending, Some(attempt)) => {
                format!("Will retry: {}", attempt.failure())
            }
            (DeliveryStatus::Failed, Some(attempt)) => format!("Failed{tries}: {}", attempt.failure()),
            (DeliveryStatus::Failed, None) => "Failed".into(),
        }
    }
}

impl DeliveryAttempt {
    fn failure(&self) -> String {
        match (&self.error, self.status_code) {
            (Some(error), _) => error.clone(),
            (None, Some(status)) => format!("the receiver answered {status}"),
            (None, None) => "no answer".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_room_sends_every_kind_unless_its_owner_chose_some() {
        let every = WebhookEvents::every();
        assert!(RoomEventKind::choosable().all(|kind| every.sends(kind)));
        assert_eq!(every.to_column(), None);
        let ends = WebhookEvents::only([RoomEventKind::MeetingEnded, RoomEventKind::MeetingEnded]);
        assert!(ends.sends(RoomEventKind::MeetingEnded) && ends.sends(RoomEventKind::Test));
        assert!(!ends.sends(RoomEventKind::ParticipantJoined));
        assert_eq!(ends.to_column().as_deref(), Some(",meeting.ended,"));
        assert_eq!(WebhookEvents::try_from(ends.to_column()).unwrap(), ends);
        assert_eq!(
            WebhookEvents::only(RoomEventKind::choosable()),
            every,
            "all chosen is every kind"
        );
        let none = WebhookEvents::only([]);
        assert_eq!(none.to_column().as_deref(), Some(","));
        assert!(none.kinds().is_empty());
        assert_eq!(serde_json::to_string(&ends).unwrap(), r#"["meeting.ended"]"#);
    }

    fn attempt(status_code: Option<i64>, error: Option<&str>) -> DeliveryAttempt {
        DeliveryAttempt {
            retry: 0,
            attempted_at: Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap(),
            status_code,
            duration_ms: 42,
            error: error.map(str::to_owned),
            response_preview: None,
        }
    }

    #[test]
    fn deliveries_and_tests_read_as_sentences() {
        let mut delivery = WebhookDelivery {
            event_id: "e".into(),
            event: RoomEventKind::MeetingEnded,
            status: DeliveryStatus::Pending,
            occurred_at: Utc::now(),
            next_attempt_at: None,
            attempts: vec![],
        };
        assert_eq!(delivery.in_words(), "Waiting to be sent");
        delivery.attempts = vec![attempt(Some(503), Some("the receiver answered 503"))];
        assert_eq!(delivery.in_words(), "Will retry: the receiver answered 503");
        delivery.status = DeliveryStatus::Delivered;
        delivery.attempts.insert(0, attempt(Some(200), None));
        assert_eq!(delivery.in_words(), "Delivered after 2 attempts (200, 42 ms)");
        delivery.status = DeliveryStatus::Failed;
        delivery.attempts = vec![attempt(None, Some("the server did not answer within 10 seconds"))];
        assert_eq!(
            delivery.in_words(),
            "Failed: the server did not answer within 10 seconds"
        );

        let test = WebhookTestResult {
            success: false,
            message: String::new(),
            error: "Could not connect to webhook URL: refused".into(),
            status_code: None,
            response_preview: None,
        };
        assert_eq!(
            test.in_words(),
            "Not delivered: Could not connect to webhook URL: refused."
        );
    }
}
