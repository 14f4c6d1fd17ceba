use chrono::{DateTime, Utc};

use crate::types::Room;

/// Everything a platform needs to create a meeting.
#[derive(Debug, Clone)]
pub struct MeetingRequest {
    pub room: Room,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The platform's answer to a meeting creation.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingData {
    /// The platform's id for the meeting (Whereby meetingId, Daily room id).
    pub meeting_id: String,
    /// The platform's room name (Daily room name, Whereby `/name-uuid`).
    pub room_name: String,
    pub room_url: String,
    pub host_room_url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionData {
    pub session_id: String,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
}

impl SessionData {
    pub fn is_live(&self) -> bool {
        self.ended_at.is_none()
    }
}

/// Who is joining: decides tokens and host rights.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinAs {
    /// Our user id, for signed-in participants.
    pub user_id: Option<String>,
    pub is_owner: bool,
    /// The name shown to others (platforms that take it from us).
    pub name: Option<String>,
    pub email: Option<String>,
    /// Whether the platform should show its own recording controls.
    pub recording_ui: bool,
}
