//! Calendar sync as the API shows it, in Reflector's shapes (plus what we
//! add: all-day events, the last sync's result in words).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Someone an event invites (or its organizer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Attendee {
    pub email: Option<String>,
    pub name: Option<String>,
    /// PARTSTAT: ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION, …
    pub status: Option<String>,
    /// ROLE (REQ-PARTICIPANT, …), or ORGANIZER.
    pub role: Option<String>,
}

/// One instance of a calendar event that belongs to a room (Reflector's
/// `CalendarEventResponse`). `description` and `attendees` are the room
/// owner's only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarEvent {
    pub id: String,
    pub room_id: String,
    pub ics_uid: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub all_day: bool,
    pub attendees: Option<Vec<Attendee>>,
    pub location: Option<String>,
    pub last_synced: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::text_enum! {
    /// How a calendar sync ended.
    pub enum IcsSyncStatus as "sync status" {
        Success = "success",
        /// The feed had not changed since the last sync (HTTP 304).
        Unchanged = "unchanged",
        Error = "error",
    }
}

/// `POST /v1/rooms/{name}/ics/sync`, and what each sync leaves on the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IcsSyncResult {
    pub status: IcsSyncStatus,
    /// SHA-256 of the feed as fetched (absent when unchanged or failed).
    pub hash: Option<String>,
    /// Event instances in the window that belong to this room.
    pub events_found: i64,
    /// Event instances in the window, the room's or not.
    pub total_events: i64,
    pub events_created: i64,
    pub events_updated: i64,
    pub events_deleted: i64,
    /// What went wrong, in words (status `error`).
    pub error: Option<String>,
    pub synced_at: DateTime<Utc>,
}

crate::text_enum! {
    /// Whether a room syncs a calendar.
    pub enum IcsState as "calendar state" {
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

/// `GET /v1/rooms/{name}/ics/status` (Reflector's `ICSStatus`, plus the
/// last sync's result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IcsStatus {
    pub status: IcsState,
    pub last_sync: Option<DateTime<Utc>>,
    pub next_sync: Option<DateTime<Utc>>,
    pub last_etag: Option<String>,
    /// The room's calendar events not deleted.
    pub events_count: i64,
    pub last_result: Option<IcsSyncResult>,
}

/// The room form's view of its calendar: plain numbers and words, so the
/// browser needs no date parsing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarSummary {
    /// What events must name (location or description) to belong to the room.
    pub room_url: String,
    pub enabled: bool,
    /// Unix milliseconds.
    pub last_sync: Option<i64>,
    pub next_sync: Option<i64>,
    pub events_count: i64,
    /// How the last sync went, in words.
    pub last_result: Option<String>,
    pub last_failed: bool,
}

impl IcsSyncResult {
    pub fn in_words(&self) -> String {
        match self.status {
            IcsSyncStatus::Unchanged => "The calendar has not changed since the last check.".into(),
            IcsSyncStatus::Error => format!(
                "The calendar could not be read: {}",
                self.error.as_deref().unwrap_or("unknown error")
            ),
            IcsSyncStatus::Success => format!(
                "{} for this room ({} in the calendar from an hour ago to a day ahead): {} new, {} changed, {} removed.",
                count(self.events_found, "event", "events"),
                self.total_events,
                self.events_created,
                self.events_updated,
                self.events_deleted,
            ),
        }
    }
}

fn count(n: i64, one: &str, many: &str) -> String {
    match n {
        0 => format!("No {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}
