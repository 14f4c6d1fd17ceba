//! Request and answer bodies of the rooms and meetings API.

use serde::{Deserialize, Deserializer, Serialize};

use super::{Platform, PlatformList, RecordingTrigger, RecordingType, Room, RoomMode, WebhookEvents};

fn default_ics_fetch_interval() -> i64 {
    300
}

fn default_room_mode() -> RoomMode {
    RoomMode::Normal
}

fn default_recording_type() -> RecordingType {
    RecordingType::Cloud
}

fn default_recording_trigger() -> RecordingTrigger {
    RecordingTrigger::AutomaticSecondParticipant
}

/// `POST /v1/rooms`. Only `name` is required; `platform` defaults to the
/// server's `DEFAULT_VIDEO_PLATFORM`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateRoom {
    /// Lowercase letters, digits and dashes, at most 64 (a few words the app
    /// uses itself are reserved).
    #[cfg_attr(feature = "ssr", schema(pattern = "^[a-z0-9-]{1,64}$"))]
    pub name: String,
    #[serde(default)]
    pub zulip_auto_post: bool,
    #[serde(default)]
    pub zulip_stream: String,
    #[serde(default)]
    pub zulip_topic: String,
    #[serde(default)]
    pub is_locked: bool,
    #[serde(default = "default_room_mode")]
    pub room_mode: RoomMode,
    #[serde(default = "default_recording_type")]
    pub recording_type: RecordingType,
    #[serde(default = "default_recording_trigger")]
    pub recording_trigger: RecordingTrigger,
    #[serde(default)]
    pub is_shared: bool,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(pattern = r"^[\s\u0085]*$|^[\s\u0085]*https?://"))]
    pub webhook_url: Option<String>,
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// The events the webhook sends; every kind when absent.
    #[serde(default)]
    pub webhook_events: WebhookEvents,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(pattern = r"^[\s\u0085]*$|^[\s\u0085]*https?://"))]
    pub ics_url: Option<String>,
    /// Seconds between calendar fetches.
    #[serde(default = "default_ics_fetch_interval")]
    #[cfg_attr(feature = "ssr", schema(minimum = 60, maximum = 86_400))]
    pub ics_fetch_interval: i64,
    #[serde(default)]
    pub ics_enabled: bool,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub skip_consent: bool,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(pattern = r"^[\s\u0085]*$|@"))]
    pub email_transcript_to: Option<String>,
    #[serde(default)]
    pub store_video: bool,
    /// Where its meetings go, in order, when its platform is down (none: the
    /// server's `FALLBACK_VIDEO_PLATFORMS`).
    #[serde(default)]
    pub fallback_platforms: PlatformList,
}

/// `PATCH /v1/rooms/{id}`: only the fields present change. For the nullable
/// ones, `null` clears the value and absence keeps it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UpdateRoom {
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(pattern = "^[a-z0-9-]{1,64}$"))]
    pub name: Option<String>,
    #[serde(default)]
    pub zulip_auto_post: Option<bool>,
    #[serde(default)]
    pub zulip_stream: Option<String>,
    #[serde(default)]
    pub zulip_topic: Option<String>,
    #[serde(default)]
    pub is_locked: Option<bool>,
    #[serde(default)]
    pub room_mode: Option<RoomMode>,
    #[serde(default)]
    pub recording_type: Option<RecordingType>,
    #[serde(default)]
    pub recording_trigger: Option<RecordingTrigger>,
    #[serde(default)]
    pub is_shared: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, pattern = r"^[\s\u0085]*$|^[\s\u0085]*https?://"))]
    pub webhook_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub webhook_secret: Option<Option<String>>,
    #[serde(default)]
    pub webhook_events: Option<WebhookEvents>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, pattern = r"^[\s\u0085]*$|^[\s\u0085]*https?://"))]
    pub ics_url: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(minimum = 60, maximum = 86_400))]
    pub ics_fetch_interval: Option<i64>,
    #[serde(default)]
    pub ics_enabled: Option<bool>,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub skip_consent: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, pattern = r"^[\s\u0085]*$|@"))]
    pub email_transcript_to: Option<Option<String>>,
    #[serde(default)]
    pub store_video: Option<bool>,
    #[serde(default)]
    pub fallback_platforms: Option<PlatformList>,
}

/// A field that is present (possibly `null`) becomes `Some(..)`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A page of rooms: `GET /v1/rooms?page=1&size=50`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoomPage {
    pub items: Vec<Room>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
    pub pages: i64,
}

/// A room in the rooms list, with what is happening in it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomOverview {
    pub room: Room,
    /// Whether the caller owns it (may edit, delete, see recordings).
    pub is_owner: bool,
    pub live_meetings: i64,
    pub participants: i64,
    /// When its earliest live meeting started (Unix milliseconds).
    #[serde(default)]
    pub live_since: Option<i64>,
    /// The room's recordings, for its owner (0 for others).
    pub recordings: i64,
    /// A calendar room's next event (or the one on now), within two days.
    pub next_event: Option<NextEvent>,
    /// Said when a live meeting runs on a fallback platform.
    #[serde(default)]
    pub failover_notice: Option<String>,
}

/// A room as a filter offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomChoice {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextEvent {
    pub title: String,
    /// Unix milliseconds.
    pub starts_at: i64,
}

/// `DELETE /v1/rooms/{id}`: Reflector's `{"status": "ok"}`, plus how many
/// recordings were deleted with the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoomDeleted {
    pub status: String,
    pub recordings_deleted: i64,
}

/// `POST /v1/rooms/{name}/meeting`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateRoomMeeting {
    #[serde(default, deserialize_with = "null_is_false")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<bool>))]
    pub allow_duplicated: bool,
}

fn null_is_false<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Option::<bool>::deserialize(deserializer).map(Option::unwrap_or_default)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentRequest {
    pub consent_given: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentRecorded {
    pub status: String,
    pub consent_id: String,
}

crate::text_enum! {
    /// What a Daily recording captures.
    pub enum DailyRecordingKind as "recording type" {
        Cloud = "cloud",
        RawTracks = "raw-tracks",
    }
}

/// `POST /v1/meetings/{id}/recordings/start`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StartRecording {
    #[serde(rename = "type")]
    pub kind: DailyRecordingKind,
    /// The recording's instance (a UUID, hyphenated).
    #[serde(rename = "instanceId")]
    #[cfg_attr(feature = "ssr", schema(format = Uuid))]
    pub instance_id: String,
}
