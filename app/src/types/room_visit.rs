//! What the room page receives: only what the browser needs to show the
//! call (no room settings, no dates to parse), decided by the server.

use serde::{Deserialize, Serialize};

use super::Platform;

/// A plain struct rather than a tagged enum: serde's tagged-enum decoding
/// is a large piece of the room page's bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomVisit {
    pub room_name: String,
    /// The call to join, unless there is a choice to make (several live
    /// meetings, or a calendar room's schedule).
    pub call: Option<CallDetails>,
    /// The live meetings to choose from.
    pub choices: Vec<MeetingChoice>,
    /// A calendar room's next events (with their meeting once it is made).
    pub upcoming: Vec<UpcomingChoice>,
    /// Whether the visitor may start a meeting now (nothing is live).
    pub can_start: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallDetails {
    pub room_name: String,
    pub meeting_id: String,
    pub platform: Platform,
    /// What this visitor opens: Daily's URL with a token for signed-in users,
    /// Whereby's host URL for the room's owner.
    pub join_url: String,
    /// The meeting records to the cloud (the consent question applies).
    pub records_to_cloud: bool,
    pub skip_consent: bool,
    /// Daily: also start the composed-video recording.
    pub store_video: bool,
    /// Said when the meeting runs on a fallback platform.
    #[serde(default)]
    pub failover_notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingChoice {
    pub meeting_id: String,
    pub title: String,
    /// Unix milliseconds.
    pub started_at: i64,
    pub participants: i64,
}

/// A calendar event coming up (or its meeting, made a few minutes ahead).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpcomingChoice {
    pub title: String,
    /// Unix milliseconds.
    pub starts_at: i64,
    pub ends_at: i64,
    /// The meeting to join early, once it exists.
    pub meeting_id: Option<String>,
}
