//! What the room page receives: only what the browser needs to show the
//! call (no room settings, no dates to parse), decided by the server.

use serde::{Deserialize, Serialize};

use super::Platform;

/// A plain struct rather than a tagged enum: serde's tagged-enum decoding
/// is a large piece of the room page's bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomVisit {
    pub room_name: String,
    /// The call to join, unless several meetings are live.
    pub call: Option<CallDetails>,
    /// The live meetings to choose from when there are several.
    pub choices: Vec<MeetingChoice>,
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingChoice {
    pub meeting_id: String,
    pub title: String,
    /// Unix milliseconds.
    pub started_at: i64,
    pub participants: i64,
}
