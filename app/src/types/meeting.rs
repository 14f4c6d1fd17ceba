use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Platform, RecordingTrigger, RecordingType, RoomMode};

/// One call on a platform. The room's settings are copied in at creation so a
/// later change to the room does not silently alter a meeting in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Meeting {
    pub id: String,
    pub room_name: String,
    pub room_url: String,
    pub host_room_url: String,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
    pub room_id: Option<String>,
    pub is_locked: bool,
    pub room_mode: RoomMode,
    pub recording_type: RecordingType,
    pub recording_trigger: RecordingTrigger,
    pub num_clients: i64,
    pub is_active: bool,
    pub calendar_event_id: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(json(nullable)))]
    pub calendar_metadata: Option<serde_json::Value>,
    pub platform: Platform,
    pub daily_composed_video_s3_key: Option<String>,
    pub daily_composed_video_duration: Option<i64>,
    pub store_video: bool,
    /// The room's platform, when this meeting runs on a fallback because
    /// that one was unavailable; `failover_reason` says what happened.
    pub failover_from: Option<Platform>,
    pub failover_reason: Option<String>,
}

impl Meeting {
    /// Live: nobody ended it and it is not past its scheduled end (the
    /// store's `live_meeting_sql!` says the same in SQL).
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.is_active && self.end_date > now
    }

    /// What people are told when the meeting runs on a fallback platform.
    pub fn failover_notice(&self) -> Option<String> {
        self.failover_from
            .map(|from| failover_notice(from, self.platform))
    }
}

/// "Daily is unavailable right now; this meeting runs on Whereby."
pub fn failover_notice(from: Platform, to: Platform) -> String {
    format!(
        "{} is unavailable right now; this meeting runs on {}.",
        from.label(),
        to.label()
    )
}

/// What the platform answered when asked for a meeting, plus our bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMeeting {
    pub id: String,
    pub room_name: String,
    pub room_url: String,
    pub host_room_url: String,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
    pub platform: Platform,
    pub calendar_event_id: Option<String>,
    pub calendar_metadata: Option<serde_json::Value>,
    /// Set when the meeting runs on a fallback platform.
    pub failover: Option<Failover>,
}

/// Why a meeting runs on a fallback platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failover {
    /// The platform it should have run on.
    pub from: Platform,
    /// What went wrong there, in words.
    pub reason: String,
}
