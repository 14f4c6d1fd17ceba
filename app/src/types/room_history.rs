//! What happened in a room: its meetings, newest first, with who came and
//! went, the consent answers, and the recordings and transcripts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Platform, RecordingView};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoomHistory {
    pub room_name: String,
    pub meetings: Vec<PastMeeting>,
    /// Meetings in all, for paging.
    pub total: i64,
    pub page: i64,
    pub size: i64,
    pub pages: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PastMeeting {
    pub id: String,
    #[serde(deserialize_with = "super::timestamp::deserialize")]
    pub start_date: DateTime<Utc>,
    /// When the last person left; none while live, or when nobody came.
    #[serde(default, deserialize_with = "super::timestamp::deserialize_option")]
    pub ended_at: Option<DateTime<Utc>>,
    pub is_live: bool,
    pub platform: Platform,
    pub failover_from: Option<Platform>,
    pub failover_reason: Option<String>,
    pub attendance: Vec<Attendance>,
    pub consents_given: i64,
    pub consents_declined: i64,
    pub recordings: Vec<RecordingView>,
}

/// One visit of one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Attendance {
    pub name: String,
    #[serde(deserialize_with = "super::timestamp::deserialize")]
    pub joined_at: DateTime<Utc>,
    /// None: still in the meeting.
    #[serde(default, deserialize_with = "super::timestamp::deserialize_option")]
    pub left_at: Option<DateTime<Utc>>,
}
